// The patient's questionnaires: what is due, and each one's scores over time beside how much
// of the program was done those weeks.

import { api } from "../api.js";
import { h } from "../dom.js";
import { answersTable, dueText, scoreChart } from "../components/scores.js";
import { t } from "../i18n.js";

function planCard(plan, weeks) {
  const measure = plan.measure;
  return h(
    "article",
    { class: "card" },
    h("h2", {}, measure.title),
    h("p", { class: plan.due_now ? "badge badge-warn" : "small muted" }, dueText(plan)),
    plan.due_now ? h("a", { class: "btn btn-primary btn-small", href: `#/measures/${encodeURIComponent(plan.id)}` }, t("measures.answer_it")) : null,
    measure.score_label ? h("p", { class: "small muted" }, measure.score_label) : null,
    scoreChart({ title: t("measures.title_scores_beside_dose_done", { title: measure.title }), weeks, responses: plan.responses, scoreLabel: measure.score_label }),
    answersTable(plan),
  );
}

export async function measures() {
  const data = await api.get("/api/measures");
  const plans = [...data.plans].sort((a, b) => Number(b.due_now) - Number(a.due_now));
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, t("measures.questionnaires")),
    h("p", { class: "subtitle" }, t("measures.short_questionnaires_from_your_therapist")),
    plans.length
      ? plans.map((plan) => planCard(plan, data.weeks))
      : h("p", { class: "empty" }, t("measures.your_therapist_has_not_asked")),
    h("p", { class: "small" }, h("a", { href: "#/summary" }, t("measures.summary_of_your_progress_to"))),
  );
}
