// Reminders: times or an interval window, weekdays, skip-if-done, pause with a reason, snooze;
// and the budget for the whole account: quiet hours and a daily cap. Each reminder opens its
// recent history: when it came due (on the patient's clock) and why it was or was not sent.

import { api, isMissingEndpoint } from "../api.js";
import { busy, confirmDialog, field, h, nextId, showErrors, toast } from "../dom.js";
import { addDays, todayIn, zonedDateTime } from "../dates.js";
import { currentUser } from "../session.js";
import { navigate } from "../router.js";
import { hasSubscription, permission, pushSupported } from "../push.js";
import { limits } from "../rules.js";
import { historyToggle } from "../components/reminder-history.js";
import { ruleText } from "../components/rule-text.js";
import { maskFrom, maskOf, weekdayPicker, weekdaysOf } from "../components/weekday-picker.js";

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
      ? reminderForm(current, programs, habits)
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

// reminders that ask (the weekly check-in, questionnaires) keep what they are about
const ASKING = new Set(["review", "measure"]);

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
              await api.post(`/api/reminders/${encodeURIComponent(reminder.id)}/snooze`, { minutes: 60 });
              toast("Snoozed for an hour.", "success");
              navigate("/reminders");
            } catch (error) {
              toast(error.message, "error");
            }
          },
        },
        "Snooze 1 h",
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

function timeRow(value) {
  const row = h(
    "div",
    { class: "row" },
    h("input", { type: "time", name: "times", value, required: true, "aria-label": "Reminder time", class: "grow" }),
    h("button", { type: "button", class: "btn btn-small btn-quiet", onclick: () => row.remove() }, "Remove", h("span", { class: "visually-hidden" }, " this time")),
  );
  return row;
}

function reminderForm(current, programs, habits) {
  const rule = current?.rule || { type: "times", times: ["08:00", "18:00"], weekdays: [1, 2, 3, 4, 5, 6, 7] };
  const target = current?.target || { kind: programs.length ? "program" : habits.length ? "habit" : "none" };
  const kindName = nextId("kind");
  const typeName = nextId("rule");
  const times = h("div", { class: "stack" }, (rule.times || ["08:00"]).map(timeRow));
  const timesBox = h(
    "fieldset",
    { "data-field": "times" },
    h("legend", {}, "Times"),
    times,
    h("button", { type: "button", class: "btn btn-small", onclick: () => times.append(timeRow("12:00")) }, "Add a time"),
  );
  const intervalBox = h(
    "div",
    { class: "dose-grid" },
    field("Every (minutes)", { type: "number", name: "every_minutes", value: String(rule.every_minutes || 50), ...limits("reminder_rule", "every_minutes") }),
    field("From", { type: "time", name: "start", value: rule.start || "09:00" }),
    field("Until", { type: "time", name: "end", value: rule.end || "17:00" }),
  );
  const programSelect = h("select", { name: "program_id" }, programs.map((p) => h("option", { value: p.id, selected: target.program_id === p.id }, p.title)));
  const habitSelect = h("select", { name: "habit_id" }, habits.map((x) => h("option", { value: x.id, selected: target.habit_id === x.id }, x.name)));
  const programField = field("Program", programSelect);
  const habitField = field("Habit", habitSelect);
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, current ? "Change reminder" : "New reminder"),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    h(
      "fieldset",
      { "data-field": "target", hidden: ASKING.has(target.kind) },
      h("legend", {}, "Remind me about"),
      h(
        "div",
        { class: "chips" },
        [
          ["program", "My exercises", programs.length],
          ["habit", "A habit", habits.length],
          ["none", "Nothing specific", true],
        ].map(([value, label, available]) =>
          available
            ? h("label", { class: "chip" }, h("input", { type: "radio", name: kindName, value, checked: target.kind === value }), h("span", {}, label))
            : null,
        ),
      ),
    ),
    programField,
    habitField,
    field("Label (optional)", { type: "text", name: "label", value: current?.label || "", placeholder: "Morning stretches", ...limits("reminder", "label") }, {
      hint: "Only you see it in the app; notifications show general wording.",
    }),
    h(
      "fieldset",
      {},
      h("legend", {}, "When"),
      h(
        "div",
        { class: "chips" },
        [
          ["times", "At set times"],
          ["interval", "Every few minutes in a window"],
        ].map(([value, label]) =>
          h("label", { class: "chip" }, h("input", { type: "radio", name: typeName, value, checked: rule.type === value }), h("span", {}, label)),
        ),
      ),
    ),
    timesBox,
    intervalBox,
    weekdayPicker("weekdays", maskOf(rule.weekdays), "On which days?"),
    h(
      "label",
      { class: "check" },
      h("input", { type: "checkbox", name: "skip_if_done", checked: current ? current.skip_if_done : true }),
      "Don't remind me when it's already done",
    ),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "btn btn-primary" }, current ? "Save reminder" : "Add reminder"),
      h("a", { class: "btn", href: "#/reminders" }, "Cancel"),
    ),
  );
  const sync = () => {
    const kind = form.querySelector(`input[name="${kindName}"]:checked`)?.value;
    programField.hidden = kind !== "program";
    habitField.hidden = kind !== "habit";
    const type = form.querySelector(`input[name="${typeName}"]:checked`)?.value;
    timesBox.hidden = type !== "times";
    intervalBox.hidden = type !== "interval";
  };
  form.addEventListener("change", sync);
  sync();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const kind = data.get(kindName);
    const weekdays = weekdaysOf(maskFrom(form, "weekdays"));
    const body = {
      label: (data.get("label") || "").trim(),
      skip_if_done: form.querySelector('input[name="skip_if_done"]').checked,
      target:
        kind === "program"
          ? { kind, program_id: data.get("program_id") }
          : kind === "habit"
            ? { kind, habit_id: data.get("habit_id") }
            : { kind: "none" },
      rule:
        data.get(typeName) === "interval"
          ? { type: "interval", every_minutes: Number(data.get("every_minutes")), start: data.get("start"), end: data.get("end"), weekdays }
          : { type: "times", times: data.getAll("times").filter(Boolean), weekdays },
    };
    if (ASKING.has(target.kind)) delete body.target; // it asks for a check-in or a questionnaire
    busy(form, async () => {
      try {
        if (current) await api.patch(`/api/reminders/${encodeURIComponent(current.id)}`, body);
        else await api.post("/api/reminders", body);
        toast(current ? "Reminder saved." : "Reminder added.", "success");
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
      field("Quiet from", { type: "time", name: "quiet_start", value: settings?.quiet_start || "21:30" }),
      field("Quiet until", { type: "time", name: "quiet_end", value: settings?.quiet_end || "07:30" }),
      field("Most reminders a day", { type: "number", name: "daily_cap", value: String(settings?.daily_cap ?? 6), ...limits("notification_settings", "daily_cap") }),
    ),
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
