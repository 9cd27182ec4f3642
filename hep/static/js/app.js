// Starts the PWA: the service worker, who is signed in, the navigation for their role, the
// router, and the offline queue's replay whenever the connection comes back.

import { ApiError, NetworkError } from "./api.js";
import { h, replace, toast } from "./dom.js";
import { createRouter, currentPath, navigate } from "./router.js";
import { currentUser, loadUser, setUser } from "./session.js";
import { pendingCheckIns, replayQueue } from "./checkins.js";
import { savedDay } from "./offline-queue.js";
import { ensureSubscription, permission } from "./push.js";
import { guestLanguage, language, t, useLanguage } from "./i18n.js";

const PATIENT_NAV = [
  ["#/today", "nav.today", "/today"],
  ["#/progress", "nav.progress", "/progress"],
  ["#/pain", "nav.pain", "/pain"],
  ["#/reminders", "nav.reminders", "/reminders"],
  ["#/account", "nav.more", "/account"],
];
const THERAPIST_NAV = [
  ["#/patients", "nav.patients", "/patients"],
  ["#/library", "nav.library", "/library"],
  ["#/templates", "nav.templates", "/templates"],
  ["#/clinics", "nav.clinics", "/clinics"],
  ["#/account", "nav.account", "/account"],
];
const ADMIN_NAV = [
  ["#/admin/accounts", "nav.accounts", "/admin/accounts"],
  ["#/clinics", "nav.clinics", "/clinics"],
  ["#/admin/audit-log", "nav.audit_log", "/admin/audit-log"],
  ["#/account", "nav.account", "/account"],
];

const lazy = (module, name) => async (ctx) => (await import(module))[name](ctx);

