// hep's service worker (scope "/"):
// - the app shell is cached so the app starts offline (cache first, refreshed in the background
//   so a new release arrives on the next start);
// - /api/ is never cached or answered from a cache: health data must not outlive a session or
//   leak from one user to the next; the one exception is the media of the signed-in patient's
//   current program (its photos and videos, and their list), which the app asks to keep so
//   exercises can be watched offline: bounded, let go when the program changes, answered from
//   the cache only when the network fails, and dropped with every cache on sign-out;
// - push messages become notifications (generic wording, one tag per occurrence so a duplicate
//   replaces itself), whose "Done" and "Snooze" actions call the API without opening the app.

const SHELL_CACHE = "hep-shell-v2";
const MEDIA_CACHE = "hep-media-v1";
const MEDIA_MAX_FILES = 60;
const MEDIA_MAX_BYTES = 200 * 1024 * 1024;
const MEDIA_PATH = /^\/api\/(media\/[\w-]+\/(file|thumbnail)|programs\/[\w-]+\/media)$/;
const SHELL = [
  "/",
  "/manifest.webmanifest",
  "/static/css/app.css",
  "/static/css/handout.css",
  "/static/css/print.css",
  "/static/icons/icon-192.png",
  "/static/icons/icon-512.png",
  "/static/icons/icon-maskable-512.png",
  "/static/icons/icon.svg",
  "/static/locales/de.json",
  "/static/locales/en.json",
  "/static/locales/es.json",
  "/static/js/api.js",
  "/static/js/app.js",
  "/static/js/charts.js",
  "/static/js/checkins.js",
  "/static/js/dates.js",
  "/static/js/day.js",
  "/static/js/dom.js",
  "/static/js/i18n.js",
  "/static/js/labels.js",
  "/static/js/offline-queue.js",
  "/static/js/push.js",
  "/static/js/router.js",
  "/static/js/rules.js",
  "/static/js/session.js",
  "/static/js/timer.js",
  "/static/js/admin/accounts.js",
  "/static/js/cards/care.js",
  "/static/js/cards/changes.js",
  "/static/js/cards/check-in-forms.js",
  "/static/js/cards/exercise-card.js",
  "/static/js/cards/habit-card.js",
  "/static/js/cards/panel.js",
  "/static/js/cards/pause.js",
  "/static/js/cards/prompts.js",
  "/static/js/cards/saving.js",
  "/static/js/components/adherence.js",
  "/static/js/components/attention-panel.js",
  "/static/js/components/attention.js",
  "/static/js/components/care-settings.js",
  "/static/js/components/care-team.js",
  "/static/js/components/check-in-text.js",
  "/static/js/components/clinic-invites.js",
  "/static/js/components/clinic-members.js",
  "/static/js/components/discharge.js",
  "/static/js/components/edit-window.js",
  "/static/js/components/habit-form.js",
  "/static/js/components/invite-box.js",
  "/static/js/components/item-care.js",
  "/static/js/components/item-editor.js",
  "/static/js/components/library-search.js",
  "/static/js/components/media.js",
  "/static/js/components/message-thread.js",
  "/static/js/components/pain-guidance.js",
  "/static/js/components/password-field.js",
  "/static/js/components/patient-conversation.js",
  "/static/js/components/patient-habits.js",
  "/static/js/components/patient-programs.js",
  "/static/js/components/patient-reminders.js",
  "/static/js/components/patient-search.js",
  "/static/js/components/program-comparison.js",
  "/static/js/components/program-estimate.js",
  "/static/js/components/proposals.js",
  "/static/js/components/recent-check-ins.js",
  "/static/js/components/reminder-form.js",
  "/static/js/components/reminder-history.js",
  "/static/js/components/rule-text.js",
  "/static/js/components/scales.js",
  "/static/js/components/scores.js",
  "/static/js/components/sharing.js",
  "/static/js/components/sign-in-link.js",
  "/static/js/components/team-history.js",
  "/static/js/components/thresholds.js",
  "/static/js/components/weekday-picker.js",
  "/static/js/therapist/caseload.js",
  "/static/js/therapist/clinic-care.js",
  "/static/js/therapist/imports.js",
  "/static/js/therapist/library.js",
  "/static/js/therapist/patient.js",
  "/static/js/therapist/patients.js",
  "/static/js/therapist/program-builder.js",
  "/static/js/therapist/program-history.js",
  "/static/js/therapist/questionnaires.js",
  "/static/js/therapist/template.js",
  "/static/js/therapist/templates.js",
  "/static/js/views/account.js",
  "/static/js/views/audit-log.js",
  "/static/js/views/auth.js",
  "/static/js/views/calendar.js",
  "/static/js/views/care-team.js",
  "/static/js/views/changes.js",
  "/static/js/views/check-in.js",
  "/static/js/views/clinic.js",
  "/static/js/views/clinics.js",
  "/static/js/views/email.js",
  "/static/js/views/exercise.js",
  "/static/js/views/habits.js",
  "/static/js/views/handout.js",
  "/static/js/views/history.js",
  "/static/js/views/invite.js",
  "/static/js/views/join-clinic.js",
  "/static/js/views/measure.js",
  "/static/js/views/measures.js",
  "/static/js/views/messages.js",
  "/static/js/views/notifications.js",
  "/static/js/views/pain.js",
  "/static/js/views/pause.js",
  "/static/js/views/progress.js",
  "/static/js/views/recovery.js",
  "/static/js/views/reminders.js",
  "/static/js/views/summary.js",
  "/static/js/views/today.js",
  "/static/js/views/weekly-review.js",
];
const SHELL_PATHS = new Set(SHELL);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((n) => n !== SHELL_CACHE && n !== MEDIA_CACHE).map((n) => caches.delete(n)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (MEDIA_PATH.test(url.pathname) && !url.search) {
    event.respondWith(mediaOrKept(request, url.pathname));
    return;
  }
  // network only: the browser handles it as if there were no worker
  if (url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate" && url.pathname === "/") {
    event.respondWith(fromShell(event, "/"));
    return;
  }
  if (SHELL_PATHS.has(url.pathname)) event.respondWith(fromShell(event, url.pathname));
});

