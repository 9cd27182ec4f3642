// Reminders: times or an interval window, weekdays, skip-if-done, pause with a reason, snooze;
// and the budget for the whole account: quiet hours and a daily cap. Each reminder opens its
// recent history: when it came due (on the patient's clock) and why it was or was not sent.

import { api, isMissingEndpoint } from "../api.js";
import { busy, confirmDialog, field, h, showErrors, toast } from "../dom.js";
import { addDays, todayIn, zonedDateTime } from "../dates.js";
import { currentUser } from "../session.js";
import { navigate } from "../router.js";
import { hasSubscription, permission, pushSupported } from "../push.js";
import { limits } from "../rules.js";
import { historyToggle } from "../components/reminder-history.js";
import { ruleText } from "../components/rule-text.js";
import { reminderForm } from "../components/reminder-form.js";

const WORDS = {
  delay: "Delay next by 1 h",
  delayed: "Next reminder:",
  noQuiet: "Leave both quiet-hour times empty to get reminders at any hour.",
};

const PAUSE_REASONS = {
  "flare-up": "Flare-up",
  unwell: "Unwell",
  away: "Away",
  busy: "Busy few days",
  other: "Other",
};

export async function reminders({ query }) {
  let list;
  let settings;
  try {
    [list, settings] = await Promise.all([api.get("/api/reminders"), api.get("/api/me/notification-settings")]);
  } catch (error) {
    if (!isMissingEndpoint(error)) throw error;
    return h(
      "section",
      { class: "page" },
      h("h1", { class: "page-title", tabindex: "-1" }, "Reminders"),
      h("p", { class: "empty" }, "Reminders are not available on this server yet."),
    );
  }
  const [programs, habits] = await Promise.all([api.get("/api/programs"), api.get("/api/habits")]);
  const editing = query.get("edit");
  const adding = query.get("new") === "1";
  const current = editing ? list.find((r) => String(r.id) === editing) : null;
  const warning = await deviceWarning();
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, "Reminders"),
    h("p", { class: "subtitle" }, "Reminders come only for what is still to do: once it is done, hep stays quiet."),
    warning,
    adding || current
      ? reminderForm({ current, programs, habits, after: () => navigate("/reminders") })
      : h("div", { class: "actions" }, h("a", { class: "btn btn-primary", href: "#/reminders?new=1" }, "Add a reminder")),
    list.length
      ? h("div", {}, list.map((r) => reminderCard(r, programs, habits)))
      : h("p", { class: "empty" }, "No reminders yet."),
    settingsForm(settings),
  );
}

/** Why this phone would get none of these reminders, if it would not; else null. */
async function deviceWarning() {
  const say = (text, link) => h("p", { class: "banner warn" }, text, " ", h("a", { href: "#/notifications" }, link), ".");
  if (!pushSupported()) return say("This browser cannot show reminders.", "See how to get them");
  if (permission() !== "granted") return say("Notifications are off on this phone.", "Turn them on");
  if (!(await hasSubscription().catch(() => false))) {
    return say("Notifications are allowed, but this phone is not registered for reminders yet.", "Register it");
  }
  return null;
}

function targetName(reminder, programs, habits) {
  const t = reminder.target || {};
  if (t.kind === "habit") return habits.find((x) => x.id === t.habit_id)?.name || "A habit";
  if (t.kind === "program") {
    const program = programs.find((p) => p.id === t.program_id);
    if (!program) return "Your exercises";
    const keys = t.item_keys || [];
    if (!keys.length) return program.title;
    return program.items.filter((i) => keys.includes(i.item_key)).map((i) => i.exercise.name).join(", ");
  }
  if (t.kind === "review") return "Your weekly check-in";
  if (t.kind === "measure") return "Questionnaires, when one is due";
  return "A general reminder";
}

