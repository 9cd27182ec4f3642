// The therapist's own questionnaires: those built so far, and a builder for a new one (0-10
// scales with end labels, single and multiple choice, text). A questionnaire never changes
// once built, so the answers always match their questions; archive one to retire it.

import { api } from "../api.js";
import { busy, confirmDialog, field, h, showErrors, toast } from "../dom.js";
import { navigate } from "../router.js";
import { limits, maxItems } from "../rules.js";

const TYPES = {
  scale: "A scale from 0 to 10",
  single: "One choice",
  multiple: "Any of several choices",
  text: "A written answer",
};

function questionEditor(n, remove) {
  const type = h("select", { name: "type" }, Object.entries(TYPES).map(([value, label]) => h("option", { value }, label)));
  const choices = field("Choices, one per line", h("textarea", { name: "choices", rows: "3" }), { hint: "Two or more." });
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
    h("legend", {}, `Question ${n}`),
    field("Question", { type: "text", name: "text", required: true, maxlength: limits("question", "text").maxlength }),
    field("Kind of answer", type),
    choices,
    labels,
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "required", checked: true }), " An answer is needed"),
    h("button", { type: "button", class: "btn btn-small btn-quiet", onclick: () => remove(box) }, `Remove question ${n}`),
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
      box.querySelector("legend").textContent = `Question ${i + 1}`;
    });
  const remove = (box) => {
    box.remove();
    renumber();
  };
  const add = () => {
    if (questions.children.length >= maxItems("questionnaire", "questions")) {
      toast("That is as many questions as a questionnaire takes.", "error");
      return;
    }
    questions.append(questionEditor(questions.children.length + 1, remove));
  };
  add();
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, "Build a questionnaire"),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field("Title", { type: "text", name: "title", required: true, maxlength: limits("questionnaire", "title").maxlength }),
    field("What the patient reads first (optional)", h("textarea", { name: "instructions", rows: "3" }), { name: "instructions" }),
    h("div", { dataset: { field: "questions" } }, questions),
    h("div", { class: "row" }, h("button", { type: "button", class: "btn", onclick: add }, "Add a question"), h("button", { type: "submit", class: "btn btn-primary" }, "Save questionnaire")),
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
        toast(`Saved: ${body.title}`, "success");
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
    const sure = await confirmDialog({ title: `Archive ${q.title}?`, body: "Patients who answer it go on; it is no longer offered.", confirm: "Archive" });
    if (!sure) return;
    await api.del(`/api/questionnaires/${encodeURIComponent(q.id)}`);
    navigate("/questionnaires");
  };
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, "Questionnaires"),
    h("p", { class: "subtitle" }, "Measures you schedule for a patient on their page, with a reminder when each is due."),
    h(
      "div",
      { class: "grid-2" },
      h(
        "div",
        {},
        h("h2", {}, "Built in"),
        h("ul", { class: "list card" }, library.built_in.map((m) => h("li", {}, h("strong", {}, m.title), h("p", { class: "small muted" }, m.instructions)))),
        h("h2", {}, "Yours"),
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
                  h("button", { type: "button", class: "btn btn-small btn-quiet", onclick: archive(q) }, "Archive", h("span", { class: "visually-hidden" }, ` ${q.title}`)),
                ),
              ),
            )
          : h("p", { class: "muted" }, "None yet."),
      ),
      builder(),
    ),
  );
}
