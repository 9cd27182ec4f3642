// Two versions of a program side by side, item by item: what was added, removed or changed
// (each changed value before → after), and the program's own title, notes and dates.

import { api, query } from "../api.js";
import { busy, field, h, replace, showErrors } from "../dom.js";
import { maskLabel } from "../dates.js";
import { t, words } from "../i18n.js";

const WORDS = words({
  title: "program_comparison.compare_two_versions",
  from: "program_comparison.from_version",
  to: "program_comparison.to_version",
  compare: "program_comparison.compare",
  heading: (from, to) => t("program_comparison.version_from_to", { from, to }),
  programChanged: "program_comparison.the_program",
  nothing: "program_comparison.nothing_changed_between_versions",
  version: (version) => t("program_comparison.version", { version }),
  added: "program_comparison.added",
  removed: "program_comparison.removed",
  changed: "program_comparison.changed",
  same: "program_comparison.unchanged",
  swapped: (before) => t("program_comparison.instead_of", { before }),
  yes: "program_comparison.yes",
  no: "program_comparison.no",
});

// what each compared field is called
const FIELDS = words({
  title: "program_comparison.field_title",
  notes: "program_comparison.field_notes",
  start_date: "program_comparison.field_start",
  end_date: "program_comparison.field_end",
  pain_advice: "program_comparison.field_pain_advice",
  sets: "program_comparison.field_sets",
  reps: "program_comparison.field_reps",
  hold_seconds: "program_comparison.field_hold_seconds",
  duration_seconds: "program_comparison.field_duration_seconds",
  rest_seconds: "program_comparison.field_rest_seconds",
  side: "program_comparison.field_side",
  load_note: "program_comparison.field_load",
  times_per_day: "program_comparison.field_times_a_day",
  weekdays: "program_comparison.field_days",
  keep_in_flare: "program_comparison.field_kept_in_flare_up",
  minimum_dose: "program_comparison.field_least_dose",
  next_step: "program_comparison.field_next_step",
  previous_step: "program_comparison.field_step_back",
  step_rules: "program_comparison.field_step_rules",
});
const EMPTY = "–";
const BADGES = { added: "badge-ok", removed: "badge-warn", changed: "badge", same: "badge" };

function value(name, v) {
  if (v === null || v === undefined || v === "") return EMPTY;
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
