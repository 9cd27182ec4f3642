// Saving from one of Today's cards: the check-in is written (or queued when offline), the
// day's copy learns it at once, and a short message says what happened.

import { toast } from "../dom.js";
import { deleteCheckIn, saveCheckIn } from "../checkins.js";
import { forget, remember } from "../day.js";

/** ctx: {state (the day), user, onChange}. Resolves to saveCheckIn's result. */
export async function save(ctx, id, body, { successText } = {}) {
  const result = await saveCheckIn(id, body);
  remember(ctx.user, ctx.state, result.checkIn, { pending: result.queued });
  ctx.onChange();
  if (successText) {
    toast(result.queued ? `${successText} Saved on this phone; it will sync when you're online.` : successText, "success");
  }
  return result;
}

export async function undo(ctx, checkIn) {
  await deleteCheckIn(checkIn.id);
  forget(ctx.user, ctx.state, checkIn.id);
  ctx.onChange();
}

export function errorToast(error) {
  toast(error.offline ? "That needs a connection. Try again when you're online." : error.message, "error");
}