async function fromShell(event, path) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(path);
  const refresh = fetch(path, { cache: "no-cache" })
    .then((response) => {
      if (response.ok) return cache.put(path, response.clone()).then(() => response);
      return response;
    })
    .catch(() => null);
  if (cached) {
    event.waitUntil(refresh);
    return cached;
  }
  return (await refresh) || new Response("Offline", { status: 503, statusText: "Offline" });
}

self.addEventListener("message", (event) => {
  // sign-out: drop every cache this origin holds
  if (event.data && event.data.type === "clear") {
    event.waitUntil(caches.keys().then((names) => Promise.all(names.map((n) => caches.delete(n)))));
  }
  if (event.data && event.data.type === "keep-media" && Array.isArray(event.data.urls)) {
    event.waitUntil(keepMedia(event.data.urls).catch(() => {}));
  }
});

// --- the current program's media, for offline use -----------------------------------------

/** The network first; the kept copy when it fails (a range of it for a seeking video). */
async function mediaOrKept(request, path) {
  try {
    return await fetch(request);
  } catch (error) {
    const cache = await caches.open(MEDIA_CACHE);
    const kept = await cache.match(path);
    if (!kept) throw error;
    const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.get("Range") || "");
    if (!range) return kept;
    const body = await kept.blob();
    const size = body.size;
    const start = range[1] === "" ? Math.max(0, size - Number(range[2])) : Number(range[1]);
    const end = range[1] === "" || range[2] === "" ? size - 1 : Math.min(Number(range[2]), size - 1);
    if (start >= size || start > end) {
      return new Response(null, { status: 416, headers: { "Content-Range": `bytes */${size}` } });
    }
    return new Response(body.slice(start, end + 1), {
      status: 206,
      headers: {
        "Content-Type": kept.headers.get("Content-Type") || "application/octet-stream",
        "Content-Range": `bytes ${start}-${end}/${size}`,
        "Content-Length": String(end - start + 1),
      },
    });
  }
}

/** Keep what is listed (in order, within the bounds), let go of the rest. */
async function keepMedia(listed) {
  const cache = await caches.open(MEDIA_CACHE);
  const wanted = [];
  let bytes = 0;
  for (const { url, size } of listed) {
    if (typeof url !== "string" || !MEDIA_PATH.test(url)) continue;
    if (wanted.length >= MEDIA_MAX_FILES || bytes + (Number(size) || 0) > MEDIA_MAX_BYTES) continue;
    bytes += Number(size) || 0;
    wanted.push(url);
  }
  const keep = new Set(wanted);
  for (const request of await cache.keys()) {
    if (!keep.has(new URL(request.url).pathname)) await cache.delete(request);
  }
  for (const url of wanted) {
    // lists change with the program; files never change under their address
    if (!url.endsWith("/media") && (await cache.match(url))) continue;
    const response = await fetch(url, { credentials: "same-origin" }).catch(() => null);
    if (response && response.status === 200) await cache.put(url, response);
  }
}

// --- push --------------------------------------------------------------------------------

