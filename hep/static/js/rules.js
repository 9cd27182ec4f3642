// The server's rules the app follows before it asks (the server checks them anyway): the edit
// window, the largest page, the program estimate and every form field's bounds. GET /api/me
// answers them with the signed-in user, so they are kept wherever the user is, offline too.

import { currentUser } from "./session.js";
import { t } from "./i18n.js";

function current() {
  const found = currentUser()?.rules;
  if (!found) throw new Error("The server's rules have not been loaded.");
  return found;
}

/** Whether this server sends email at all (reminders, digests, password resets). */
export const emailAvailable = () => Boolean(current().email?.available);

/** How many past days a check-in or a pain entry may still be written or changed. */
export const editDays = () => current().checkin_edit_days;

/** The largest page the server answers; asking for more gets this many. */
export const pageSizeMax = () => current().page_size_max;

/** The figures behind a program's minutes per session and its size warnings. */
export const programEstimate = () => current().program_estimate;

function boundsOf(form, name) {
  return current().fields?.[form]?.[name] || {};
}

const text = (value) => (value === undefined || value === null ? null : String(value));

/** The most items a list field takes. */
export const maxItems = (form, name) => boundsOf(form, name).max_items;

/** The fewest characters a text field takes. */
export const minLength = (form, name) => boundsOf(form, name).min_length ?? 0;

/** A field's bounds as input attributes: min and max for a number, maxlength for a text. */
export function limits(form, name) {
  const b = boundsOf(form, name);
  return { min: text(b.min), max: text(b.max), maxlength: text(b.max_length) };
}

/**
 * What is wrong with `value` for a whole-number field, in the field's own words ("Reps: a whole
 * number from 1 to 500."), or null when the server would take it.
 */
export function numberProblem(form, name, label, value) {
  const { min, max } = boundsOf(form, name);
  const n = Number(value);
  const fits = Number.isInteger(n) && (min === undefined || n >= min) && (max === undefined || n <= max);
  if (fits) return null;
  if (min !== undefined && max !== undefined) return t("rules.label_whole_number_from_min", { label, min, max });
  if (min !== undefined) return t("rules.label_whole_number_min_or", { label, min });
  if (max !== undefined) return t("rules.label_whole_number_max_at", { label, max });
  return t("rules.label_whole_number", { label });
}

/** The weekly check-in's barriers in their order, and the messages a writer may send an hour. */
export const conversationRules = () => current().conversation;

/** The audit log's actions and what each means, in the server's words. */
export const auditActions = () => current().audit_actions || {};

/** Pain-aware care: the pause modes (mode, words, nothing_due), the attention reasons, and
 * hep's default thresholds and step criteria. */
export const careRules = () => current().care;

/** The pause modes in the server's order, with their names. */
export const pauseModes = () => current().care?.pause_modes || [];

/** The most one day holds of a habit of this kind and unit: its target, and a day's total. */
export function amountMax(kind, unit) {
  const rows = current().habit_amounts || [];
  const wanted = (unit || "").trim().toLowerCase();
  for (const [k, u] of [[kind, wanted], ["*", wanted], [kind, "*"], ["*", "*"]]) {
    const row = rows.find((r) => r.kind === k && r.unit === u);
    if (row) return row.max;
  }
  return undefined;
}
