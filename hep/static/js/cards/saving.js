// Saving from one of Today's cards: the check-in is written (or queued when offline), the
// day's copy learns it at once, a short message says what happened, and high pain is met
// with guidance.

import { toast } from "../dom.js";
import { deleteCheckIn, saveCheckIn } from "../checkins.js";
import { forget, remember } from "../day.js";
import { offlineGuidance, showGuidance } from "../components/pain-guidance.js";
import { t } from "../i18n.js";

/** ctx: {state (the day), user, onChange}. Resolves to saveCheckIn's result. */
export async function save(ctx, id, body, { successText } = {}) {
  const result = await saveCheckIn(id, body);
  remember(ctx.user, ctx.state, result.checkIn, { pending: result.queued });
  ctx.onChange();
  if (successText) {
    toast(result.queued ? t("saving.text_saved_on_this_phone", { text: successText }) : successText, "success");
  }
  // high pain: stop, and what to do (the server's words; offline, those Today brought)
  const guidance = result.checkIn.guidance || (result.queued ? offlineGuidance(ctx.state.care, body.pain) : null);
  if (guidance) showGuidance(guidance);
  return result;
}

export async function undo(ctx, checkIn) {
  await deleteCheckIn(checkIn.id);
  forget(ctx.user, ctx.state, checkIn.id);
  ctx.onChange();
}

export function errorToast(error) {
  toast(error.offline ? t("saving.that_needs_a_connection") : error.message, "error");
}
