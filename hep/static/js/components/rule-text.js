// A reminder's schedule in words: "at 08:00, 18:30, on weekdays", "every 50 min from 09:00
// to 17:00, every day".

import { WEEKDAYS } from "../dates.js";
import { t } from "../i18n.js";

export function daysText(weekdays) {
  const set = new Set(weekdays || [1, 2, 3, 4, 5, 6, 7]);
  if (set.size === 7) return t("rule_text.every_day");
  if (set.size === 5 && [1, 2, 3, 4, 5].every((d) => set.has(d))) return t("rule_text.on_weekdays");
  if (set.size === 2 && set.has(6) && set.has(7)) return t("rule_text.at_weekends");
  return t("rule_text.on_value", { value: [...set]
    .sort()
    .map((d) => WEEKDAYS[d - 1])
    .join(", ") });
}

export function ruleText(rule) {
  if (!rule) return "";
  if (rule.type === "interval") {
    return t("rule_text.every_every_minutes_min_from", { every_minutes: rule.every_minutes, start: rule.start, end: rule.end, daysText: daysText(rule.weekdays) });
  }
  return t("rule_text.at_value_daystext", { value: (rule.times || []).join(", "), daysText: daysText(rule.weekdays) });
}
