// Answering one questionnaire: the Patient-Specific Functional Scale (name up to five
// activities and rate each), the pain rating, or one a therapist built (0-10 scales, single or
// multiple choice, text). Each question shows the server's error beside it.

import { api } from "../api.js";
import { busy, field, h, showErrors, toast } from "../dom.js";
import { shortDay } from "../dates.js";
import { navigate } from "../router.js";
import { limits, maxItems } from "../rules.js";
import { t } from "../i18n.js";

// the form field of a built question's answer: answers.<key>, as the server names it
const answerName = (key) => ["answers", key].join(".");

function scale(name, legend, selected, low, high) {
  return h(
    "fieldset",
    { "data-field": name },
    h("legend", {}, legend),
    low || high ? h("p", { class: "hint" }, `0 = ${low || "lowest"} · 10 = ${high || "highest"}`) : null,
    h(
      "div",
      { class: "scale chips" },
      Array.from({ length: 11 }, (_, v) =>
        h(
          "label",
          { class: "chip" },
          h("input", { type: "radio", name, value: String(v), checked: selected === v, "aria-label": t("measure.v_of_10", { v }) }),
          h("span", {}, String(v)),
        ),
      ),
    ),
  );
}

function psfsRows(plan, answered) {
  const given = answered?.answers?.activities || plan.previous_activities.map((name) => ({ name, score: null }));
  const rows = Array.from({ length: maxItems("measure_answer", "activities") }, (_, i) => given[i] || { name: "", score: null });
  return rows.map((row, i) =>
    h(
      "div",
      { class: "card activity" },
      field(t(i ? "measure.activity_optional" : "measure.activity", { number: i + 1 }), {
        type: "text",
        name: `activity-${i}`,
        value: row.name,
        maxlength: limits("psfs_activity", "name").maxlength,
        placeholder: i === 0 ? t("measure.for_example_climbing_stairs") : "",
      }, { name: `activities.${i}.name` }),
      scale(
        `score-${i}`,
        [t("measure.how_well_can_you_do"), h("span", { class: "visually-hidden" }, " ", t("measure.activity_number", { number: i + 1 }))],
        row.score,
        plan.measure.low_label,
        plan.measure.high_label,
      ),
    ),
  );
}

function customQuestion(question, given) {
  const name = answerName(question.key);
  const legend = question.required ? question.text : t("measure.question_optional", { question: question.text });
  if (question.type === "scale") return scale(name, legend, given ?? null, question.low_label, question.high_label);
  if (question.type === "text") {
    return field(legend, h("textarea", { name, rows: "3", maxlength: "1000" }, given || ""), { name });
  }
  const multiple = question.type === "multiple";
  return h(
    "fieldset",
    { "data-field": name },
    h("legend", {}, legend),
    h(
      "div",
      { class: "chips" },
      question.choices.map((choice, i) =>
        h(
          "label",
          { class: "chip" },
          h("input", {
            type: multiple ? "checkbox" : "radio",
            name,
            value: String(i),
            checked: multiple ? (given || []).includes(i) : given === i,
          }),
          h("span", {}, choice),
        ),
      ),
    ),
  );
}

function bodyOf(plan, form) {
  const data = new FormData(form);
  const instrument = plan.measure.instrument;
  if (instrument === "psfs") {
    const activities = [];
    for (let i = 0; i < maxItems("measure_answer", "activities"); i += 1) {
      const name = (data.get(`activity-${i}`) || "").trim();
      const score = data.get(`score-${i}`);
      if (name || score !== null) activities.push({ name, score: score === null ? null : Number(score) });
    }
    return { activities };
  }
  if (instrument === "nprs") return { score: data.get("score") === null ? null : Number(data.get("score")) };
  const answers = {};
  for (const q of plan.measure.questions) {
    const name = answerName(q.key);
    if (q.type === "multiple") answers[q.key] = data.getAll(name).map(Number);
    else if (data.get(name) === null || data.get(name) === "") continue;
    else answers[q.key] = q.type === "text" ? data.get(name) : Number(data.get(name));
    if (q.type === "multiple" && !answers[q.key].length && !q.required) delete answers[q.key];
  }
  return { answers };
}

export async function measure({ params }) {
  const plan = await api.get(`/api/measures/${encodeURIComponent(params.id)}`);
  const measureDef = plan.measure;
  const answered = plan.responses.find((r) => r.due_on === plan.due_on);
  const instrument = measureDef.instrument;
  const questions =
    instrument === "psfs"
      ? psfsRows(plan, answered)
      : instrument === "nprs"
        ? [scale("score", t("measure.your_pain_over_last_day"), answered?.answers?.score ?? null, measureDef.low_label, measureDef.high_label)]
        : measureDef.questions.map((q) => customQuestion(q, answered?.answers?.answers?.[q.key]));
  const form = h(
    "form",
    { novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    questions,
    h("button", { type: "submit", class: "btn btn-primary btn-block" }, answered ? t("measure.save_changes") : t("measure.send")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = bodyOf(plan, form);
    if (instrument === "psfs" && body.activities.some((a) => a.score === null)) {
      showErrors(form, { message: t("measure.rate_each_activity_you_named"), fields: {} });
      return;
    }
    busy(form, async () => {
      try {
        await api.put(`/api/measures/${encodeURIComponent(plan.id)}/responses/${plan.due_on}`, body);
        toast(t("measure.thank_you_sent_to_your"), "success");
        navigate("/measures");
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  const open = plan.due_on && !plan.ended;
  return h(
    "section",
    { class: "page" },
    h("p", {}, h("a", { href: "#/measures" }, t("measure.questionnaires"))),
    h("h1", { class: "page-title", tabindex: "-1" }, measureDef.title),
    open ? h("p", { class: "subtitle" }, t("measure.due_shortday", { shortDay: shortDay(plan.due_on) })) : null,
    measureDef.instructions ? h("p", { class: "card instructions" }, measureDef.instructions) : null,
    open ? form : h("p", { class: "empty" }, plan.ended ? t("measure.your_therapist_stopped_this_questionnaire") : t("measure.not_due_yet")),
  );
}
