// One reminder's form: what it is about (exercises, a habit, nothing specific), set times or
// an interval window, weekdays and skip-if-done. A patient adds or changes their own; a
// therapist proposes one to a patient, who can change or delete it.

import { api } from "../api.js";
import { busy, field, h, nextId, showErrors, toast } from "../dom.js";
import { limits } from "../rules.js";
import { maskFrom, maskOf, weekdayPicker, weekdaysOf } from "./weekday-picker.js";

const WORDS = {
  add: "New reminder",
  change: "Change reminder",
  propose: "Propose a reminder",
  addButton: "Add reminder",
  save: "Save reminder",
  proposeButton: "Propose reminder",
  cancel: "Cancel",
  added: "Reminder added.",
  saved: "Reminder saved.",
  proposed: "Reminder proposed. The patient can change or delete it.",
  labelHint: "Only you see it in the app; notifications show general wording.",
  labelHintProposing: "The patient sees it in the app; notifications show general wording.",
};

// reminders that ask (the weekly check-in, questionnaires) keep what they are about
export const ASKING = new Set(["review", "measure"]);

function timeRow(value) {
  const row = h(
    "div",
    { class: "row" },
    h("input", { type: "time", name: "times", value, required: true, "aria-label": "Reminder time", class: "grow" }),
    h("button", { type: "button", class: "btn btn-small btn-quiet", onclick: () => row.remove() }, "Remove", h("span", { class: "visually-hidden" }, " this time")),
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
    h("h2", {}, current ? WORDS.change : proposing ? WORDS.propose : WORDS.add),
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
      hint: proposing ? WORDS.labelHintProposing : WORDS.labelHint,
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
