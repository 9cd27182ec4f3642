// Logging a check-in: a client UUID per check-in, the idempotent PUT when online, the offline
// queue when not (or when the session has lapsed), and the replay when the connection returns.

import { NetworkError, request } from "./api.js";
import { enqueue, flush, pending, remove } from "./offline-queue.js";
import { currentUser } from "./session.js";
import { toast } from "./dom.js";
import { rememberSent } from "./day.js";
import { t } from "./i18n.js";

export function newId() {
  return crypto.randomUUID();
}

/**
 * Save check-in `id` (new or edited). Resolves to {id, checkIn, queued}. Rejects with an
 * ApiError when the server refuses it (422 field errors, 409 outside the edit window).
 */
export async function saveCheckIn(id, body) {
  const user = currentUser();
  const queued = () => queue(id, body, user);
  if (!navigator.onLine) return queued();
  // a newer body for a waiting check-in replaces it; the queue must not replay the old one later
  await remove(id).catch(() => {});
  try {
    const { data, status } = await request("PUT", `/api/check-ins/${id}`, body);
    return { id, checkIn: data, queued: false, created: status === 201 };
  } catch (error) {
    if (error instanceof NetworkError) return queued();
    if (error.status === 401) {
      await queued(); // kept until the next sign-in
      throw error;
    }
    throw error;
  }
}

async function queue(id, body, user) {
  const offlineBody = { ...body, source: "offline" };
  await enqueue(id, offlineBody, user && user.id);
  return { id, checkIn: { id, ...offlineBody }, queued: true };
}

export async function deleteCheckIn(id) {
  await remove(id).catch(() => {});
  await request("DELETE", `/api/check-ins/${id}`);
}

/** Replay what waits in the queue for the signed-in user. */
export async function replayQueue() {
  const user = currentUser();
  if (!user || user.role !== "patient" || !navigator.onLine) return null;
  const result = await flush(user.id, async (id, body) => {
    const { data } = await request("PUT", `/api/check-ins/${id}`, body);
    await rememberSent(user, data);
  });
  if (result.sent) {
    toast(t("checkins.synced", { count: result.sent }), "success");
    window.dispatchEvent(new CustomEvent("hep:synced"));
  }
  for (const { error } of result.dropped) {
    toast(t("checkins.check_in_made_offline_was", { message: error.message }), "error");
  }
  return result;
}

export async function pendingCheckIns() {
  const user = currentUser();
  try {
    return user ? await pending(user.id) : [];
  } catch {
    return [];
  }
}
