// One reminder's form: what it is about (exercises, a habit, nothing specific), set times or
// an interval window, weekdays and skip-if-done. A patient adds or changes their own; a
// therapist proposes one to a patient, who can change or delete it.

import { api } from "../api.js";
import { busy, field, h, nextId, showErrors, toast } from "../dom.js";
import { limits } from "../rules.js";
import { maskFrom, maskOf, weekdayPicker, weekdaysOf } from "./weekday-picker.js";
import { t, words } from "../i18n.js";

const WORDS = words({
  add: "reminder_form.new_reminder",
  change: "reminder_form.change_reminder",
  propose: "reminder_form.propose_reminder",
  addButton: "reminder_form.add_reminder",
  save: "reminder_form.save_reminder",
  proposeButton: "reminder_form.propose_reminder_2",
  cancel: "common.cancel",
  added: "reminder_form.reminder_added",
  saved: "reminder_form.reminder_saved",
  proposed: "reminder_form.reminder_proposed_patient_can_change",
  labelHint: "reminder_form.only_you_see_it_in",
  labelHintProposing: "reminder_form.patient_sees_it_in_app",
});

// reminders that ask (the weekly check-in, questionnaires) keep what they are about
export const ASKING = new Set(["review", "measure"]);

function timeRow(value) {
  const row = h(
    "div",
    { class: "row" },
    h("input", { type: "time", name: "times", value, required: true, "aria-label": t("reminder_form.reminder_time"), class: "grow" }),
    h("button", { type: "button", class: "btn btn-small btn-quiet", onclick: () => row.remove() }, t("common.remove"), h("span", { class: "visually-hidden" }, " ", t("reminder_form.this_time"))),
  );
  return row;
}

/**
 * The form for one reminder: a patient's own (new or changed), or one a therapist proposes to
 * a patient (`path` is where a new one is posted; `after` runs once it is saved).
 */
export function reminderForm({ current = null, programs, habits, path = "/api/reminders", after, proposing = false, cancelHref = "#/reminders" }) {
  const rule = current?.rule || { type: "times", times: ["08:00", "18:00"], weekdays: [1, 2, 3, 4, 5, 6, 7] };
  const target = current?.target || { kind: programs.length ? "program" : habits.length ? "habit" : "none" };
  const kindName = nextId("kind");
  const typeName = nextId("rule");
  const times = h("div", { class: "stack" }, (rule.times || ["08:00"]).map(timeRow));
  const timesBox = h(
    "fieldset",
    { "data-field": "times" },
    h("legend", {}, t("reminder_form.times")),
    times,
    h("button", { type: "button", class: "btn btn-small", onclick: () => times.append(timeRow("12:00")) }, t("reminder_form.add_time")),
  );
  const intervalBox = h(
    "div",
    { class: "dose-grid" },
    field("Every (minutes)", { type: "number", name: "every_minutes", value: String(rule.every_minutes || 50), ...limits("reminder_rule", "every_minutes") }),
    field(t("reminder_form.from"), { type: "time", name: "start", value: rule.start || "09:00" }),
    field(t("reminder_form.until"), { type: "time", name: "end", value: rule.end || "17:00" }),
  );
  const programSelect = h("select", { name: "program_id" }, programs.map((p) => h("option", { value: p.id, selected: target.program_id === p.id }, p.title)));
  const habitSelect = h("select", { name: "habit_id" }, habits.map((x) => h("option", { value: x.id, selected: target.habit_id === x.id }, x.name)));
  const programField = field(t("reminder_form.program"), programSelect);
  const habitField = field(t("reminder_form.habit"), habitSelect);
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, current ? WORDS.change : proposing ? WORDS.propose : WORDS.add),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    h(
      "fieldset",
      { "data-field": "target", hidden: ASKING.has(target.kind) },
      h("legend", {}, t("reminder_form.remind_me_about")),
      h(
        "div",
        { class: "chips" },
        [
          ["program", t("reminder_form.my_exercises"), programs.length],
          ["habit", t("reminder_form.habit_2"), habits.length],
          ["none", t("reminder_form.nothing_specific"), true],
        ].map(([value, label, available]) =>
          available
            ? h("label", { class: "chip" }, h("input", { type: "radio", name: kindName, value, checked: target.kind === value }), h("span", {}, label))
            : null,
        ),
      ),
    ),
    programField,
    habitField,
    field("Label (optional)", { type: "text", name: "label", value: current?.label || "", placeholder: t("reminder_form.morning_stretches"), ...limits("reminder", "label") }, {
      hint: proposing ? WORDS.labelHintProposing : WORDS.labelHint,
    }),
    h(
      "fieldset",
      {},
      h("legend", {}, t("reminder_form.when")),
      h(
        "div",
        { class: "chips" },
        [
          ["times", t("reminder_form.at_set_times")],
          ["interval", t("reminder_form.every_few_minutes_in_window")],
        ].map(([value, label]) =>
          h("label", { class: "chip" }, h("input", { type: "radio", name: typeName, value, checked: rule.type === value }), h("span", {}, label)),
        ),
      ),
    ),
    timesBox,
    intervalBox,
    weekdayPicker("weekdays", maskOf(rule.weekdays), t("reminder_form.on_which_days")),
    h(
      "label",
      { class: "check" },
      h("input", { type: "checkbox", name: "skip_if_done", checked: current ? current.skip_if_done : true }),
      t("reminder_form.dont_remind_me_when_its"),
    ),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "btn btn-primary" }, current ? WORDS.save : proposing ? WORDS.proposeButton : WORDS.addButton),
      h("a", { class: "btn", href: cancelHref }, WORDS.cancel),
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
        else await api.post(path, body);
        toast(current ? WORDS.saved : proposing ? WORDS.proposed : WORDS.added, "success");
        after();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
