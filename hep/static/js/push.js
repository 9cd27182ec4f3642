// Web push on this device: permission from a tap, the subscription sent to hep, and a fresh
// subscription whenever the server's VAPID key changes (we remember the key we used).

import { ApiError, NetworkError, api, isMissingEndpoint } from "./api.js";
import { t } from "./i18n.js";

const KEY_USED = "hep.push.key";
const SUBSCRIPTION_ID = "hep.push.subscription";
const SUBSCRIBE_TIMEOUT_MS = 15000;

export function pushSupported() {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

export function isIos() {
  const ua = navigator.userAgent || "";
  // iPadOS reports itself as a Mac; touch points give it away
  return /iPad|iPhone|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1);
}

export function isStandalone() {
  return (
    window.matchMedia?.("(display-mode: standalone)").matches || navigator.standalone === true
  );
}

/** iOS only offers push to web apps opened from the Home Screen. */
export function needsHomeScreen() {
  return isIos() && !isStandalone();
}

export function permission() {
  return "Notification" in window ? Notification.permission : "unsupported";
}

export function base64UrlToBytes(text) {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(text.length / 4) * 4, "=");
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

function bytesToBase64Url(buffer) {
  const bytes = new Uint8Array(buffer);
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export async function serverKey() {
  const data = await api.get("/api/push/vapid-public-key");
  return data.public_key;
}

function withTimeout(promise, ms, message) {
  const late = Object.assign(new Error(message), { name: "TimeoutError" });
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(late), ms))]);
}

/** Why this device could not be registered for reminders, in words for the person holding it. */
export function registrationProblem(error) {
  if (!pushSupported()) return t("push.this_browser_cannot_show_notifications");
  if (permission() !== "granted") return t("push.notifications_are_not_allowed_for");
  if (error instanceof NetworkError) return t("push.there_is_no_connection_to");
  if (error instanceof ApiError) return t("push.hep_did_not_accept_it", { message: error.message });
  if (error?.name === "TimeoutError") return t("push.browsers_push_service_did_not");
  return t("push.browsers_push_service_refused_it");
}

function subscriptionKey(subscription) {
  const key = subscription?.options?.applicationServerKey;
  return key ? bytesToBase64Url(key) : null;
}

/**
 * Make sure this device has a push subscription made with the server's current key, and that
 * the server knows it. Called after permission is granted and on every app start; null when
 * this browser cannot, or may not, show notifications.
 */
export async function ensureSubscription() {
  if (!pushSupported() || permission() !== "granted") return null;
  const key = await serverKey();
  const registration = await navigator.serviceWorker.ready;
  let subscription = await registration.pushManager.getSubscription();
  const used = localStorage.getItem(KEY_USED);
  const stale =
    subscription && (used !== key || (subscriptionKey(subscription) || key) !== key);
  if (stale) {
    await forgetOnServer();
    await subscription.unsubscribe().catch(() => {});
    subscription = null;
  }
  if (!subscription) {
    subscription = await withTimeout(
      registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: base64UrlToBytes(key),
      }),
      SUBSCRIBE_TIMEOUT_MS,
      t("push.browsers_push_service_did_not_2"),
    );
  }
  const json = subscription.toJSON();
  // the server answers 200 for a subscription it already has; this also refreshes it
  const saved = await api.post("/api/push/subscriptions", {
    endpoint: json.endpoint,
    keys: { p256dh: json.keys.p256dh, auth: json.keys.auth },
  });
  localStorage.setItem(KEY_USED, key);
  if (saved && saved.id) localStorage.setItem(SUBSCRIPTION_ID, saved.id);
  return subscription;
}

/** Ask for permission (must run from a tap), then subscribe. */
export async function enablePush() {
  if (!pushSupported()) throw new Error("This browser cannot show notifications from hep.");
  const answer = await Notification.requestPermission();
  if (answer !== "granted") return answer;
  await ensureSubscription();
  return answer;
}

async function forgetOnServer() {
  const id = localStorage.getItem(SUBSCRIPTION_ID);
  if (!id) return;
  try {
    await api.del(`/api/push/subscriptions/${encodeURIComponent(id)}`, undefined, {
      quiet401: true,
    });
  } catch (error) {
    if (!isMissingEndpoint(error) && error.status !== 401) throw error;
  }
  localStorage.removeItem(SUBSCRIPTION_ID);
}

/** Stop pushes to this device (on sign-out, or from the settings). */
export async function disablePush() {
  await forgetOnServer().catch(() => {});
  if (pushSupported()) {
    const registration = await navigator.serviceWorker.getRegistration();
    const subscription = await registration?.pushManager.getSubscription();
    await subscription?.unsubscribe().catch(() => {});
  }
  localStorage.removeItem(KEY_USED);
}

export async function hasSubscription() {
  if (!pushSupported()) return false;
  const registration = await navigator.serviceWorker.getRegistration();
  return Boolean(await registration?.pushManager.getSubscription());
}

export function sendTest() {
  return api.post("/api/push/test");
}
