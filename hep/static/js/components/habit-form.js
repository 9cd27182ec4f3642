// The habit form: a name and kind, done/not done or an amount with a target, on chosen days or
// some times a week. A patient's own habits and a therapist's suggestions share it.

import { api } from "../api.js";
import { busy, field, h, nextId, showErrors, toast } from "../dom.js";
import { HABIT_KINDS } from "../labels.js";
import { limits } from "../rules.js";
import { maskFrom, weekdayPicker } from "./weekday-picker.js";

/** `path` is where the habit is posted (yours, or a patient's as their therapist). */
export function habitForm({ path, after, submitLabel = "Add habit" }) {
  const kindId = nextId("kind");
  const typeName = nextId("type");
  const scheduleName = nextId("schedule");
  const numeric = h(
    "div",
    { class: "dose-grid", hidden: true },
    field("Target", { type: "number", name: "target", step: "0.5", inputmode: "decimal", ...limits("habit", "target") }),
    field("Unit", { type: "text", name: "unit", placeholder: "glasses", ...limits("habit", "unit") }),
  );
  const weekly = field("Times per week", { type: "number", name: "per_week", value: "3", ...limits("habit", "per_week") });
  weekly.hidden = true;
  const days = weekdayPicker("weekdays");
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field("Name", { type: "text", name: "name", required: true, placeholder: "Stretch break after lunch", ...limits("habit", "name") }),
    field(
      "Kind",
      h("select", { id: kindId, name: "kind" }, Object.entries(HABIT_KINDS).map(([v, l]) => h("option", { value: v }, l))),
    ),
    h(
      "fieldset",
      { "data-field": "direction" },
      h("legend", {}, "How do you track it?"),
      h(
        "div",
        { class: "chips" },
        [
          ["yes", "Done / not done"],
          ["at_least", "At least an amount"],
          ["at_most", "At most an amount"],
        ].map(([value, label]) =>
          h("label", { class: "chip" }, h("input", { type: "radio", name: typeName, value, checked: value === "yes" }), h("span", {}, label)),
        ),
      ),
    ),
    numeric,
    h(
      "fieldset",
      {},
      h("legend", {}, "When?"),
      h(
        "div",
        { class: "chips" },
        [
          ["days", "On chosen days"],
          ["weekly", "Some times a week"],
        ].map(([value, label]) =>
          h("label", { class: "chip" }, h("input", { type: "radio", name: scheduleName, value, checked: value === "days" }), h("span", {}, label)),
        ),
      ),
    ),
    days,
    weekly,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary" }, submitLabel)),
  );
  form.addEventListener("change", () => {
    const type = form.querySelector(`input[name="${typeName}"]:checked`).value;
    numeric.hidden = type === "yes";
    const schedule = form.querySelector(`input[name="${scheduleName}"]:checked`).value;
    days.hidden = schedule !== "days";
    weekly.hidden = schedule !== "weekly";
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const type = data.get(typeName);
    const body = { kind: data.get("kind"), name: (data.get("name") || "").trim() };
    if (type !== "yes") {
      body.direction = type;
      body.target = data.get("target") === "" ? null : Number(data.get("target"));
      body.unit = (data.get("unit") || "").trim();
    }
    if (data.get(scheduleName) === "weekly") body.per_week = Number(data.get("per_week"));
    else body.weekdays = maskFrom(form, "weekdays");
    busy(form, async () => {
      try {
        const habit = await api.post(path, body);
        toast(`Added: ${habit.name}`, "success");
        after(habit);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
