// Progress: adherence over four weeks, a forgiving strength score per exercise and habit, a
// calendar heatmap, and pain over time beside sleep, hydration and movement.

import { api } from "../api.js";
import { h } from "../dom.js";
import { addDays, dayMonth } from "../dates.js";
import { percentText } from "../labels.js";
import { habitStrips, timeChart } from "../charts.js";
import { adherenceSection, dailySeries, habitSeries, strengthNote } from "../components/adherence.js";

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
    h(
      "p",
      { class: "small" },
      h("a", { href: "#/measures" }, "Questionnaires and their scores"),
      " · ",
      h("a", { href: "#/weekly-review" }, "Your week"),
      " · ",
      h("a", { href: "#/summary" }, "A summary to print"),
    ),
  );
}

function strengthSection(adherence) {
  if (!adherence.subjects.length) return null;
  return h(
    "div",
    { class: "card" },
    h("h2", {}, "Strength"),
    strengthNote(),
    h(
      "ul",
      { class: "list" },
      adherence.subjects.map((s) =>
        h(
          "li",
          { class: "strength" },
          h("span", {}, h("strong", {}, s.name)),
          h("span", { class: "small" }, `strength ${Math.round(s.strength)}%`),
          h("progress", { max: "100", value: String(s.strength), "aria-label": `${s.name} strength` }),
          h(
            "span",
            { class: "small muted" },
            s.percent_7_days === null || s.percent_7_days === undefined
              ? `Nothing to count yet in the last 7 days · streak ${s.current_streak} (best ${s.best_streak})`
              : `${percentText(s.percent_7_days)} done in the last 7 days · streak ${s.current_streak} (best ${s.best_streak})`,
          ),
        ),
      ),
    ),
  );
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
    h("p", { class: "small muted" }, `From ${dayMonth(days[0])} to ${dayMonth(addDays(days[0], days.length - 1))}. Dark bars: target met.`),
  );
}
