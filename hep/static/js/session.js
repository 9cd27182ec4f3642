// Who is signed in, and signing out: the server ends the session (and answers Clear-Site-Data);
// we also drop everything this browser kept — caches, IndexedDB, local storage, the push
// subscription — so the next person on this phone starts clean.

import { api } from "./api.js";
import { keepSavedDays, wipe as wipeQueue } from "./offline-queue.js";
import { disablePush } from "./push.js";

let user = null;

export function currentUser() {
  return user;
}

export function setUser(next) {
  user = next;
  // whoever is not signed in any more has no business with a copy of their day on this phone
  keepSavedDays(next && next.id).catch(() => {});
  window.dispatchEvent(new CustomEvent("hep:user", { detail: next }));
}

/** GET /api/me; null when nobody is signed in. Network errors propagate (offline start). */
export async function loadUser() {
  try {
    setUser(await api.get("/api/me", { quiet401: true }));
  } catch (error) {
    if (error.status === 401) setUser(null);
    else throw error;
  }
  return user;
}

export async function wipeLocalData() {
  try {
    localStorage.clear();
    sessionStorage.clear();
  } catch {
    /* storage may be disabled */
  }
  if ("caches" in window) {
    for (const name of await caches.keys()) await caches.delete(name);
  }
  await wipeQueue().catch(() => {});
  navigator.serviceWorker?.controller?.postMessage({ type: "clear" });
}

export async function signOut() {
  await disablePush().catch(() => {});
  try {
    await api.post("/api/auth/logout", undefined, { quiet401: true });
  } catch {
    /* the session may already be gone; still clear this device */
  }
  setUser(null);
  await wipeLocalData();
  // a fresh load: nothing of the old session stays in memory, and the worker re-registers
  history.replaceState(null, "", "/#/sign-in");
  location.reload();
}
