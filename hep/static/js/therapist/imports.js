// Bringing work into hep: a hep program file becomes a template of yours; a clinic's patient
// list (CSV) becomes patients with invites, checked first by a dry run. Every problem the
// server finds is listed where it is (a JSON path, a line of the file).

import { ApiError, api } from "../api.js";
import { h, replace, toast } from "../dom.js";
import { navigate } from "../router.js";

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
      toast(`Imported “${template.title}” as a template.`, "success");
      navigate("/templates");
    } catch (error) {
      replace(out, problems(error));
      out.querySelector("[role=alert]")?.focus();
    }
  };
  const picker = filePicker("program-file", "Program file", ".json,application/json", "A .hep.json file exported from hep (yours or another clinic's).");
  picker[2].addEventListener("change", send);
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, "Import a program file"),
    h("p", { class: "subtitle" }, "It becomes a new template of yours. Built-in exercises are found in hep's library; the file's own exercises join yours."),
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
    body.append("file", chosen);
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
    "Patient list (CSV)",
    ".csv,text/csv",
    "First line: name, email, timezone, therapist (the therapist's email). At most 1,000 patients a file.",
  );
  picker[2].addEventListener("change", (event) => {
    chosen = event.target.files?.[0] || null;
    if (chosen) run(true);
  });
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, "Import patients"),
    h("p", { class: "subtitle" }, "Each patient gets an invite from their therapist, as when you add one. hep checks the whole file first and imports nothing until you say so."),
    h("div", { class: "card" }, picker),
    out,
  );
}

function rows(patients, withLinks) {
  const table = h(
    "table",
    {},
    h("thead", {}, h("tr", {}, ["Line", "Name", "Email", "Time zone", "Therapist", withLinks ? "Invite link" : null].filter(Boolean).map((c) => h("th", { scope: "col" }, c)))),
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
          withLinks ? h("td", {}, h("input", { type: "text", readonly: true, value: p.invite.url, "aria-label": `Invite link for ${p.name}` })) : null,
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
    h("h2", { tabindex: "-1" }, `Ready: ${result.count} patients`),
    h("p", {}, "Nothing is imported yet. This is what the import will do:"),
    rows(result.patients, false),
    h("button", { type: "button", class: "btn btn-primary", "data-role": "import", onclick: confirm }, `Import ${result.count} patients`),
  );
}

function done(result) {
  return h(
    "div",
    { class: "card" },
    h("h2", { tabindex: "-1" }, `Imported ${result.count} patients`),
    h("p", {}, "Send each their link (it expires; their therapist can send a new one from the patient's page)."),
    rows(result.patients, true),
  );
}
