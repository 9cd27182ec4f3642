// A check-in and a change to one, in words: "Partly done · amount 12 · pain 2/10", "changed
// pain 3 → 2". The patient's history and the therapist's patient page both show them.

import { DIFFICULTY, SKIP_REASONS, STATES, formatNumber } from "../labels.js";
import { t, words } from "../i18n.js";

/** item_key / habit id → a name, from the programs and habits. */
export function subjectNames(programs, habits) {
  const names = new Map();
  for (const p of programs) for (const item of p.items) names.set(item.item_key, item.exercise.name);
  for (const habit of habits) names.set(habit.id, habit.name);
  return names;
}

export function describeCheckIn(c) {
  const parts = [STATES[c.state] || c.state];
  if (c.value !== null && c.value !== undefined) parts.push(t("check_in_text.amount_formatnumber", { formatNumber: formatNumber(c.value) }));
  if (c.skip_reason) parts.push(SKIP_REASONS[c.skip_reason] || c.skip_reason);
  if (c.pain !== null && c.pain !== undefined) parts.push(t("check_in_text.pain_pain_10", { pain: c.pain }));
  if (c.difficulty) parts.push(DIFFICULTY[c.difficulty] || t("check_in_text.difficulty_difficulty", { difficulty: c.difficulty }));
  return parts.join(" · ");
}

const FIELD_NAMES = words({
  state: "check_in_text.state",
  value: "check_in_text.amount",
  skip_reason: "check_in_text.reason",
  pain: "check_in_text.pain",
  difficulty: "check_in_text.difficulty",
  note: "check_in_text.note",
  local_date: "check_in_text.day",
});

/** "pain 3 → 2, state partial → done" for an edit's before/after. */
export function diffText(edit) {
  if (edit.action === "create") return t("check_in_text.logged_describecheckin", { describeCheckIn: describeCheckIn(edit.after || {}) });
  if (edit.action === "delete") return t("check_in_text.removed_describecheckin", { describeCheckIn: describeCheckIn(edit.before || {}) });
  const changes = [];
  for (const [key, label] of Object.entries(FIELD_NAMES)) {
    const a = edit.before?.[key];
    const b = edit.after?.[key];
    if (JSON.stringify(a) !== JSON.stringify(b)) changes.push(`${label} ${a ?? "–"} → ${b ?? "–"}`);
  }
  return t("check_in_text.changed", { changes: changes.join(", ") || t("check_in_text.nothing_visible") });
}