const routes = [
  { path: "/", title: "hep", view: async () => h("p", {}, "…"), home: true },
  { path: "/sign-in", title: "route.sign_in", view: lazy("./views/auth.js", "signIn"), public: "guest" },
  { path: "/sign-up", title: "route.create_an_account", view: lazy("./views/auth.js", "signUp"), public: "guest" },
  {
    path: "/sign-up/therapist",
    title: "route.create_a_therapist_account",
    view: lazy("./views/auth.js", "signUpTherapist"),
    public: "guest",
  },
  { path: "/invite/:code", title: "route.your_invitation", view: lazy("./views/invite.js", "invite"), public: "any" },
  {
    path: "/forgot-password",
    title: "route.forgot_your_password",
    view: lazy("./views/recovery.js", "forgotPassword"),
    public: "guest",
  },
  { path: "/reset/:code", title: "route.choose_a_new_password", view: lazy("./views/recovery.js", "resetPassword"), public: "any" },
  {
    path: "/sign-in-link/:code",
    title: "route.choose_a_new_password",
    view: lazy("./views/recovery.js", "resetPassword"),
    public: "any",
  },
  { path: "/account-deleted", title: "route.account_deleted", view: lazy("./views/account.js", "accountDeleted"), public: "any" },
  { path: "/join-clinic/:code", title: "route.join_a_clinic", view: lazy("./views/join-clinic.js", "joinClinic"), public: "any" },
  { path: "/verify-email/:code", title: "route.confirm_your_address", view: lazy("./views/recovery.js", "verifyEmail"), public: "any" },
  { path: "/email", title: "route.email", view: lazy("./views/email.js", "email") },
  { path: "/today", title: "route.today", view: lazy("./views/today.js", "today"), roles: ["patient"] },
  { path: "/day/:date", title: "route.log_a_day", view: lazy("./views/today.js", "today"), roles: ["patient"] },
  { path: "/exercise/:key", title: "route.exercise", view: lazy("./views/exercise.js", "exercise"), roles: ["patient"] },
  { path: "/pain", title: "route.pain_diary", view: lazy("./views/pain.js", "pain"), roles: ["patient"] },
  { path: "/progress", title: "route.progress", view: lazy("./views/progress.js", "progress"), roles: ["patient"] },
  { path: "/reminders", title: "route.reminders", view: lazy("./views/reminders.js", "reminders"), roles: ["patient"] },
  { path: "/history", title: "route.history", view: lazy("./views/history.js", "history"), roles: ["patient"] },
  { path: "/habits", title: "route.habits", view: lazy("./views/habits.js", "habits"), roles: ["patient"] },
  {
    path: "/notifications",
    title: "route.notifications",
    view: lazy("./views/notifications.js", "notifications"),
    roles: ["patient"],
  },
  { path: "/pause", title: "app.pause", view: lazy("./views/pause.js", "pause"), roles: ["patient"] },
  { path: "/changes", title: "app.what_changed_and_why", view: lazy("./views/changes.js", "changes"), roles: ["patient"] },
  {
    path: "/clinics/:id/care-rules",
    title: "app.attention_thresholds",
    view: lazy("./therapist/clinic-care.js", "clinicCare"),
    roles: ["therapist", "admin"],
  },
  {
    path: "/check-in/:occurrence",
    title: "route.check_in",
    view: lazy("./views/check-in.js", "checkIn"),
    roles: ["patient"],
  },
  { path: "/weekly-review", title: "route.your_week", view: lazy("./views/weekly-review.js", "weeklyReview"), roles: ["patient"] },
  { path: "/measures", title: "route.questionnaires", view: lazy("./views/measures.js", "measures"), roles: ["patient"] },
  { path: "/measures/:id", title: "route.questionnaire", view: lazy("./views/measure.js", "measure"), roles: ["patient"] },
  { path: "/messages", title: "route.messages", view: lazy("./views/messages.js", "messages"), roles: ["patient"] },
  { path: "/summary", title: "route.progress_summary", view: lazy("./views/summary.js", "summary"), roles: ["patient"] },
  { path: "/care-team", title: "route.your_care_team", view: lazy("./views/care-team.js", "careTeam"), roles: ["patient"] },
  { path: "/account", title: "route.account", view: lazy("./views/account.js", "account") },
  { path: "/calendar", title: "route.calendar", view: lazy("./views/calendar.js", "calendar"), roles: ["patient"] },
  { path: "/handout", title: "route.print_your_program", view: lazy("./views/handout.js", "myHandouts"), roles: ["patient"] },
  { path: "/programs/:id/handout", title: "route.handout", view: lazy("./views/handout.js", "handout"), roles: ["patient", "therapist"] },
  { path: "/patients/discharged", title: "route.discharged_patients", view: lazy("./therapist/patients.js", "dischargedPatients"), roles: ["therapist"] },
  { path: "/patients", title: "route.patients", view: lazy("./therapist/patients.js", "patients"), roles: ["therapist"] },
  {
    path: "/patients/:id",
    title: "route.patient",
    view: lazy("./therapist/patient.js", "patient"),
    roles: ["therapist"],
  },
  {
    path: "/patients/:id/programs/new",
    title: "route.new_program",
    view: lazy("./therapist/program-builder.js", "newProgram"),
    roles: ["therapist"],
  },
  {
    path: "/programs/:id/edit",
    title: "route.edit_program",
    view: lazy("./therapist/program-builder.js", "editProgram"),
    roles: ["therapist"],
  },
  {
    path: "/programs/:id/versions",
    title: "route.program_history",
    view: lazy("./therapist/program-history.js", "programHistory"),
    roles: ["therapist"],
  },
  { path: "/library", title: "route.exercise_library", view: lazy("./therapist/library.js", "library"), roles: ["therapist"] },
  {
    path: "/library/new",
    title: "route.new_exercise",
    view: lazy("./therapist/library.js", "exerciseForm"),
    roles: ["therapist"],
  },
  {
    path: "/library/:id/edit",
    title: "route.edit_exercise",
    view: lazy("./therapist/library.js", "exerciseForm"),
    roles: ["therapist"],
  },
  { path: "/templates/import", title: "route.import_a_program_file", view: lazy("./therapist/imports.js", "importProgram"), roles: ["therapist"] },
  { path: "/clinics/:id/patients/import", title: "route.import_patients", view: lazy("./therapist/imports.js", "importCaseload"), roles: ["therapist"] },
  { path: "/templates", title: "route.templates", view: lazy("./therapist/templates.js", "templates"), roles: ["therapist"] },
  { path: "/templates/:id", title: "route.template", view: lazy("./therapist/template.js", "template"), roles: ["therapist"] },
  { path: "/templates/:id/edit", title: "route.edit_template", view: lazy("./therapist/program-builder.js", "editTemplate"), roles: ["therapist"] },
  {
    path: "/patients/:id/summary",
    title: "route.progress_summary",
    view: lazy("./views/summary.js", "summary"),
    roles: ["therapist"],
  },
  { path: "/clinics", title: "route.clinics", view: lazy("./views/clinics.js", "clinics"), roles: ["therapist", "admin"] },
  { path: "/clinics/:id", title: "route.clinic", view: lazy("./views/clinic.js", "clinic"), roles: ["therapist", "admin"] },
  { path: "/clinics/:id/caseload", title: "route.caseload", view: lazy("./therapist/caseload.js", "caseload"), roles: ["therapist"] },
  { path: "/clinics/:id/audit-log", title: "route.audit_log", view: lazy("./views/audit-log.js", "auditLog"), roles: ["therapist", "admin"] },
  { path: "/admin/accounts", title: "route.accounts", view: lazy("./admin/accounts.js", "accounts"), roles: ["admin"] },
  { path: "/admin/audit-log", title: "route.audit_log", view: lazy("./views/audit-log.js", "auditLog"), roles: ["admin"] },
  {
    path: "/questionnaires",
    title: "route.questionnaires",
    view: lazy("./therapist/questionnaires.js", "questionnaires"),
    roles: ["therapist"],
  },
];

