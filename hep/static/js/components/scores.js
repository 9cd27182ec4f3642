// Outcome measures as both sides see them: scores over time beside adherence (weeks along the
// bottom, the share of the prescribed dose done each week as bars, the scores as a line), when
// each is due, and what each answer said.

import { h } from "../dom.js";
import { shortDay } from "../dates.js";
import { timeChart } from "../charts.js";
import { t } from "../i18n.js";

/** The Monday on or before an ISO day. */
function monday(day) {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}

/** A score per week: the last answer due in that week (null where none is). */
export function weeklyScores(weeks, responses) {
  const byWeek = new Map();
  for (const r of responses) {
    if (r.score !== null && r.score !== undefined) byWeek.set(monday(r.due_on), r.score);
  }
  return weeks.map((w) => byWeek.get(w.week_start) ?? null);
}

/** The chart, or a line saying why there is none yet. */
export function scoreChart({ title, weeks, responses, scoreLabel }) {
  const scored = responses.filter((r) => r.score !== null && r.score !== undefined);
  if (!weeks.length || !scoreLabel) return null;
  if (!scored.length) return h("p", { class: "small muted" }, t("scores.no_scores_yet_chart_starts"));
  return timeChart({
    title,
    days: weeks.map((w) => w.week_start),
    bars: weeks.map((w) => w.percent),
    line: weeklyScores(weeks, responses),
    barLabel: t("scores.dose_done_that_week"),
    lineLabel: scoreLabel,
    height: 150,
  });
}

/** "Due now" / "Next due 12 Mar" / "Stopped", said the same way on both sides. */
export function dueText(plan) {
  if (plan.ended) return t("scores.stopped");
  if (plan.due_now) return t("scores.due_now_since_shortday", { shortDay: shortDay(plan.due_on) });
  return plan.next_due ? t("scores.next_due_shortday", { shortDay: shortDay(plan.next_due) }) : "";
}

/** A plan's answers as a small table: when due, the score, what was said. */
export function answersTable(plan) {
  if (!plan.responses.length) return h("p", { class: "small muted" }, t("scores.not_answered_yet"));
  return h(
    "div",
    { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("scores.title_answers", { title: plan.measure.title }) },
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, [t("scores.due"), t("scores.score"), t("scores.answers")].map((item) => h("th", { scope: "col" }, item)))),
      h(
        "tbody",
        {},
        plan.responses.map((r) =>
          h(
            "tr",
            {},
            h("td", {}, shortDay(r.due_on)),
            h("td", {}, r.score ?? "–"),
            h("td", {}, answerText(plan.measure, r)),
          ),
        ),
      ),
    ),
  );
}

/** What one answer said, in a line: activities and their ratings, a rating, or each question. */
export function answerText(measure, response) {
  const given = response.answers || {};
  if (given.activities) return given.activities.map((a) => `${a.name}: ${a.score}`).join(" · ");
  if (given.score !== undefined) return t("scores.score_of_10", { score: given.score });
  return measure.questions
    .filter((q) => given.answers && q.key in given.answers)
    .map((q) => {
      const value = given.answers[q.key];
      const said =
        q.type === "single"
          ? q.choices[value]
          : q.type === "multiple"
            ? value.map((i) => q.choices[i]).join(", ") || "none"
            : String(value);
      return `${q.text} ${said}`;
    })
    .join(" · ");
}
