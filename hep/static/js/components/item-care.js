// What hep does with one program item in a pause and when it proposes a step: kept during a
// flare-up, part of a busy week's minimum dose, its next and previous steps (another exercise,
// or the same with another dose) and, if they differ from hep's, the criteria for them.

import { api } from "../api.js";
import { field, h, nextId } from "../dom.js";
import { careRules, limits } from "../rules.js";

const STEP_NUMBERS = [
  ["sets", "Sets"],
  ["reps", "Reps"],
  ["hold_seconds", "Hold (s)"],
  ["duration_seconds", "Duration (s)"],
  ["times_per_day", "Times a day"],
];
const CRITERIA = [
  ["progress_share", "Move on after at least … % of the dose"],
  ["progress_days", "… over … days"],
  ["progress_max_pain", "… with pain never above"],
  ["progress_max_difficulty", "… and difficulty never above"],
  ["regress_pain", "Step back at pain of at least"],
  ["regress_sessions", "… on … sessions"],
  ["regress_window", "… of the last … sessions"],
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
    h("option", { value: "none", selected: !step }, "None"),
    h("option", { value: "same", selected: Boolean(step) && !step.exercise_id }, `${item.exercise.name}, another dose`),
  );
  exercises().then((list) => {
    for (const e of list) {
      if (e.id === item.exercise.id) continue;
      choice.append(h("option", { value: e.id, selected: step?.exercise_id === e.id }, e.name));
    }
  });
  const numbers = h(
    "div",
    { class: "dose-grid", hidden: !step },
    STEP_NUMBERS.map(([name, text]) =>
      field(text, {
        type: "number",
        name: `${side}-${name}`,
        inputmode: "numeric",
        value: step?.[name] ?? "",
        ...limits("program_step", name),
        oninput: (e) => {
          if (!item[side]) return;
          item[side][name] = e.target.value === "" ? null : Number(e.target.value);
        },
      }),
    ),
  );
  choice.addEventListener("change", () => {
    const value = choice.value;
    if (value === "none") item[side] = null;
    else item[side] = { ...(item[side] || {}), exercise_id: value === "same" ? null : value };
    numbers.hidden = value === "none";
  });
  return h(
    "div",
    { class: "field-wide", "data-role": side },
    h("div", { class: "field" }, h("label", { for: id }, label), choice),
    numbers,
    h("p", { class: "hint" }, "Only what you fill in changes; another exercise starts from its own dose."),
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
    h("summary", {}, "Pauses and steps"),
    check("keep_in_flare", "Keep during a flare-up (a gentle one)"),
    check("minimum_dose", "Part of the minimum dose (a busy week)"),
    stepEditor(item, "next_step", "Next step, when it gets easy"),
    stepEditor(item, "previous_step", "Previous step, when it hurts"),
    h(
      "details",
      {},
      h("summary", {}, "When hep proposes them"),
      h(
        "div",
        { class: "dose-grid" },
        CRITERIA.map(([name, text]) =>
          field(
            text,
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
            { hint: `Empty: ${defaults[name]}` },
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