function home(user) {
  if (!user) return "/sign-in";
  const homes = { therapist: "/patients", patient: "/today", admin: "/admin/accounts" };
  return homes[user.role] || "/account";
}

const AFTER_SIGN_IN = "hep.after-sign-in";

async function resolve(route, path) {
  const user = currentUser();
  if (route.home) return home(user);
  if (route.public === "guest") return user ? home(user) : null;
  if (route.public === "any") return null;
  if (!user) {
    sessionStorage.setItem(AFTER_SIGN_IN, path);
    return "/sign-in";
  }
  if (route.roles && !route.roles.includes(user.role)) return home(user);
  return null;
}

/** Sign in first, then come back to `path` (a link that needs an account, like a clinic's). */
export function signInFirst(path) {
  sessionStorage.setItem(AFTER_SIGN_IN, path);
  navigate("/sign-in");
}

/**
 * Signed in: load who that is (with the server's rules), then go to the page that asked for
 * it, else the role's home.
 */
export async function afterSignIn() {
  const user = await loadUser();
  const wanted = sessionStorage.getItem(AFTER_SIGN_IN);
  sessionStorage.removeItem(AFTER_SIGN_IN);
  replayQueue().catch(() => {});
  navigate(wanted && wanted !== "/sign-in" ? wanted : home(user), { replace: true });
}

function renderNav() {
  const nav = document.getElementById("nav");
  const user = currentUser();
  const navs = { therapist: THERAPIST_NAV, patient: PATIENT_NAV, admin: ADMIN_NAV };
  const items = navs[user?.role] || [];
  nav.hidden = items.length === 0;
  document.body.classList.toggle("has-tabs", user?.role === "patient");
  // staff screens (a therapist's, an admin's) get the wide layout and the top navigation
  document.body.classList.toggle("therapist", user?.role === "therapist" || user?.role === "admin");
  const { path } = currentPath();
  replace(
    nav,
    h(
      "ul",
      {},
      items.map(([href, label, prefix]) =>
        h(
          "li",
          {},
          h(
            "a",
            {
              href,
              "aria-current": path === prefix || path.startsWith(`${prefix}/`) ? "page" : null,
            },
            t(label),
          ),
        ),
      ),
    ),
  );
}

function errorView(error) {
  if (error instanceof NetworkError) {
    return h(
      "section",
      { class: "page" },
      h("h1", { class: "page-title", tabindex: "-1" }, t("app.you_are_offline")),
      h("p", {}, t("app.this_screen_needs_connection_anything")),
      h("button", { class: "btn btn-primary", type: "button", onclick: () => location.reload() }, t("common.try_again")),
    );
  }
  const notFound = error instanceof ApiError && error.status === 404;
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, notFound ? t("app.not_found") : t("app.something_went_wrong")),
    h("p", {}, notFound ? t("app.this_page_does_not_exist") : error.message),
    error.requestId ? h("p", { class: "muted" }, t("app.reference_requestid", { requestId: error.requestId })) : null,
    h("p", {}, h("a", { href: "#/" }, t("app.back_to_start"))),
  );
}

let firstPaint = true;