/** Reads both our Declarative Web Push shape and a plain {title, body} object. */
function parsePush(data) {
  let payload;
  try {
    payload = data ? data.json() : {};
  } catch {
    payload = { notification: { title: "hep", body: data ? data.text() : "" } };
  }
  const n = payload && payload.web_push === 8030 ? payload.notification || {} : payload || {};
  const extra = n.data || {};
  const navigate = n.navigate || "/#/today";
  const occurrence =
    extra.occurrence || extra.occurrence_id || (navigate.match(/#\/check-in\/([\w-]+)/) || [])[1];
  const kind = extra.kind || (occurrence ? "reminder" : "general");
  return {
    title: n.title || "hep",
    body: n.body || "",
    tag: n.tag || (occurrence ? `hep-${occurrence}` : "hep"),
    silent: Boolean(n.silent),
    data: { ...extra, occurrence, kind, navigate },
  };
}

self.addEventListener("push", (event) => {
  const n = parsePush(event.data);
  // "Done" and "Snooze" act on a reminder; a weekly check-in or a questionnaire is answered
  // in the app, which tapping the notification opens
  const isReminder = n.data.occurrence && ["reminder", "program", "habit", "general"].includes(n.data.kind);
  event.waitUntil(
    self.registration.showNotification(n.title, {
      body: n.body,
      tag: n.tag,
      silent: n.silent,
      icon: "/static/icons/icon-192.png",
      badge: "/static/icons/icon-192.png",
      data: n.data,
      actions: isReminder
        ? [
            { action: "done", title: "Done" },
            { action: "snooze", title: "Snooze 15 min" },
          ]
        : [],
    }),
  );
});

function post(path, body) {
  return fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: body
      ? { "X-HEP-CSRF": "1", "Content-Type": "application/json", Accept: "application/json" }
      : { "X-HEP-CSRF": "1", Accept: "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
}

async function openApp(url) {
  let target = new URL(url || "/#/today", self.location.origin);
  // never let a payload send the app to another site
  if (target.origin !== self.location.origin) target = new URL("/#/today", self.location.origin);
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).origin === target.origin);
  if (open) {
    // the app routes by hash: tell it where to go rather than reloading it
    open.postMessage({ type: "navigate", url: target.href });
    return open.focus();
  }
  return self.clients.openWindow(target.href);
}

async function tellClients(message) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  windows.forEach((client) => client.postMessage(message));
}

async function runAction(notification, action) {
  const data = notification.data || {};
  const occurrence = encodeURIComponent(data.occurrence || "");
  const path =
    action === "done"
      ? `/api/notifications/${occurrence}/done`
      : `/api/notifications/${occurrence}/snooze`;
  let response;
  try {
    response = await post(path, action === "snooze" ? { minutes: 15 } : null);
  } catch {
    response = null;
  }
  notification.close();
  if (response && response.ok) await tellClients({ type: "refresh" });
  else {
    // offline, signed out or refused: open the check-in page so nothing is silently lost
    await openApp(data.navigate);
  }
}

self.addEventListener("notificationclick", (event) => {
  const notification = event.notification;
  const data = notification.data || {};
  if ((event.action === "done" || event.action === "snooze") && data.occurrence) {
    event.waitUntil(runAction(notification, event.action));
    return;
  }
  notification.close();
  event.waitUntil(openApp(data.navigate));
});

function base64UrlToBytes(text) {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(text.length / 4) * 4, "=");
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

function sameKey(subscription, key) {
  const used = subscription.options && subscription.options.applicationServerKey;
  if (!used) return true;
  const wanted = base64UrlToBytes(key);
  const bytes = new Uint8Array(used);
  return bytes.length === wanted.length && bytes.every((b, i) => b === wanted[i]);
}

/**
 * Give hep a subscription made with its current key: the one offered, the one the browser
 * still has, or a new one.
 */
async function resubscribe(offered) {
  const keyResponse = await fetch("/api/push/vapid-public-key", { credentials: "same-origin" });
  if (!keyResponse.ok) return;
  const { public_key: key } = await keyResponse.json();
  let subscription = offered || (await self.registration.pushManager.getSubscription());
  if (subscription && !sameKey(subscription, key)) {
    await subscription.unsubscribe().catch(() => {});
    subscription = null;
  }
  if (!subscription) {
    subscription = await self.registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: base64UrlToBytes(key),
    });
  }
  const json = subscription.toJSON();
  await post("/api/push/subscriptions", {
    endpoint: json.endpoint,
    keys: { p256dh: json.keys.p256dh, auth: json.keys.auth },
  });
}

self.addEventListener("pushsubscriptionchange", (event) => {
  // the push service replaced (or dropped) our subscription: hand hep the new one; the old
  // endpoint answers 404/410 from now on, which is how hep drops it
  event.waitUntil(resubscribe(event.newSubscription).catch(() => {}));
});
