// Adherence figures the patient and the therapist both see: the % done tiles, the daily dose
// with pain, the calendar, habit amounts per day, and what "strength" means beside "% done".

import { h } from "../dom.js";
import { dayMonth, isoDay } from "../dates.js";
import { percentText } from "../labels.js";
import { heatmap, timeChart } from "../charts.js";
import { t } from "../i18n.js";

/** Said wherever strength is shown: a new exercise at 50% done and 0% strength is no error. */
const STRENGTH_EXPLAINED = "adherence.strength_explained";

export function strengthNote() {
  return h("p", { class: "small muted" }, t(STRENGTH_EXPLAINED));
}

export function tiles(adherence) {
  // the 7 days before the last 7, for comparison (null when nothing was due then)
  const previous = adherence.percent_prev_7_days;
  return h(
    "div",
    { class: "tiles" },
    h(
      "div",
      { class: "tile" },
      h("strong", {}, percentText(adherence.percent_7_days)),
      h("span", {}, t("adherence.done_last_7_days")),
      previous === null || previous === undefined
        ? null
        : h("span", { class: "tile-note" }, h("span", { class: "visually-hidden" }, "; "), t("adherence.week_before_percenttext", { percentText: percentText(previous) })),
    ),
    h("div", { class: "tile" }, h("strong", {}, percentText(adherence.percent_28_days)), h("span", {}, t("adherence.done_last_4_weeks"))),
    h("div", { class: "tile" }, h("strong", {}, String(adherence.active_days_30 ?? 0)), h("span", {}, t("adherence.active_days_of_30"))),
  );
}

export function dailySeries(adherence) {
  return adherence.daily.map((d) => ({ ...d, date: isoDay(d.date) }));
}

export function adherenceSection(adherence, { who = "you" } = {}) {
  const daily = dailySeries(adherence);
  const days = daily.map((d) => d.date);
  const weeks = [0, 1, 2, 3].map((w) => {
    const slice = daily.slice(w * 7, w * 7 + 7);
    const expected = slice.reduce((s, d) => s + (d.expected || 0), 0);
    const done = slice.reduce((s, d) => s + (d.done || 0), 0);
    return { from: slice[0]?.date, percent: expected ? (100 * done) / expected : null };
  });
  const trend = adherence.pain_trend || {};
  return h(
    "div",
    {},
    tiles(adherence),
    h(
      "div",
      { class: "card" },
      h("h2", {}, t("adherence.dose_done_each_day_with")),
      timeChart({
        title: t("adherence.share_of_days_prescription_who", { who }),
        days,
        bars: daily.map((d) => d.percent),
        line: daily.map((d) => d.pain),
        barLabel: t("adherence.dose_done"),
        lineLabel: "Pain (0–10)",
      }),
      h(
        "dl",
        { class: "weeks" },
        weeks.map((w) => [h("dt", {}, t("adherence.week_of_daymonth", { dayMonth: dayMonth(w.from) })), h("dd", {}, percentText(w.percent))]),
      ),
      trend.direction && trend.direction !== "unknown"
        ? h(
            "p",
            { class: "small" },
            t("adherence.pain_is_direction_average_value", { direction: trend.direction, value: trend.last_7_days ?? "–", value2: trend.previous_7_days ?? "–" }),
          )
        : null,
    ),
    h("div", { class: "card" }, h("h2", {}, t("adherence.calendar")), heatmap({ title: t("adherence.days_done_over_four_weeks"), days: daily })),
  );
}

const LIFESTYLE = ["sleep", "hydration", "movement", "stress"];

/** Per lifestyle habit and day: the amount logged (a yes/no habit counts 1 when done). */
export function habitSeries(habits, checkIns, days) {
  const wanted = habits.filter((hb) => LIFESTYLE.includes(hb.kind));
  return wanted.map((habit) => {
    const perDay = new Map();
    for (const c of checkIns) {
      if (c.habit_id !== habit.id) continue;
      const amount = c.value ?? (c.state === "done" ? 1 : c.state === "partial" ? 0.5 : 0);
      perDay.set(c.local_date, (perDay.get(c.local_date) || 0) + amount);
    }
    return {
      name: habit.name,
      target: habit.target ?? 1,
      direction: habit.direction || "at_least",
      unit: habit.unit || "",
      values: days.map((d) => (perDay.has(d) ? perDay.get(d) : null)),
    };
  });
}