function reminderCard(reminder, programs, habits) {
  const paused = reminder.paused_until && reminder.paused_until >= todayIn(currentUser().timezone);
  const pauseBox = h("div", { class: "entry-more", hidden: true });
  const history = historyToggle({
    path: `/api/reminders/${encodeURIComponent(reminder.id)}/history`,
    timeZone: currentUser().timezone,
    title: reminder.label || targetName(reminder, programs, habits),
    level: "h4",
  });
  return h(
    "article",
    { class: "card" },
    h(
      "h3",
      {},
      reminder.label || targetName(reminder, programs, habits),
      reminder.proposed_by_therapist ? h("span", { class: "badge" }, " from your therapist") : null,
    ),
    h("p", { class: "small" }, targetName(reminder, programs, habits), " · ", ruleText(reminder.rule)),
    h(
      "p",
      { class: "small muted" },
      reminder.skip_if_done ? "Skipped when already done. " : "",
      paused
        ? h("span", { class: "badge badge-warn" }, `Paused until ${reminder.paused_until}${reminder.pause_reason ? ` (${PAUSE_REASONS[reminder.pause_reason] || reminder.pause_reason})` : ""}`)
        : reminder.next_fire_at
          ? `Next: ${zonedDateTime(reminder.next_fire_at, currentUser().timezone)}`
          : reminder.target?.kind === "program"
            ? "Stopped: the program has ended"
            : "",
    ),
    h(
      "div",
      { class: "row" },
      h(
        "a",
        {
          class: "btn btn-small",
          // the weekly check-in's day and time are chosen with the check-in itself
          href: reminder.target?.kind === "review" ? "#/weekly-review" : `#/reminders?edit=${encodeURIComponent(reminder.id)}`,
        },
        "Edit",
      ),
      paused
        ? h("button", { type: "button", class: "btn btn-small", onclick: () => change(reminder, { paused_until: null, pause_reason: "" }, "Reminder resumed.") }, "Resume")
        : h(
            "button",
            {
              type: "button",
              class: "btn btn-small",
              onclick: () => {
                pauseBox.hidden = !pauseBox.hidden;
                if (!pauseBox.hidden) {
                  pauseBox.replaceChildren(pauseForm(reminder));
                  pauseBox.querySelector("select")?.focus();
                }
              },
            },
            "Pause",
          ),
      h(
        "button",
        {
          type: "button",
          class: "btn btn-small",
          onclick: async () => {
            try {
              // a snooze delays the next one by an hour; it never brings it forward
              const moved = await api.post(`/api/reminders/${encodeURIComponent(reminder.id)}/snooze`, { minutes: 60 });
              toast(`${WORDS.delayed} ${zonedDateTime(moved.next_fire_at, currentUser().timezone)}`, "success");
              navigate("/reminders");
            } catch (error) {
              toast(error.message, "error");
            }
          },
        },
        WORDS.delay,
      ),
      h(
        "button",
        {
          type: "button",
          class: "btn btn-small btn-quiet",
          onclick: async () => {
            if (!(await confirmDialog({ title: "Delete this reminder?", confirm: "Delete", danger: true }))) return;
            try {
              await api.del(`/api/reminders/${encodeURIComponent(reminder.id)}`);
              toast("Reminder deleted.");
              navigate("/reminders");
            } catch (error) {
              toast(error.message, "error");
            }
          },
        },
        "Delete",
      ),
      history.button,
    ),
    pauseBox,
    history.box,
  );
}

async function change(reminder, body, message) {
  try {
    await api.patch(`/api/reminders/${encodeURIComponent(reminder.id)}`, body);
    toast(message, "success");
    navigate("/reminders");
  } catch (error) {
    toast(error.message, "error");
  }
}

function pauseForm(reminder) {
  const today = todayIn(currentUser().timezone);
  const form = h(
    "form",
    { novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field("Why pause?", h("select", { name: "pause_reason" }, Object.entries(PAUSE_REASONS).map(([v, l]) => h("option", { value: v }, l)))),
    field("Until (and including)", { type: "date", name: "paused_until", min: today, value: addDays(today, 3), required: true }),
    h("button", { type: "submit", class: "btn btn-primary btn-small" }, "Pause reminder"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    busy(form, async () => {
      try {
        await api.patch(`/api/reminders/${encodeURIComponent(reminder.id)}`, {
          paused_until: data.get("paused_until"),
          pause_reason: data.get("pause_reason"),
        });
        toast("Reminder paused.", "success");
        navigate("/reminders");
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}

function settingsForm(settings) {
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, "Quiet hours and daily limit"),
    h("p", { class: "small muted" }, "No reminders during quiet hours, and never more than your daily limit."),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    h(
      "div",
      { class: "dose-grid" },
      // exactly what is stored: an empty pair means no quiet hours
      field("Quiet from", { type: "time", name: "quiet_start", value: settings.quiet_start ?? "" }),
      field("Quiet until", { type: "time", name: "quiet_end", value: settings.quiet_end ?? "" }),
      field("Most reminders a day", { type: "number", name: "daily_cap", value: String(settings.daily_cap), ...limits("notification_settings", "daily_cap") }),
    ),
    h("p", { class: "small muted" }, WORDS.noQuiet),
    h("button", { type: "submit", class: "btn" }, "Save"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    busy(form, async () => {
      try {
        await api.patch("/api/me/notification-settings", {
          quiet_start: data.get("quiet_start") || null,
          quiet_end: data.get("quiet_end") || null,
          daily_cap: Number(data.get("daily_cap")),
        });
        toast("Saved.", "success");
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
