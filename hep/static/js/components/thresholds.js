// The thresholds behind the attention list as form fields (a clinic's defaults, or one
// patient's own): each with its words, its bounds from the server's rules, and what applies
// when it is left empty.

import { field } from "../dom.js";
import { limits } from "../rules.js";

export const THRESHOLDS = [
  ["high_pain", "High pain: a score at or above"],
  ["rising_sessions", "Pain rising during an exercise: over its last … sessions"],
  ["rising_points", "… up by at least (points)"],
  ["too_hard_sessions", "Too hard: on … of an exercise's last 3 sessions"],
  ["pain_skips", "Skipped for pain: … times in a week"],
];

/** `own`: the values set here; `fallback`: what applies without them (shown as hints). */
export function thresholdFields(own, fallback, fallbackName) {
  return THRESHOLDS.map(([name, label]) =>
    field(
      label,
      { type: "number", name, inputmode: "numeric", value: own[name] ?? "", placeholder: String(fallback[name]), ...limits("thresholds", name) },
      { hint: `Empty: ${fallback[name]} (${fallbackName})` },
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
