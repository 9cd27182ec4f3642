// Progress: adherence over four weeks, a forgiving strength score per exercise and habit, a
// calendar heatmap, and pain over time beside sleep, hydration and movement.

import { api } from "../api.js";
import { h } from "../dom.js";
import { addDays, dayMonth, isoDay } from "../dates.js";
import { percentText } from "../labels.js";
import { heatmap, habitStrips, timeChart } from "../charts.js";

export async function progress() {
  const [adherence, habits, checkIns] = await Promise.all([
    api.get("/api/adherence"),
    api.get("/api/habits"),
    api.get("/api/check-ins"),
  ]);
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, "Progress"),
    h("p", { class: "subtitle" }, "Every bit counts: partial sessions and skipped days with a reason never wipe out your progress."),
    adherenceSection(adherence),
    lifestyleSection(adherence, habits, checkIns),
    strengthSection(adherence),
  );
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
      h("span", {}, "done, last 7 days"),
      previous === null || previous === undefined
        ? null
        : h("span", { class: "tile-note" }, h("span", { class: "visually-hidden" }, "; "), `week before ${percentText(previous)}`),
    ),
    h("div", { class: "tile" }, h("strong", {}, percentText(adherence.percent_28_days)), h("span", {}, "done, last 4 weeks")),
    h("div", { class: "tile" }, h("strong", {}, String(adherence.active_days_30 ?? 0)), h("span", {}, "active days of 30")),
  );
}

export function dailySeries(adherence) {
  const daily = adherence.daily.map((d) => ({ ...d, date: isoDay(d.date) }));
  return daily;
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
      h("h2", {}, "Dose done each day, with pain"),
      timeChart({
        title: `Share of the day's prescription ${who} did, and pain, over four weeks`,
        days,
        bars: daily.map((d) => d.percent),
        line: daily.map((d) => d.pain),
        barLabel: "Dose done",
        lineLabel: "Pain (0–10)",
      }),
      h(
        "dl",
        { class: "weeks" },
        weeks.map((w) => [h("dt", {}, `Week of ${dayMonth(w.from)}`), h("dd", {}, percentText(w.percent))]),
      ),
      trend.direction && trend.direction !== "unknown"
        ? h(
            "p",
            { class: "small" },
            `Pain is ${trend.direction}: average ${trend.last_7_days ?? "–"} this week vs ${trend.previous_7_days ?? "–"} the week before.`,
          )
        : null,
    ),
    h("div", { class: "card" }, h("h2", {}, "Calendar"), heatmap({ title: "Days done over four weeks", days: daily })),
  );
}

function strengthSection(adherence) {
  if (!adherence.subjects.length) return null;
  return h(
    "div",
    { class: "card" },
    h("h2", {}, "Habit strength"),
    h("p", { class: "small muted" }, "Strength grows with each day done and fades slowly; one missed day barely moves it."),
    h(
      "ul",
      { class: "list" },
      adherence.subjects.map((s) =>
        h(
          "li",
          { class: "strength" },
          h("span", {}, h("strong", {}, s.name)),
          h("span", { class: "small" }, `${Math.round(s.strength)}%`),
          h("progress", { max: "100", value: String(s.strength), "aria-label": `${s.name} strength` }),
          h(
            "span",
            { class: "small muted" },
            `Streak ${s.current_streak} · best ${s.best_streak} · last 7 days ${percentText(s.percent_7_days)}`,
          ),
        ),
      ),
    ),
  );
}

const LIFESTYLE = ["sleep", "hydration", "movement", "stress"];

/** Per habit and day: the amount logged (a yes/no habit counts 1 when done). */
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

function insight(series, pain) {
  const lines = [];
  for (const s of series) {
    const met = [];
    const missed = [];
    s.values.forEach((v, i) => {
      if (v === null || pain[i] === null || pain[i] === undefined) return;
      const ok = s.direction === "at_most" ? v <= s.target : v >= s.target;
      (ok ? met : missed).push(pain[i]);
    });
    if (met.length >= 3 && missed.length >= 3) {
      const a = met.reduce((x, y) => x + y, 0) / met.length;
      const b = missed.reduce((x, y) => x + y, 0) / missed.length;
      lines.push(
        `${s.name}: pain averaged ${a.toFixed(1)} on days you met the target and ${b.toFixed(1)} on other days.`,
      );
    }
  }
  return lines;
}

function lifestyleSection(adherence, habits, checkIns) {
  const daily = dailySeries(adherence);
  const days = daily.map((d) => d.date);
  const series = habitSeries(habits, checkIns, days);
  const pain = daily.map((d) => d.pain);
  if (!series.length && pain.every((p) => p === null)) return null;
  const notes = insight(series, pain);
  return h(
    "div",
    { class: "card" },
    h("h2", {}, "Pain beside sleep, water and movement"),
    timeChart({ title: "Pain over four weeks", days, line: pain, lineLabel: "Pain (0–10)", height: 110 }),
    series.length
      ? habitStrips({ days, series })
      : h("p", { class: "small muted" }, h("a", { href: "#/habits" }, "Add sleep or water habits"), " to see them beside your pain."),
    notes.length
      ? h("div", { class: "banner" }, notes.map((n) => h("p", {}, n)), h("p", { class: "small" }, "A pattern, not proof: talk it over with your therapist."))
      : null,
    h("p", { class: "small muted" }, `From ${days[0]} to ${addDays(days[0], days.length - 1)}. Dark bars: target met.`),
  );
}
