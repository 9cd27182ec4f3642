// A check-in and a change to one, in words: "Partly done · amount 12 · pain 2/10", "changed
// pain 3 → 2". The patient's history and the therapist's patient page both show them.

import { DIFFICULTY, SKIP_REASONS, STATES, formatNumber } from "../labels.js";

/** item_key / habit id → a name, from the programs and habits. */
export function subjectNames(programs, habits) {
  const names = new Map();
  for (const p of programs) for (const item of p.items) names.set(item.item_key, item.exercise.name);
  for (const habit of habits) names.set(habit.id, habit.name);
  return names;
}

export function describeCheckIn(c) {
  const parts = [STATES[c.state] || c.state];
  if (c.value !== null && c.value !== undefined) parts.push(`amount ${formatNumber(c.value)}`);
  if (c.skip_reason) parts.push(SKIP_REASONS[c.skip_reason] || c.skip_reason);
  if (c.pain !== null && c.pain !== undefined) parts.push(`pain ${c.pain}/10`);
  if (c.difficulty) parts.push(DIFFICULTY[c.difficulty] || `difficulty ${c.difficulty}`);
  return parts.join(" · ");
}

const FIELD_NAMES = {
  state: "state",
  value: "amount",
  skip_reason: "reason",
  pain: "pain",
  difficulty: "difficulty",
  note: "note",
  local_date: "day",
};

/** "pain 3 → 2, state partial → done" for an edit's before/after. */
export function diffText(edit) {
  if (edit.action === "create") return `logged: ${describeCheckIn(edit.after || {})}`;
  if (edit.action === "delete") return `removed: ${describeCheckIn(edit.before || {})}`;
  const changes = [];
  for (const [key, label] of Object.entries(FIELD_NAMES)) {
    const a = edit.before?.[key];
    const b = edit.after?.[key];
    if (JSON.stringify(a) !== JSON.stringify(b)) changes.push(`${label} ${a ?? "–"} → ${b ?? "–"}`);
  }
  return `changed ${changes.join(", ") || "nothing visible"}`;
}
