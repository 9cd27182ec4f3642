// The patient's questionnaires: what is due, and each one's scores over time beside how much
// of the program was done those weeks.

import { api } from "../api.js";
import { h } from "../dom.js";
import { answersTable, dueText, scoreChart } from "../components/scores.js";

function planCard(plan, weeks) {
  const measure = plan.measure;
  return h(
    "article",
    { class: "card" },
    h("h2", {}, measure.title),
    h("p", { class: plan.due_now ? "badge badge-warn" : "small muted" }, dueText(plan)),
    plan.due_now ? h("a", { class: "btn btn-primary btn-small", href: `#/measures/${encodeURIComponent(plan.id)}` }, "Answer it") : null,
    measure.score_label ? h("p", { class: "small muted" }, measure.score_label) : null,
    scoreChart({ title: `${measure.title}: scores beside the dose done`, weeks, responses: plan.responses, scoreLabel: measure.score_label }),
    answersTable(plan),
  );
}

export async function measures() {
  const data = await api.get("/api/measures");
  const plans = [...data.plans].sort((a, b) => Number(b.due_now) - Number(a.due_now));
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, "Questionnaires"),
    h("p", { class: "subtitle" }, "Short questionnaires from your therapist show how things change over the weeks."),
    plans.length
      ? plans.map((plan) => planCard(plan, data.weeks))
      : h("p", { class: "empty" }, "Your therapist has not asked you to fill in any questionnaires."),
    h("p", { class: "small" }, h("a", { href: "#/summary" }, "A summary of your progress to print")),
  );
}
