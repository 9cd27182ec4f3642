// Words people read for the API's codes, and a dose written the way a therapist says it.

import { number, t, words } from "./i18n.js";

export const REGIONS = words({
  neck: "region.neck",
  upper_back: "region.upper_back",
  shoulders: "region.shoulders",
  chest: "region.chest",
  low_back: "region.low_back",
  hips_glutes: "region.hips_glutes",
  legs: "region.legs",
  feet: "region.feet",
});

export const CATEGORIES = words({
  self_release: "category.self_release",
  stretch: "category.stretch",
  mobility: "category.mobility",
  strengthening: "category.strengthening",
  posture: "category.posture",
  breathing_relaxation: "category.breathing_relaxation",
});

export const EQUIPMENT = words({
  none: "equipment.none",
  massage_ball: "equipment.massage_ball",
  foam_roller: "equipment.foam_roller",
  resistance_band: "equipment.resistance_band",
  wall: "equipment.wall",
  chair: "equipment.chair",
  towel: "equipment.towel",
  doorway: "equipment.doorway",
  mat: "equipment.mat",
  dumbbell: "equipment.dumbbell",
  step: "equipment.step",
});

export const SIDES = words({
  both: "side.both",
  each: "side.each",
  left: "side.left",
  right: "side.right",
});

export const SKIP_REASONS = words({
  pain: "skip_reason.pain",
  no_time: "skip_reason.no_time",
  forgot: "skip_reason.forgot",
  unwell: "skip_reason.unwell",
  away: "skip_reason.away",
  unsure_how: "skip_reason.unsure_how",
  other: "skip_reason.other",
});

export const HABIT_KINDS = words({
  movement: "habit_kind.movement",
  hydration: "habit_kind.hydration",
  sleep: "habit_kind.sleep",
  stress: "habit_kind.stress",
  posture: "habit_kind.posture",
  custom: "habit_kind.custom",
});

export const DIFFICULTY = words({
  1: "difficulty.1",
  2: "difficulty.2",
  3: "difficulty.3",
  4: "difficulty.4",
  5: "difficulty.5",
});

export const STATES = words({ done: "state.done", partial: "state.partial", skipped: "state.skipped" });

export function seconds(n) {
  if (n >= 60 && n % 60 === 0) return t("dose.minutes", { count: n / 60 });
  if (n > 60) return t("dose.minutes_seconds", { minutes: Math.floor(n / 60), seconds: n % 60 });
  return t("dose.seconds", { count: n });
}

/** "2 × 10 reps, hold 5 s · each side · 3× a day". */
export function doseText(dose) {
  if (!dose) return "";
  const sets = dose.sets || 1;
  let work;
  if (dose.reps) {
    const reps = t("dose.reps", { count: dose.reps });
    work = dose.hold_seconds ? t("dose.reps_hold", { reps, hold: seconds(dose.hold_seconds) }) : reps;
  } else if (dose.duration_seconds) work = seconds(dose.duration_seconds);
  else if (dose.hold_seconds) work = t("dose.hold", { hold: seconds(dose.hold_seconds) });
  else work = "";
  const parts = [sets > 1 ? t("dose.sets_of", { sets, work }) : work];
  if (dose.side && dose.side !== "both") parts.push(SIDES[dose.side] || dose.side);
  if (dose.load_note) parts.push(dose.load_note);
  if (dose.times_per_day > 1) parts.push(t("dose.times_a_day", { count: dose.times_per_day }));
  return parts.filter(Boolean).join(" · ");
}

/** What one session counts: its unit and the prescribed amount (reps, else seconds). */
export function doseTarget(dose) {
  const sets = dose?.sets || 1;
  if (dose?.reps) return { unit: "reps", amount: dose.reps * sets };
  if (dose?.duration_seconds) return { unit: "seconds", amount: dose.duration_seconds * sets };
  if (dose?.hold_seconds) return { unit: "seconds", amount: dose.hold_seconds * sets };
  return { unit: "", amount: null };
}

export function habitTargetText(habit) {
  if (habit.target === null || habit.target === undefined) return "";
  const key = habit.direction === "at_most" ? "habit.target_at_most" : "habit.target_at_least";
  return t(key, { amount: formatNumber(habit.target), unit: habit.unit || "" }).trim();
}

/** A number the reader's way, to at most one decimal place ("2.5", "2,5"). */
export function formatNumber(n) {
  if (n === null || n === undefined) return "";
  return number(n);
}

/** "26%", "26 %" — as the reader's language writes a percentage. */
export function percentText(value) {
  return value === null || value === undefined ? "–" : number(Math.round(value) / 100, { style: "percent" });
}

/** What got in the way of a week: words for the server's barrier codes (its order rules). */
export const BARRIERS = words({
  no_time: "barrier.no_time",
  pain: "barrier.pain",
  forgot: "barrier.forgot",
  motivation: "barrier.motivation",
  unsure_how: "barrier.unsure_how",
  away: "barrier.away",
  unwell: "barrier.unwell",
  other: "barrier.other",
});
