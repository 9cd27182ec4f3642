// Two versions of a program side by side, item by item: what was added, removed or changed
// (each changed value before → after), and the program's own title, notes and dates.

import { api, query } from "../api.js";
import { busy, field, h, replace, showErrors } from "../dom.js";
import { maskLabel } from "../dates.js";

const WORDS = {
  title: "Compare two versions",
  from: "From version",
  to: "To version",
  compare: "Compare",
  heading: (from, to) => `Version ${from} → version ${to}`,
  programChanged: "The program",
  nothing: "Nothing changed between these versions.",
  version: (v) => `Version ${v}`,
  added: "Added",
  removed: "Removed",
  changed: "Changed",
  same: "Unchanged",
  swapped: (before) => `instead of ${before}`,
  empty: "–",
  yes: "yes",
  no: "no",
};

// what each compared field is called
const FIELDS = {
  title: "Title",
  notes: "Notes for the patient",
  start_date: "Start",
  end_date: "End",
  pain_advice: "Advice when it hurts",
  sets: "Sets",
  reps: "Reps",
  hold_seconds: "Hold (seconds)",
  duration_seconds: "Duration (seconds)",
  rest_seconds: "Rest (seconds)",
  side: "Side",
  load_note: "Load",
  times_per_day: "Times a day",
  weekdays: "Days",
  keep_in_flare: "Kept in a flare-up",
  minimum_dose: "Least dose in a busy week",
  next_step: "Next step",
  previous_step: "Step back",
  step_rules: "Step rules",
};
const BADGES = { added: "badge-ok", removed: "badge-warn", changed: "badge", same: "badge" };

function value(name, v) {
  if (v === null || v === undefined || v === "") return WORDS.empty;
  if (name === "weekdays") return maskLabel(v);
  if (typeof v === "boolean") return v ? WORDS.yes : WORDS.no;
  if (typeof v === "object") return v.exercise_name || v.name || JSON.stringify(v);
  return String(v);
}

function changes(list) {
  return h(
    "ul",
    { class: "list diff" },
    list.map((c) => h("li", {}, h("strong", {}, FIELDS[c.field] || c.field), `: ${value(c.field, c.before)} → ${value(c.field, c.after)}`)),
  );
}

function itemRow(item) {
  return h(
    "li",
    {},
    h("span", { class: `badge ${BADGES[item.change]}` }, WORDS[item.change]),
    " ",
    h("strong", {}, item.exercise),
    item.exercise_before && item.exercise_before !== item.exercise ? h("span", { class: "muted" }, ` ${WORDS.swapped(item.exercise_before)}`) : null,
    item.fields.length ? changes(item.fields) : null,
  );
}

/** What changed between two versions, as answered by the comparison API. */
export function comparisonView(diff) {
  const moved = diff.items.filter((i) => i.change !== "same");
  return h(
    "div",
    { class: "card" },
    h("h2", {}, WORDS.heading(diff.from_version, diff.to_version)),
    diff.fields.length ? [h("h3", {}, WORDS.programChanged), changes(diff.fields)] : null,
    moved.length ? h("ul", { class: "list" }, moved.map(itemRow)) : null,
    !diff.fields.length && !moved.length ? h("p", { class: "muted" }, WORDS.nothing) : null,
  );
}

/** The form choosing two versions, and where their comparison shows. */
export function comparisonForm(programId, versions) {
  const numbers = versions.map((v) => v.version).sort((a, b) => a - b);
  const pick = (name, chosen) =>
    h("select", { name, value: String(chosen) }, numbers.map((n) => h("option", { value: String(n) }, WORDS.version(n))));
  const out = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, WORDS.title),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    h(
      "div",
      { class: "dose-grid" },
      field(WORDS.from, pick("from", numbers[Math.max(0, numbers.length - 2)])),
      field(WORDS.to, pick("to", numbers[numbers.length - 1])),
    ),
    h("button", { type: "submit", class: "btn" }, WORDS.compare),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    busy(form, async () => {
      try {
        const diff = await api.get(`/api/programs/${encodeURIComponent(programId)}/comparison${query({ from: data.get("from"), to: data.get("to") })}`);
        replace(out, comparisonView(diff));
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return [form, out];
}
