// A program's minutes per session and its size warnings, worked out as the server does (from
// the figures it announces), so the builder's figure moves as the therapist types; and which
// dose values the server would refuse, so they are marked instead of summed.

import { numberProblem, programEstimate } from "../rules.js";
import { t } from "../i18n.js";

export const DOSE_NUMBERS = [
  ["sets", "program_estimate.sets"],
  ["reps", "program_estimate.reps"],
  ["hold_seconds", "program_estimate.hold_s"],
  ["duration_seconds", "program_estimate.duration_s"],
  ["rest_seconds", "program_estimate.rest_s"],
  ["times_per_day", "program_estimate.times_day"],
];

/** The messages for an item's dose values outside the server's bounds ({} when none). */
export function doseProblems(item) {
  const found = {};
  for (const [name, label] of DOSE_NUMBERS) {
    const value = item[name];
    if (value === null || value === undefined || value === "") continue;
    const problem = numberProblem("program_item", name, t(label), value);
    if (problem) found[name] = problem;
  }
  return found;
}

function itemSeconds(item, e) {
  const sets = item.sets || 1;
  let work;
  if (item.duration_seconds) work = item.duration_seconds;
  else if (item.reps) work = item.reps * (e.seconds_per_rep + (item.hold_seconds || 0));
  else work = item.hold_seconds || e.seconds_without_dose;
  const sides = item.side === "each" ? 2 : 1;
  const rest = (item.rest_seconds || 0) * (sets - 1);
  return sides * (sets * work + rest);
}

/** Minutes per session, to a tenth; null while a dose value is one the server would refuse. */
export function sessionMinutes(items) {
  if (items.some((item) => Object.keys(doseProblems(item)).length)) return null;
  const e = programEstimate();
  const seconds = items.reduce((s, i) => s + itemSeconds(i, e), 0) + e.seconds_between_items * Math.max(0, items.length - 1);
  return Math.round((seconds / 60) * 10) / 10;
}

export function sizeWarnings(items) {
  const { warn_items: most, warn_minutes: longest } = programEstimate();
  const warnings = [];
  if (items.length > most) {
    warnings.push(t("program_estimate.count_exercises_programs_of_2", { count: items.length, value: most + 1 }));
  }
  const minutes = sessionMinutes(items);
  if (minutes !== null && minutes > longest) {
    warnings.push(t("program_estimate.about_minutes_minutes_per_session", { minutes, longest }));
  }
  return warnings;
}
