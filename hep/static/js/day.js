// One day of a patient's log: what is due (GET /api/today) and the check-ins made (GET
// /api/check-ins plus those still waiting offline). Progress is computed from the check-ins
// so a tick shows at once, online or not. The last answer per day is kept in memory, so
// ticking works after the connection drops, and today's is also kept on disk (IndexedDB, for
// the signed-in user only) so the app can start without a connection.

import { NetworkError, api } from "./api.js";
import { todayIn } from "./dates.js";
import { pending, saveDay, savedDay, updateSavedDay } from "./offline-queue.js";

const memory = new Map();

/**
 * The day's entries and check-ins. Without a connection, the last copy loaded (from memory,
 * or from disk for today) with `savedAt` set to when it was loaded; else `savedAt` is null.
 */
export async function loadDay(user, day) {
  const key = `${user.id}:${day}`;
  let loaded;
  let savedAt = null;
  try {
    const [today, checkIns] = await Promise.all([
      api.get(`/api/today?date=${day}`),
      api.get(`/api/check-ins?start=${day}&end=${day}`),
    ]);
    loaded = { today, checkIns, loadedAt: Date.now() };
    memory.set(key, loaded);
    if (day === todayIn(user.timezone)) {
      await saveDay(user, day, { today, checkIns }, loaded.loadedAt).catch(() => {});
    }
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    loaded = memory.get(key) || (await fromDisk(user, day));
    if (!loaded) throw error;
    savedAt = loaded.loadedAt;
  }
  const checkIns = new Map(loaded.checkIns.map((c) => [c.id, c]));
  for (const entry of await pending(user.id).catch(() => [])) {
    if (entry.body.local_date === day) checkIns.set(entry.id, { id: entry.id, ...entry.body, pending: true });
  }
  const { pause = null, paused_items: pausedItems = 0, changes = [], care = null } = loaded.today;
  return { day, entries: loaded.today.entries, checkIns, savedAt, pause, pausedItems, changes, care };
}

async function fromDisk(user, day) {
  const kept = await savedDay(user.id).catch(() => null);
  if (!kept || kept.day !== day) return null;
  const loaded = { today: kept.today, checkIns: kept.checkIns, loadedAt: kept.savedAt };
  memory.set(`${user.id}:${day}`, loaded);
  return loaded;
}

/** Apply `change` to the check-in list of the copies of `day` (memory and disk). */
function keep(user, day, change) {
  const cached = memory.get(`${user.id}:${day}`);
  if (cached) cached.checkIns = change(cached.checkIns);
  return updateSavedDay(user.id, day, change).catch(() => {});
}

const withCheckIn = (checkIn) => (list) =>
  list.filter((c) => c.id !== checkIn.id).concat([checkIn]);

/** Record a saved (or queued) check-in in the day and in the kept copies. */
export function remember(user, dayState, checkIn, { pending = false } = {}) {
  dayState.checkIns.set(checkIn.id, { ...checkIn, pending });
  // a queued one is merged from the queue on every load; the copies hold the server's view
  if (!pending) keep(user, dayState.day, withCheckIn(checkIn));
}

export function forget(user, dayState, id) {
  dayState.checkIns.delete(id);
  keep(user, dayState.day, (list) => list.filter((c) => c.id !== id));
}

/** A check-in the server took from the offline queue: the copies must not offer it again. */
export function rememberSent(user, checkIn) {
  return keep(user, checkIn.local_date, withCheckIn(checkIn));
}

const CREDIT = { done: 1, partial: 0.5, skipped: 0 };

function byTime(a, b) {
  return String(a.created_at || "~").localeCompare(String(b.created_at || "~"));
}

export function itemCheckIns(dayState, itemKey) {
  return [...dayState.checkIns.values()].filter((c) => c.item_key === itemKey).sort(byTime);
}

export function habitCheckIns(dayState, habitId) {
  return [...dayState.checkIns.values()].filter((c) => c.habit_id === habitId).sort(byTime);
}

export function itemProgress(dayState, entry) {
  const list = itemCheckIns(dayState, entry.item_key);
  const credit = list.reduce((sum, c) => sum + (CREDIT[c.state] || 0), 0);
  const done = Math.floor(credit + 1e-9);
  return {
    list,
    done,
    due: entry.sessions_due,
    complete: done >= entry.sessions_due,
    partial: credit > 0 && done < entry.sessions_due && credit % 1 !== 0,
    skipped: credit === 0 && list.some((c) => c.state === "skipped"),
  };
}

/** Mirrors the server's rule: a numeric habit is judged by its amount, else by a done tick. */
export function habitProgress(dayState, entry) {
  const list = habitCheckIns(dayState, entry.habit_id);
  const withValue = list.filter((c) => c.value !== null && c.value !== undefined);
  const total = withValue.reduce((sum, c) => sum + Number(c.value), 0);
  const credit = list.reduce((sum, c) => sum + (CREDIT[c.state] || 0), 0);
  let done;
  if (entry.target !== null && entry.target !== undefined && withValue.length) {
    done = entry.direction === "at_most" ? total <= entry.target : total >= entry.target;
  } else {
    done = credit >= 1;
  }
  return {
    list,
    valued: withValue[withValue.length - 1] || null,
    total: withValue.length ? total : null,
    done,
    skipped: !done && list.some((c) => c.state === "skipped"),
  };
}

/** The state a numeric habit's running total stands for. */
export function amountState(entry, value) {
  if (entry.target === null || entry.target === undefined) return "done";
  const met = entry.direction === "at_most" ? value <= entry.target : value >= entry.target;
  return met ? "done" : "partial";
}
