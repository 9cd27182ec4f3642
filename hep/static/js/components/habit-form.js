// The habit form: a name and kind, done/not done or an amount with a target, on chosen days or
// some times a week. A patient's own habits and a therapist's suggestions share it, to add one
// or to change one (`current`); the target is bounded by what a day of its kind and unit holds.

import { api } from "../api.js";
import { busy, field, h, nextId, showErrors, toast } from "../dom.js";
import { HABIT_KINDS } from "../labels.js";
import { amountMax, limits } from "../rules.js";
import { maskFrom, weekdayPicker } from "./weekday-picker.js";
import { t } from "../i18n.js";

const WORDS = {
  added: (name) => t("habit_form.added_name", { name }),
  saved: (name) => t("habit_form.saved_name", { name }),
  most: (max, unit) => (unit ? t("habit_form.at_most_unit_a_day", { max, unit }) : t("habit_form.at_most_a_day", { max })),
};

/**
 * `path` is where a new habit is posted (yours, or a patient's as their therapist); with
 * `current` the form changes that habit instead (PATCH to `path`).
 */
export function habitForm({ path, after, submitLabel = t("habit_form.add_habit"), current = null }) {
  const kindId = nextId("kind");
  const typeName = nextId("type");
  const scheduleName = nextId("schedule");
  const type = current?.direction || "yes";
  const schedule = current?.per_week ? "weekly" : "days";
  const targetInput = h("input", {
    type: "number",
    name: "target",
    step: "0.5",
    inputmode: "decimal",
    value: current?.target ?? "",
    ...limits("habit", "target"),
  });
  const targetField = field(t("habit_form.target"), targetInput, { hint: " " });
  const numeric = h(
    "div",
    { class: "dose-grid", hidden: type === "yes" },
    targetField,
    field(t("habit_form.unit"), { type: "text", name: "unit", placeholder: t("habit_form.glasses"), value: current?.unit || "", ...limits("habit", "unit") }),
  );
  const weekly = field(t("habit_form.times_per_week"), { type: "number", name: "per_week", value: String(current?.per_week || 3), ...limits("habit", "per_week") });
  weekly.hidden = schedule !== "weekly";
  const days = weekdayPicker("weekdays", current?.weekdays ?? undefined);
  days.hidden = schedule !== "days";
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(t("common.name"), { type: "text", name: "name", required: true, placeholder: t("habit_form.stretch_break_after_lunch"), value: current?.name || "", ...limits("habit", "name") }),
    field(
      t("habit_form.kind"),
      h("select", { id: kindId, name: "kind", value: current?.kind || "movement" }, Object.entries(HABIT_KINDS).map(([v, l]) => h("option", { value: v }, l))),
    ),
    h(
      "fieldset",
      { "data-field": "direction" },
      h("legend", {}, t("habit_form.how_do_you_track_it")),
      h(
        "div",
        { class: "chips" },
        [
          ["yes", t("habit_form.done_not_done")],
          ["at_least", t("habit_form.at_least_amount")],
          ["at_most", t("habit_form.at_most_amount")],
        ].map(([value, label]) =>
          h("label", { class: "chip" }, h("input", { type: "radio", name: typeName, value, checked: value === type }), h("span", {}, label)),
        ),
      ),
    ),
    numeric,
    h(
      "fieldset",
      {},
      h("legend", {}, t("habit_form.when")),
      h(
        "div",
        { class: "chips" },
        [
          ["days", t("habit_form.on_chosen_days")],
          ["weekly", t("habit_form.some_times_week")],
        ].map(([value, label]) =>
          h("label", { class: "chip" }, h("input", { type: "radio", name: scheduleName, value, checked: value === schedule }), h("span", {}, label)),
        ),
      ),
    ),
    days,
    weekly,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary" }, submitLabel)),
  );
  // the most a day holds of this kind and unit, as the target's bound and its hint
  const bound = () => {
    const data = new FormData(form);
    const unit = (data.get("unit") || "").trim();
    const max = amountMax(data.get("kind"), unit);
    targetInput.max = max === undefined ? "" : String(max);
    targetField.querySelector(".hint").textContent = max === undefined ? "" : WORDS.most(max, unit);
  };
  form.addEventListener("input", bound);
  form.addEventListener("change", () => {
    const chosen = form.querySelector(`input[name="${typeName}"]:checked`).value;
    numeric.hidden = chosen === "yes";
    const when = form.querySelector(`input[name="${scheduleName}"]:checked`).value;
    days.hidden = when !== "days";
    weekly.hidden = when !== "weekly";
    bound();
  });
  bound();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const chosen = data.get(typeName);
    const body = { kind: data.get("kind"), name: (data.get("name") || "").trim() };
    if (chosen !== "yes") {
      body.direction = chosen;
      body.target = data.get("target") === "" ? null : Number(data.get("target"));
      body.unit = (data.get("unit") || "").trim();
    } else if (current) {
      Object.assign(body, { direction: null, target: null, unit: "" });
    }
    if (data.get(scheduleName) === "weekly") body.per_week = Number(data.get("per_week"));
    else Object.assign(body, { weekdays: maskFrom(form, "weekdays"), ...(current ? { per_week: null } : {}) });
    busy(form, async () => {
      try {
        const habit = current ? await api.patch(path, body) : await api.post(path, body);
        toast(current ? WORDS.saved(habit.name) : WORDS.added(habit.name), "success");
        after(habit);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
