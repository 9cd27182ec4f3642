// What hep does with one program item in a pause and when it proposes a step: kept during a
// flare-up, part of a busy week's minimum dose, its next and previous steps (another exercise,
// or the same with another dose) and, if they differ from hep's, the criteria for them.

import { api } from "../api.js";
import { field, h, nextId } from "../dom.js";
import { careRules, limits } from "../rules.js";
import { t } from "../i18n.js";

// a step's dose numbers and the catalogue keys of their labels
const STEP_NUMBERS = [
  ["sets", "program_estimate.sets"],
  ["reps", "program_estimate.reps"],
  ["hold_seconds", "program_estimate.hold_s"],
  ["duration_seconds", "program_estimate.duration_s"],
  ["times_per_day", "program_estimate.times_day"],
];
const CRITERIA = [
  ["progress_share", "item_care.move_on_after_share_of_dose"],
  ["progress_days", "item_care.over_days"],
  ["progress_max_pain", "item_care.with_pain_never_above"],
  ["progress_max_difficulty", "item_care.and_difficulty_never_above"],
  ["regress_pain", "item_care.step_back_at_pain_of_at_least"],
  ["regress_sessions", "item_care.on_sessions"],
  ["regress_window", "item_care.of_last_sessions"],
];

let library = null;
/** The exercises a step may name (the therapist's library), loaded once. */
function exercises() {
  library = library || api.get("/api/exercises?page_size=100").catch(() => []);
  return library;
}

function stepEditor(item, side, label) {
  const step = item[side] ? { ...item[side] } : null;
  const id = nextId(side);
  const choice = h(
    "select",
    { id, name: `${side}-exercise` },
    h("option", { value: "none", selected: !step }, t("item_care.none")),
    h("option", { value: "same", selected: Boolean(step) && !step.exercise_id }, t("item_care.name_another_dose", { name: item.exercise.name })),
  );
  exercises().then((list) => {
    for (const e of list) {
      if (e.id === item.exercise.id) continue;
      choice.append(h("option", { value: e.id, selected: step?.exercise_id === e.id }, e.name));
    }
  });
  // the step's dose fields exist only while there is a step: hidden ones would share their
  // labels (Reps, Sets, ...) with the item's own fields
  const numbers = h("div", { class: "dose-grid" });
  const showNumbers = (shown) => {
    numbers.hidden = !shown;
    numbers.replaceChildren(
      ...(shown
        ? STEP_NUMBERS.map(([name, text]) =>
            field(t(text), {
              type: "number",
              name: `${side}-${name}`,
              inputmode: "numeric",
              value: item[side]?.[name] ?? "",
              ...limits("program_step", name),
              oninput: (e) => {
                if (!item[side]) return;
                item[side][name] = e.target.value === "" ? null : Number(e.target.value);
              },
            }),
          )
        : []),
    );
  };
  showNumbers(Boolean(step));
  choice.addEventListener("change", () => {
    const value = choice.value;
    if (value === "none") item[side] = null;
    else item[side] = { ...(item[side] || {}), exercise_id: value === "same" ? null : value };
    showNumbers(value !== "none");
  });
  return h(
    "div",
    { class: "field-wide", "data-role": side },
    h("div", { class: "field" }, h("label", { for: id }, label), choice),
    numbers,
    h("p", { class: "hint" }, t("item_care.only_what_you_fill_in_changes")),
  );
}

/** The care part of an item's editor (a program's items only). */
export function itemCare(item) {
  const defaults = careRules()?.step_rules || {};
  const check = (name, label) =>
    h(
      "label",
      { class: "check" },
      h("input", {
        type: "checkbox",
        name,
        checked: Boolean(item[name]),
        onchange: (e) => {
          item[name] = e.target.checked;
        },
      }),
      h("span", {}, label),
    );
  return h(
    "details",
    { class: "field-wide", "data-role": "item-care" },
    h("summary", {}, t("item_care.pauses_and_steps")),
    check("keep_in_flare", t("item_care.keep_during_flare_up")),
    check("minimum_dose", t("item_care.part_of_minimum_dose")),
    stepEditor(item, "next_step", t("item_care.next_step_when_it_gets_easy")),
    stepEditor(item, "previous_step", t("item_care.previous_step_when_it_hurts")),
    h(
      "details",
      {},
      h("summary", {}, t("item_care.when_hep_proposes_them")),
      h(
        "div",
        { class: "dose-grid" },
        CRITERIA.map(([name, text]) =>
          field(
            t(text),
            {
              type: "number",
              name: `rule-${name}`,
              inputmode: "numeric",
              value: item.step_rules?.[name] ?? "",
              placeholder: String(defaults[name] ?? ""),
              ...limits("step_rules", name),
              oninput: (e) => {
                item.step_rules = { ...(item.step_rules || {}), [name]: e.target.value === "" ? null : Number(e.target.value) };
              },
            },
            { hint: t("item_care.empty_value", { value: defaults[name] }) },
          ),
        ),
      ),
    ),
  );
}

function stepBody(step) {
  if (!step) return null;
  const body = {};
  if (step.exercise_id) body.exercise_id = step.exercise_id;
  for (const [name] of STEP_NUMBERS) {
    if (step[name] !== null && step[name] !== undefined && step[name] !== "") body[name] = Number(step[name]);
  }
  if (step.load_note) body.load_note = step.load_note;
  return Object.keys(body).length ? body : null;
}

/** The care fields of an item as a program version's body takes them. */
export function careBody(item) {
  const body = { keep_in_flare: Boolean(item.keep_in_flare), minimum_dose: Boolean(item.minimum_dose) };
  for (const side of ["next_step", "previous_step"]) {
    const step = stepBody(item[side]);
    if (step) body[side] = step;
  }
  const rules = Object.fromEntries(
    Object.entries(item.step_rules || {}).filter(([, v]) => v !== null && v !== undefined && v !== ""),
  );
  if (Object.keys(rules).length) body.step_rules = rules;
  return body;
}
