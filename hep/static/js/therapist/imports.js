// Bringing work into hep: a hep program file becomes a template of yours; a clinic's patient
// list (CSV) becomes patients with invites, checked first by a dry run. Every problem the
// server finds is listed where it is (a JSON path, a line of the file).

import { ApiError, api } from "../api.js";
import { h, replace, toast } from "../dom.js";
import { navigate } from "../router.js";
import { t } from "../i18n.js";

function problems(error) {
  const fields = error instanceof ApiError ? Object.entries(error.fields || {}) : [];
  return h(
    "div",
    { class: "card form-alert", role: "alert", tabindex: "-1", "data-role": "problems" },
    h("p", {}, error.message),
    fields.length
      ? h(
          "ul",
          {},
          fields.map(([where, messages]) => h("li", {}, h("code", {}, where), ": ", [].concat(messages).join(" "))),
        )
      : null,
  );
}

function filePicker(id, label, accept, hint) {
  return [
    h("label", { for: id }, label),
    h("p", { class: "hint", id: `${id}-hint` }, hint),
    h("input", { id, type: "file", accept, "aria-describedby": `${id}-hint` }),
  ];
}

/** #/templates/import */
export async function importProgram() {
  const out = h("div", { "aria-live": "polite" });
  const send = async (event) => {
    const file = event.target.files?.[0];
    if (!file) return;
    replace(out);
    let document;
    try {
      document = JSON.parse(await file.text());
    } catch {
      replace(out, problems(new Error("This file is not JSON: is it a hep program file?")));
      return;
    }
    try {
      const template = await api.post("/api/templates/import", document);
      toast(t("imports.imported_title_as_template", { title: template.title }), "success");
      navigate("/templates");
    } catch (error) {
      replace(out, problems(error));
      out.querySelector("[role=alert]")?.focus();
    }
  };
  const picker = filePicker("program-file", t("imports.program_file"), ".json,application/json", t("imports.hep_json_file_exported_from"));
  picker[2].addEventListener("change", send);
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, t("imports.import_program_file")),
    h("p", { class: "subtitle" }, t("imports.it_becomes_new_template_of")),
    h("div", { class: "card" }, picker),
    out,
  );
}

/** #/clinics/:id/patients/import */
export async function importCaseload({ params }) {
  const url = `/api/clinics/${params.id}/patients/import`;
  const out = h("div", { "aria-live": "polite" });
  let chosen = null;
  const run = async (dryRun) => {
    const body = new FormData();
    body.append(t("imports.file"), chosen);
    try {
      const result = await api.post(`${url}${dryRun ? "?dry_run=true" : ""}`, body);
      replace(out, dryRun ? plan(result, () => run(false)) : done(result));
    } catch (error) {
      replace(out, problems(error));
    }
    out.querySelector("h2, [role=alert]")?.focus();
  };
  const picker = filePicker(
    "caseload-file",
    t("imports.patient_list_csv"),
    ".csv,text/csv",
    t("imports.first_line_name_email_timezone"),
  );
  picker[2].addEventListener("change", (event) => {
    chosen = event.target.files?.[0] || null;
    if (chosen) run(true);
  });
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, t("imports.import_patients")),
    h("p", { class: "subtitle" }, t("imports.each_patient_gets_invite_from")),
    h("div", { class: "card" }, picker),
    out,
  );
}

function rows(patients, withLinks) {
  const table = h(
    "table",
    {},
    h("thead", {}, h("tr", {}, [t("imports.line"), t("common.name"), t("common.email"), t("imports.time_zone"), t("imports.therapist"), withLinks ? t("imports.invite_link") : null].filter(Boolean).map((c) => h("th", { scope: "col" }, c)))),
    h(
      "tbody",
      {},
      patients.map((p) =>
        h(
          "tr",
          {},
          h("td", {}, String(p.line)),
          h("td", {}, p.name),
          h("td", {}, p.email),
          h("td", {}, p.timezone),
          h("td", {}, p.therapist_name),
          withLinks ? h("td", {}, h("input", { type: "text", readonly: true, value: p.invite.url, "aria-label": t("imports.invite_link_for_name", { name: p.name }) })) : null,
        ),
      ),
    ),
  );
  return h("div", { class: "table-wrap" }, table);
}

function plan(result, confirm) {
  return h(
    "div",
    { class: "card" },
    h("h2", { tabindex: "-1" }, t("imports.ready_count_patients", { count: result.count })),
    h("p", {}, t("imports.nothing_is_imported_yet_this")),
    rows(result.patients, false),
    h("button", { type: "button", class: "btn btn-primary", "data-role": "import", onclick: confirm }, t("imports.import_count_patients", { count: result.count })),
  );
}

function done(result) {
  return h(
    "div",
    { class: "card" },
    h("h2", { tabindex: "-1" }, t("imports.imported_count_patients", { count: result.count })),
    h("p", {}, t("imports.send_each_their_link_it")),
    rows(result.patients, true),
  );
}
