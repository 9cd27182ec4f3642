// Words people read for the API's codes, and a dose written the way a therapist says it.

export const REGIONS = {
  neck: "Neck",
  upper_back: "Upper back",
  shoulders: "Shoulders",
  chest: "Chest",
  low_back: "Low back",
  hips_glutes: "Hips and glutes",
  legs: "Legs",
  feet: "Feet",
};

export const CATEGORIES = {
  self_release: "Self-release",
  stretch: "Stretch",
  mobility: "Mobility",
  strengthening: "Strengthening",
  posture: "Posture",
  breathing_relaxation: "Breathing and relaxation",
};

export const EQUIPMENT = {
  none: "No equipment",
  massage_ball: "Massage ball",
  foam_roller: "Foam roller",
  resistance_band: "Resistance band",
  wall: "Wall",
  chair: "Chair",
  towel: "Towel",
  doorway: "Doorway",
  mat: "Mat",
  dumbbell: "Dumbbell",
  step: "Step",
};

export const SIDES = {
  both: "both sides together",
  each: "each side",
  left: "left side",
  right: "right side",
};

export const SKIP_REASONS = {
  pain: "It hurt / pain",
  no_time: "No time",
  forgot: "Forgot",
  unwell: "Unwell",
  away: "Away",
  unsure_how: "Not sure how to do it",
  other: "Other",
};

export const HABIT_KINDS = {
  movement: "Movement",
  hydration: "Hydration",
  sleep: "Sleep",
  stress: "Stress",
  posture: "Posture",
  custom: "Other",
};

export const DIFFICULTY = {
  1: "Very easy",
  2: "Easy",
  3: "About right",
  4: "Hard",
  5: "Too hard",
};

export const STATES = { done: "Done", partial: "Partly done", skipped: "Skipped" };

export function seconds(n) {
  if (n >= 60 && n % 60 === 0) return `${n / 60} min`;
  if (n > 60) return `${Math.floor(n / 60)} min ${n % 60} s`;
  return `${n} s`;
}

/** "2 × 10 reps, hold 5 s · each side · 3× a day". */
export function doseText(dose) {
  if (!dose) return "";
  const sets = dose.sets || 1;
  let work;
  if (dose.reps) work = `${dose.reps} reps${dose.hold_seconds ? `, hold ${seconds(dose.hold_seconds)}` : ""}`;
  else if (dose.duration_seconds) work = seconds(dose.duration_seconds);
  else if (dose.hold_seconds) work = `hold ${seconds(dose.hold_seconds)}`;
  else work = "";
  const parts = [sets > 1 ? `${sets} × ${work}` : work];
  if (dose.side && dose.side !== "both") parts.push(SIDES[dose.side] || dose.side);
  if (dose.load_note) parts.push(dose.load_note);
  if (dose.times_per_day > 1) parts.push(`${dose.times_per_day}× a day`);
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
  const verb = habit.direction === "at_most" ? "at most" : "at least";
  return `${verb} ${formatNumber(habit.target)} ${habit.unit || ""}`.trim();
}

export function formatNumber(n) {
  if (n === null || n === undefined) return "";
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 10) / 10);
}

export function percentText(value) {
  return value === null || value === undefined ? "–" : `${Math.round(value)}%`;
}

/** What got in the way of a week: words for the server's barrier codes (its order rules). */
export const BARRIERS = {
  no_time: "No time",
  pain: "Pain",
  forgot: "Forgot",
  motivation: "Hard to get going",
  unsure_how: "Not sure how to do them",
  away: "Away from home",
  unwell: "Unwell",
  other: "Something else",
};
