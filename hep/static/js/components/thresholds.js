// The thresholds behind the attention list as form fields (a clinic's defaults, or one
// patient's own): each with its words, its bounds from the server's rules, and what applies
// when it is left empty.

import { field } from "../dom.js";
import { limits } from "../rules.js";
import { t } from "../i18n.js";

// each threshold's field name and the catalogue key of its words
export const THRESHOLDS = [
  ["high_pain", "thresholds.high_pain_score_at_or_above"],
  ["rising_sessions", "thresholds.pain_rising_over_last_sessions"],
  ["rising_points", "thresholds.up_by_at_least_points"],
  ["too_hard_sessions", "thresholds.too_hard_on_of_last_3"],
  ["pain_skips", "thresholds.skipped_for_pain_times_in_week"],
];

/**
 * `own`: the values set here; `fallback`: what applies without them (shown as hints, in the
 * sentence of `emptyKey`: whose value it is, with its {value} place).
 */
export function thresholdFields(own, fallback, emptyKey) {
  return THRESHOLDS.map(([name, label]) =>
    field(
      t(label),
      { type: "number", name, inputmode: "numeric", value: own[name] ?? "", placeholder: String(fallback[name]), ...limits("thresholds", name) },
      { hint: t(emptyKey, { value: fallback[name] }) },
    ),
  );
}

/** The thresholds of a form, empty ones as null (the layer below applies). */
export function thresholdValues(form) {
  const data = new FormData(form);
  return Object.fromEntries(
    THRESHOLDS.map(([name]) => {
      const value = data.get(name);
      return [name, value === null || value === "" ? null : Number(value)];
    }),
  );
}