function mount(element, { title, error }) {
  const main = document.getElementById("main");
  replace(main, error ? errorView(error) : element);
  if (error && !(error instanceof ApiError || error instanceof NetworkError)) console.error(error);
  document.title = title && title !== "hep" ? `${t(title)} · hep` : "hep";
  renderNav();
  // move focus to the new screen's heading so screen readers hear where they are
  if (!firstPaint) (main.querySelector("h1") || main).focus({ preventScroll: false });
  firstPaint = false;
  window.scrollTo(0, 0);
}

async function updateSyncStatus() {
  const status = document.getElementById("sync-status");
  const waiting = (await pendingCheckIns()).length;
  if (!navigator.onLine) {
    status.textContent = waiting ? t("app.offline_to_send", { count: waiting }) : t("app.offline");
  } else {
    status.textContent = waiting ? t("app.waiting_to_sync", { count: waiting }) : "";
  }
  status.classList.toggle("is-offline", !navigator.onLine || waiting > 0);
}

async function start() {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((e) => console.warn(e));
    navigator.serviceWorker.addEventListener("message", (event) => {
      const data = event.data || {};
      if (data.type === "navigate" && typeof data.url === "string") {
        const url = new URL(data.url, location.origin);
        if (url.origin === location.origin) location.hash = url.hash || "#/";
      } else if (data.type === "refresh") {
        window.dispatchEvent(new CustomEvent("hep:synced"));
      }
    });
  }
  const router = createRouter({
    routes,
    resolve,
    mount,
    notFound: () =>
      h(
        "section",
        { class: "page" },
        h("h1", { class: "page-title", tabindex: "-1" }, t("app.not_found")),
        h("p", {}, h("a", { href: "#/" }, t("app.back_to_start"))),
      ),
  });
  let startedOffline = false;
  try {
    await loadUser();
  } catch (error) {
    startedOffline = error instanceof NetworkError && (await resumeOffline());
    if (!startedOffline) {
      await useLanguage(guestLanguage()).catch(() => {});
      mount(null, { title: t("route.offline"), error });
      window.addEventListener("online", () => location.reload(), { once: true });
      return;
    }
  }
  window.addEventListener("hep:unauthorized", () => {
    if (!currentUser()) return;
    setUser(null);
    const { path } = currentPath();
    sessionStorage.setItem(AFTER_SIGN_IN, path);
    toast(t("app.please_sign_in_again_anything"));
    navigate("/sign-in");
  });
  window.addEventListener("hep:user", () => speak(router));
  window.addEventListener("hep:queue", updateSyncStatus);
  window.addEventListener("offline", updateSyncStatus);
  window.addEventListener("online", async () => {
    if (startedOffline) {
      if (!(await reconnect(router))) return;
      startedOffline = false;
    }
    await updateSyncStatus();
    await replayQueue().catch(() => {});
  });
  await useLanguage(currentUser()?.language || guestLanguage()).catch((e) => console.warn(e));
  await router.handle();
  updateSyncStatus();
  if (startedOffline) return;
  replayQueue().catch(() => {});
  repairPush();
}

/**
 * The app in its user's language: a signed-in user's setting (changed on Account, or on
 * another device), else the one picked on this phone or the browser's. A new language
 * repaints the screen at once.
 */
async function speak(router) {
  const wanted = currentUser()?.language || guestLanguage();
  if (wanted !== language() && (await useLanguage(wanted).catch(() => false))) {
    await router.handle();
  } else renderNav();
}

function repairPush() {
  const user = currentUser();
  if (user?.role === "patient" && permission() === "granted") {
    // a new server key or a lost subscription is repaired quietly on every start
    ensureSubscription().catch(() => {});
  }
}

/**
 * No connection at start: go on as the patient whose Today this phone kept (the server has
 * not said who is signed in, so only what was already shown to them here is shown again).
 */
async function resumeOffline() {
  const kept = await savedDay().catch(() => null);
  // (a copy kept by an older release has no server rules with it: it cannot be shown right)
  if (!kept || kept.user?.role !== "patient" || !kept.user.rules) return false;
  setUser(kept.user);
  return true;
}

/** Back online after an offline start: ask the server who is signed in before going on. */
async function reconnect(router) {
  const shown = currentUser();
  try {
    await loadUser();
  } catch {
    return false;
  }
  if (currentUser()?.id !== shown?.id) {
    // signed out (or someone else signed in) meanwhile: start afresh; the queue waits for them
    location.reload();
    return false;
  }
  await router.handle();
  repairPush();
  return true;
}

start();
