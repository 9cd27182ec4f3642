// Templates (protocols): reusable sets of exercises with doses, yours and those shared with
// your clinics, prescribed to a patient in one go; each opens to be renamed, shared, edited
// into a new version or deleted.

import { api } from "../api.js";
import { busy, clearErrors, field, h, showErrors, toast } from "../dom.js";
import { browserZone, todayIn } from "../dates.js";
import { doseText } from "../labels.js";
import { navigate } from "../router.js";
import { pageSizeMax } from "../rules.js";
import { ownership } from "../components/sharing.js";
import { t } from "../i18n.js";

/** Every page of `path` (a list the server pages), one after the other. */
async function everything(path) {
  const size = pageSizeMax();
  const all = [];
  for (let page = 1; ; page += 1) {
    const found = await api.get(`${path}?page=${page}&page_size=${size}`);
    all.push(...found);
    if (found.length < size) return all;
  }
}

async function exerciseNames() {
  return new Map((await everything("/api/exercises")).map((e) => [e.id, e.name]));
}

export async function templates() {
  const list = await api.get("/api/templates");
  const patients = await everything("/api/patients");
  const names = await exerciseNames();
  const clinics = new Map((await api.get("/api/clinics")).map((c) => [c.id, c.name]));
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, t("templates.templates")),
    h(
      "p",
      { class: "subtitle" },
      t("templates.save_program_as_template_from"),
    ),
    list.length
      ? list.map((item) => templateCard(item, patients, names, clinics))
      : h("p", { class: "empty" }, t("templates.no_templates_yet_build_program")),
  );
}

function templateCard(template, patients, names, clinics) {
  const form = h(
    "form",
    { class: "entry-more", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    patients.length
      ? field(t("templates.patient"), h("select", { name: "patient_id" }, patients.map((p) => h("option", { value: p.id }, p.name))))
      : h("p", { class: "muted" }, t("templates.add_patient_first")),
    field(t("templates.start_date"), { type: "date", name: "start_date", value: todayIn(browserZone()), required: true }),
    patients.length ? h("button", { type: "submit", class: "btn" }, t("templates.prescribe"), h("span", { class: "visually-hidden" }, ` ${template.title}`)) : null,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    busy(form, async () => {
      try {
        await api.post(`/api/templates/${template.id}/apply`, {
          patient_id: data.get("patient_id"),
          start_date: data.get("start_date"),
        });
        clearErrors(form);
        toast(t("templates.prescribed_title", { title: template.title }), "success");
        navigate(`/patients/${data.get("patient_id")}`);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return h(
    "article",
    { class: "card", "data-role": "template" },
    h("h2", {}, h("a", { href: `#/templates/${template.id}` }, template.title)),
    h(
      "p",
      { class: "small muted" },
      t("templates.summary", { ownership: ownership(template, clinics), version: template.version, count: template.items.length, minutes: template.minutes_per_session }),
    ),
    template.warnings.map((w) => h("p", { class: "banner warn small" }, w)),
    template.notes ? h("p", {}, template.notes) : null,
    h("ul", { class: "list" }, template.items.map((i) => h("li", {}, h("strong", {}, names.get(i.exercise_id) || t("templates.exercise")), h("br"), h("span", { class: "small muted" }, doseText(i))))),
    form,
  );
}
