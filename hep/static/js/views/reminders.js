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
import { t, words } from "../i18n.js";

const WORDS = words({
  delay: "reminders.delay_next_by_1_h",
  noQuiet: "reminders.leave_both_quiet_hour_times",
});

const PAUSE_REASONS = words({
  "flare-up": "reminders.flare_up",
  unwell: "reminders.unwell",
  away: "reminders.away",
  busy: "reminders.busy_few_days",
  other: "reminders.other",
});

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
      h("h1", { class: "page-title", tabindex: "-1" }, t("reminders.reminders")),
      h("p", { class: "empty" }, t("reminders.reminders_are_not_available_on")),
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
    h("h1", { class: "page-title", tabindex: "-1" }, t("reminders.reminders")),
    h("p", { class: "subtitle" }, t("reminders.reminders_come_only_for_what")),
    warning,
    adding || current
      ? reminderForm({ current, programs, habits, after: () => navigate("/reminders") })
      : h("div", { class: "actions" }, h("a", { class: "btn btn-primary", href: "#/reminders?new=1" }, t("reminders.add_reminder"))),
    list.length
      ? h("div", {}, list.map((r) => reminderCard(r, programs, habits)))
      : h("p", { class: "empty" }, t("reminders.no_reminders_yet")),
    settingsForm(settings),
  );
}

/** Why this phone would get none of these reminders, if it would not; else null. */
async function deviceWarning() {
  const say = (text, link) => h("p", { class: "banner warn" }, text, " ", h("a", { href: "#/notifications" }, link), ".");
  if (!pushSupported()) return say(t("reminders.this_browser_cannot_show_reminders"), t("reminders.see_how_to_get_them"));
  if (permission() !== "granted") return say(t("reminders.notifications_are_off_on_this"), t("reminders.turn_them_on"));
  if (!(await hasSubscription().catch(() => false))) {
    return say(t("reminders.notifications_are_allowed_but_this"), t("reminders.register_it"));
  }
  return null;
}

function targetName(reminder, programs, habits) {
  const target = reminder.target || {};
  if (target.kind === "habit") return habits.find((x) => x.id === target.habit_id)?.name || t("reminders.a_habit");
  if (target.kind === "program") {
    const program = programs.find((p) => p.id === target.program_id);
    if (!program) return t("reminders.your_exercises");
    const keys = target.item_keys || [];
    if (!keys.length) return program.title;
    return program.items.filter((i) => keys.includes(i.item_key)).map((i) => i.exercise.name).join(", ");
  }
  if (target.kind === "review") return t("reminders.your_weekly_check_in");
  if (target.kind === "measure") return t("reminders.questionnaires_when_one_is_due");
  return t("reminders.general_reminder");
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
      reminder.proposed_by_therapist ? [" ", h("span", { class: "badge" }, t("reminders.from_your_therapist"))] : null,
    ),
    h("p", { class: "small" }, targetName(reminder, programs, habits), " · ", ruleText(reminder.rule)),
    h(
      "p",
      { class: "small muted" },
      reminder.skip_if_done ? `${t("reminders.skipped_when_already_done")} ` : "",
      paused
        ? h("span", { class: "badge badge-warn" }, reminder.pause_reason
            ? t("reminders.paused_until_why", { day: reminder.paused_until, why: PAUSE_REASONS[reminder.pause_reason] || reminder.pause_reason })
            : t("reminders.paused_until", { day: reminder.paused_until }))
        : reminder.next_fire_at
          ? t("reminders.next_zoneddatetime", { zonedDateTime: zonedDateTime(reminder.next_fire_at, currentUser().timezone) })
          : reminder.target?.kind === "program"
            ? t("reminders.stopped_program_has_ended")
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
        t("common.edit"),
      ),
      paused
        ? h("button", { type: "button", class: "btn btn-small", onclick: () => change(reminder, { paused_until: null, pause_reason: "" }, t("reminders.reminder_resumed")) }, t("reminders.resume"))
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
            t("reminders.pause"),
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
              toast(t("reminders.next_reminder", { when: zonedDateTime(moved.next_fire_at, currentUser().timezone) }), "success");
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
            if (!(await confirmDialog({ title: t("reminders.delete_this_reminder"), confirm: t("common.delete"), danger: true }))) return;
            try {
              await api.del(`/api/reminders/${encodeURIComponent(reminder.id)}`);
              toast(t("reminders.reminder_deleted"));
              navigate("/reminders");
            } catch (error) {
              toast(error.message, "error");
            }
          },
        },
        t("common.delete"),
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
    field(t("reminders.why_pause"), h("select", { name: "pause_reason" }, Object.entries(PAUSE_REASONS).map(([v, l]) => h("option", { value: v }, l)))),
    field(t("reminders.until_and_including"), { type: "date", name: "paused_until", min: today, value: addDays(today, 3), required: true }),
    h("button", { type: "submit", class: "btn btn-primary btn-small" }, t("reminders.pause_reminder")),
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
        toast(t("reminders.reminder_paused"), "success");
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
    h("h2", {}, t("reminders.quiet_hours_and_daily_limit")),
    h("p", { class: "small muted" }, t("reminders.no_reminders_during_quiet_hours")),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    h(
      "div",
      { class: "dose-grid" },
      // exactly what is stored: an empty pair means no quiet hours
      field(t("reminders.quiet_from"), { type: "time", name: "quiet_start", value: settings.quiet_start ?? "" }),
      field(t("reminders.quiet_until"), { type: "time", name: "quiet_end", value: settings.quiet_end ?? "" }),
      field(t("reminders.most_reminders_day"), { type: "number", name: "daily_cap", value: String(settings.daily_cap), ...limits("notification_settings", "daily_cap") }),
    ),
    h("p", { class: "small muted" }, WORDS.noQuiet),
    h("button", { type: "submit", class: "btn" }, t("common.save")),
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
        toast(t("reminders.saved"), "success");
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
