// A reminder's schedule in words: "at 08:00, 18:30, on weekdays", "every 50 min from 09:00
// to 17:00, every day".

import { WEEKDAYS } from "../dates.js";

export function daysText(weekdays) {
  const set = new Set(weekdays || [1, 2, 3, 4, 5, 6, 7]);
  if (set.size === 7) return "every day";
  if (set.size === 5 && [1, 2, 3, 4, 5].every((d) => set.has(d))) return "on weekdays";
  if (set.size === 2 && set.has(6) && set.has(7)) return "at weekends";
  return `on ${[...set]
    .sort()
    .map((d) => WEEKDAYS[d - 1])
    .join(", ")}`;
}

export function ruleText(rule) {
  if (!rule) return "";
  if (rule.type === "interval") {
    return `every ${rule.every_minutes} min from ${rule.start} to ${rule.end}, ${daysText(rule.weekdays)}`;
  }
  return `at ${(rule.times || []).join(", ")}, ${daysText(rule.weekdays)}`;
}
