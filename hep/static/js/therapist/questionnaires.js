// The therapist's own questionnaires: those built so far, and a builder for a new one (0-10
// scales with end labels, single and multiple choice, text). A questionnaire never changes
// once built, so the answers always match their questions; archive one to retire it.

import { api } from "../api.js";
import { busy, confirmDialog, field, h, showErrors, toast } from "../dom.js";
import { navigate } from "../router.js";
import { limits, maxItems } from "../rules.js";
import { t, words } from "../i18n.js";

const TYPES = words({
  scale: "questionnaires.scale_from_0_to_10",
  single: "questionnaires.one_choice",
  multiple: "questionnaires.any_of_several_choices",
  text: "questionnaires.written_answer",
});

function questionEditor(n, remove) {
  const type = h("select", { name: "type" }, Object.entries(TYPES).map(([value, label]) => h("option", { value }, label)));
  const choices = field(t("questionnaires.choices_one_per_line"), h("textarea", { name: "choices", rows: "3" }), { hint: t("questionnaires.two_or_more") });
  const labels = h(
    "div",
    { class: "row" },
    field("0 means", { type: "text", name: "low_label", maxlength: limits("question", "low_label").maxlength }),
    field("10 means", { type: "text", name: "high_label", maxlength: limits("question", "high_label").maxlength }),
  );
  const sync = () => {
    choices.hidden = !["single", "multiple"].includes(type.value);
    labels.hidden = type.value !== "scale";
  };
  type.addEventListener("change", sync);
  sync();
  const box = h(
    "fieldset",
    { class: "card question" },
    h("legend", {}, t("questionnaires.question_n", { n })),
    field(t("questionnaires.question"), { type: "text", name: "text", required: true, maxlength: limits("question", "text").maxlength }),
    field(t("questionnaires.kind_of_answer"), type),
    choices,
    labels,
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "required", checked: true }), " ", t("questionnaires.answer_is_needed")),
    h("button", { type: "button", class: "btn btn-small btn-quiet", onclick: () => remove(box) }, t("questionnaires.remove_question_n", { n })),
  );
  return box;
}

function questionOf(box) {
  const value = (name) => box.querySelector(`[name=${name}]`).value;
  const type = value("type");
  const question = { type, text: value("text"), required: box.querySelector("[name=required]").checked };
  if (type === "single" || type === "multiple") {
    question.choices = value("choices").split("\n").map((c) => c.trim()).filter(Boolean);
  }
  if (type === "scale") {
    question.low_label = value("low_label");
    question.high_label = value("high_label");
  }
  return question;
}

function builder() {
  const questions = h("div");
  const renumber = () =>
    [...questions.children].forEach((box, i) => {
      box.querySelector("legend").textContent = t("questionnaires.question_value", { value: i + 1 });
    });
  const remove = (box) => {
    box.remove();
    renumber();
  };
  const add = () => {
    if (questions.children.length >= maxItems("questionnaire", "questions")) {
      toast(t("questionnaires.that_is_as_many_questions"), "error");
      return;
    }
    questions.append(questionEditor(questions.children.length + 1, remove));
  };
  add();
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, t("questionnaires.build_questionnaire")),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(t("questionnaires.title"), { type: "text", name: "title", required: true, maxlength: limits("questionnaire", "title").maxlength }),
    field(t("questionnaires.what_patient_reads_first_optional"), h("textarea", { name: "instructions", rows: "3" }), { name: "instructions" }),
    h("div", { dataset: { field: "questions" } }, questions),
    h("div", { class: "row" }, h("button", { type: "button", class: "btn", onclick: add }, t("questionnaires.add_question")), h("button", { type: "submit", class: "btn btn-primary" }, t("questionnaires.save_questionnaire"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = {
      title: form.querySelector("[name=title]").value,
      instructions: form.querySelector("[name=instructions]").value,
      questions: [...questions.children].map(questionOf),
    };
    busy(form, async () => {
      try {
        await api.post("/api/questionnaires", body);
        toast(t("questionnaires.saved_title", { title: body.title }), "success");
        navigate("/questionnaires");
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}

export async function questionnaires() {
  const library = await api.get("/api/questionnaires");
  const archive = (q) => async () => {
    const sure = await confirmDialog({ title: t("questionnaires.archive_title", { title: q.title }), body: t("questionnaires.patients_who_answer_it_go"), confirm: t("questionnaires.archive") });
    if (!sure) return;
    await api.del(`/api/questionnaires/${encodeURIComponent(q.id)}`);
    navigate("/questionnaires");
  };
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, t("questionnaires.questionnaires")),
    h("p", { class: "subtitle" }, t("questionnaires.measures_you_schedule_for_patient")),
    h(
      "div",
      { class: "grid-2" },
      h(
        "div",
        {},
        h("h2", {}, t("questionnaires.built_in")),
        h("ul", { class: "list card" }, library.built_in.map((m) => h("li", {}, h("strong", {}, m.title), h("p", { class: "small muted" }, m.instructions)))),
        h("h2", {}, t("questionnaires.yours")),
        library.own.length
          ? h(
              "ul",
              { class: "list card" },
              library.own.map((q) =>
                h(
                  "li",
                  {},
                  h("strong", {}, q.title),
                  h("p", { class: "small muted" }, q.questions.map((x) => x.text).join(" · ")),
                  h("button", { type: "button", class: "btn btn-small btn-quiet", onclick: archive(q) }, t("questionnaires.archive"), h("span", { class: "visually-hidden" }, ` ${q.title}`)),
                ),
              ),
            )
          : h("p", { class: "muted" }, t("questionnaires.none_yet")),
      ),
      builder(),
    ),
  );
}
