// The therapist's patients in the server's order, who needs attention first (not logging,
// pain rising, adherence falling, low adherence), each with the reasons spelled out, found by
// name, email or reason on the server; the discharged ones on a list of their own; and adding
// a patient with an invite link to send.

import { api } from "../api.js";
import { busy, clearErrors, field, h, nextId, showErrors } from "../dom.js";
import { allZones, browserZone, dateTime, relative } from "../dates.js";
import { percentText } from "../labels.js";
import { limits, pageSizeMax } from "../rules.js";
import { attentionBadges } from "../components/attention.js";
import { inviteBox } from "../components/invite-box.js";
import { patientSearch } from "../components/patient-search.js";
import { t } from "../i18n.js";

async function everyPage(path) {
  const list = [];
  // the server orders the whole caseload; pages follow one another in that order
  const size = pageSizeMax();
  for (let page = 1; ; page += 1) {
    const chunk = await api.get(`${path}${path.includes("?") ? "&" : "?"}page=${page}&page_size=${size}`);
    list.push(...chunk);
    if (chunk.length < size) return list;
  }
}

function listTabs(current) {
  const tab = (href, label, key) => h("a", { class: "btn btn-small", href, "aria-current": current === key ? "page" : null }, label);
  return h("nav", { class: "row tabs", "aria-label": t("patients.which_patients") }, tab("#/patients", t("patients.active"), "active"), tab("#/patients/discharged", t("patients.discharged"), "discharged"));
}

function filtered(list, row, { label, none, empty }) {
  const listBox = h("div");
  const filterId = nextId("filter");
  const render = (text) => {
    const needle = text.trim().toLowerCase();
    const shown = list.filter((p) => !needle || p.name.toLowerCase().includes(needle) || p.email.toLowerCase().includes(needle));
    listBox.replaceChildren(
      shown.length ? h("ul", { class: "list card", "aria-label": label }, shown.map(row)) : h("p", { class: "empty" }, list.length ? none : empty),
    );
  };
  render("");
  return [
    list.length > 5
      ? h(
          "div",
          { class: "field" },
          h("label", { for: filterId }, t("patients.find_patient")),
          h("input", { id: filterId, type: "search", oninput: (e) => render(e.target.value) }),
        )
      : null,
    listBox,
  ];
}

export async function patients() {
  const clinics = await api.get("/api/clinics");
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, t("patients.patients")),
    h("p", { class: "subtitle" }, t("patients.who_needs_attention_comes_first")),
    listTabs("active"),
    // searched and filtered on the server, page by page
    await patientSearch({
      row: patientRow,
      label: t("patients.patients_most_in_need_of"),
      none: t("patients.no_patient_matches"),
      empty: t("patients.no_patients_yet_add_your"),
    }),
    addPatientForm(clinics),
  );
}

export async function dischargedPatients() {
  const list = await everyPage("/api/patients?discharged=true");
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, t("patients.discharged_patients")),
    h(
      "p",
      { class: "subtitle" },
      t("patients.your_patients_who_are_discharged"),
    ),
    listTabs("discharged"),
    filtered(list, dischargedRow, { label: t("patients.discharged_patients_by_name"), none: t("patients.no_patient_matches"), empty: t("patients.nobody_is_discharged") }),
  );
}

function dischargedRow(p) {
  return h(
    "li",
    { class: "patient-row" },
    h(
      "div",
      { class: "grow" },
      h("a", { class: "name", href: `#/patients/${p.id}` }, p.name),
      h("div", { class: "small muted" }, t("patients.discharged_datetime", { dateTime: dateTime(p.discharged_at) })),
    ),
  );
}

function patientRow(p) {
  return h(
    "li",
    { class: "patient-row" },
    h(
      "div",
      { class: "grow" },
      h("a", { class: "name", href: `#/patients/${p.id}` }, p.name),
      h(
        "div",
        { class: "row small" },
        attentionBadges(p).map((r) => h("span", { class: `badge badge-${r.kind}` }, r.text)),
        h("span", { class: "muted" }, p.invite_accepted ? t("patients.last_check_in_relative", { relative: relative(p.last_activity_at) }) : t("patients.added_relative", { relative: relative(p.created_at) })),
      ),
    ),
    h(
      "div",
      { class: "meter" },
      h("strong", {}, percentText(p.percent_7_days)),
      h("div", { class: "small muted" }, t("patients.last_7_days")),
      p.percent_7_days !== null && p.percent_7_days !== undefined
        ? h("progress", { max: "100", value: String(p.percent_7_days), "aria-label": t("patients.name_percenttext_of_prescription_done", { name: p.name, percentText: percentText(p.percent_7_days) }) })
        : null,
    ),
  );
}

function addPatientForm(clinics) {
  const zone = browserZone();
  const zones = allZones();
  const result = h("div");
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, t("patients.add_patient")),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(t("common.name"), { type: "text", name: "name", required: true, autocomplete: "off", ...limits("sign_up", "name") }),
    field(t("common.email"), { type: "email", name: "email", required: true, autocomplete: "off", ...limits("sign_up", "email") }),
    field(
      t("patients.patients_time_zone"),
      h("select", { name: "timezone", value: zone }, zones.map((z) => h("option", { value: z }, z.replace(/_/g, " ")))),
      { hint: t("patients.reminders_follow_it_patients_phone") },
    ),
    // a therapist of several clinics says which one cares for the patient
    clinics.length > 1
      ? field(t("patients.clinic"), h("select", { name: "clinic_id" }, clinics.map((c) => h("option", { value: c.id }, c.name))), {
          hint: t("patients.colleagues_of_this_clinic_can"),
        })
      : null,
    h("button", { type: "submit", class: "btn btn-primary" }, t("patients.add_and_get_invite_link")),
    result,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = { name: data.get("name").trim(), email: data.get("email").trim(), timezone: data.get("timezone") };
    if (data.get("clinic_id")) body.clinic_id = data.get("clinic_id");
    busy(form, async () => {
      try {
        const added = await api.post("/api/patients", body);
        clearErrors(form);
        // an address that has an account gets a request to accept instead: the server answers
        // alike, and so does this screen (it never tells whether an account exists)
        result.replaceChildren(
          inviteBox(added.patient.name, added.patient.email, added.invite, added.patient.id),
          h("p", {}, t("patients.send_this_link_to_name", { name: added.patient.name })),
        );
        form.querySelector('input[name="name"]').value = "";
        form.querySelector('input[name="email"]').value = "";
        result.querySelector("input")?.focus();
      } catch (error) {
        result.replaceChildren();
        showErrors(form, error);
      }
    });
  });
  return form;
}
