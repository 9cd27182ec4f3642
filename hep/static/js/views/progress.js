// Progress: adherence over four weeks, a forgiving strength score per exercise and habit, a
// calendar heatmap, and pain over time beside sleep, hydration and movement.

import { api } from "../api.js";
import { h } from "../dom.js";
import { addDays, dayMonth } from "../dates.js";
import { percentText } from "../labels.js";
import { habitStrips, timeChart } from "../charts.js";
import { adherenceSection, dailySeries, habitSeries, strengthNote } from "../components/adherence.js";
import { t } from "../i18n.js";

export async function progress() {
  const [adherence, habits, checkIns] = await Promise.all([
    api.get("/api/adherence"),
    api.get("/api/habits"),
    api.get("/api/check-ins"),
  ]);
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, t("progress.progress")),
    h("p", { class: "subtitle" }, t("progress.every_bit_counts_partial_sessions")),
    adherenceSection(adherence),
    lifestyleSection(adherence, habits, checkIns),
    strengthSection(adherence),
    h(
      "p",
      { class: "small" },
      h("a", { href: "#/measures" }, t("progress.questionnaires_and_their_scores")),
      " · ",
      h("a", { href: "#/weekly-review" }, t("progress.your_week")),
      " · ",
      h("a", { href: "#/summary" }, t("progress.summary_to_print")),
    ),
  );
}

function strengthSection(adherence) {
  if (!adherence.subjects.length) return null;
  return h(
    "div",
    { class: "card" },
    h("h2", {}, t("progress.strength")),
    strengthNote(),
    h(
      "ul",
      { class: "list" },
      adherence.subjects.map((s) =>
        h(
          "li",
          { class: "strength" },
          h("span", {}, h("strong", {}, s.name)),
          h("span", { class: "small" }, t("progress.strength_round", { round: Math.round(s.strength) })),
          h("progress", { max: "100", value: String(s.strength), "aria-label": t("progress.name_strength", { name: s.name }) }),
          h(
            "span",
            { class: "small muted" },
            s.percent_7_days === null || s.percent_7_days === undefined
              ? t("progress.nothing_to_count_yet_in", { current_streak: s.current_streak, best_streak: s.best_streak })
              : t("progress.percenttext_done_in_last_7", { percentText: percentText(s.percent_7_days), current_streak: s.current_streak, best_streak: s.best_streak }),
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
        t("progress.name_pain_averaged_tofixed_on", { name: s.name, toFixed: a.toFixed(1), toFixed2: b.toFixed(1) }),
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
    h("h2", {}, t("progress.pain_beside_sleep_water_and")),
    timeChart({ title: t("progress.pain_over_four_weeks"), days, line: pain, lineLabel: "Pain (0–10)", height: 110 }),
    series.length
      ? habitStrips({ days, series })
      : h("p", { class: "small muted" }, h("a", { href: "#/habits" }, t("progress.add_sleep_or_water_habits")), " ", t("progress.to_see_them_beside_your")),
    notes.length
      ? h("div", { class: "banner" }, notes.map((n) => h("p", {}, n)), h("p", { class: "small" }, t("progress.pattern_not_proof_talk_it")))
      : null,
    h("p", { class: "small muted" }, t("progress.from_daymonth_to_daymonth2_dark", { dayMonth: dayMonth(days[0]), dayMonth2: dayMonth(addDays(days[0], days.length - 1)) })),
  );
}
