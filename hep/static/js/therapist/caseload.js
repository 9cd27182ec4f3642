// A clinic's caseload for its admins: every patient cared for under the clinic, who needs
// attention first and why, and who is on each care team; the discharged ones by name. Each
// read lands in the listed patients' access logs.

import { api } from "../api.js";
import { h } from "../dom.js";
import { dateTime, relative } from "../dates.js";
import { percentText } from "../labels.js";
import { pageSizeMax } from "../rules.js";
import { currentUser } from "../session.js";
import { attentionBadges } from "../components/attention.js";
import { t } from "../i18n.js";

export async function caseload({ params, query }) {
  const id = encodeURIComponent(params.id);
  const discharged = query.get("discharged") === "1";
  const found = await api.get(`/api/clinics/${id}`);
  const size = pageSizeMax();
  const list = [];
  for (let page = 1; ; page += 1) {
    const chunk = await api.get(`/api/clinics/${id}/caseload?discharged=${discharged}&page=${page}&page_size=${size}`);
    list.push(...chunk);
    if (chunk.length < size) break;
  }
  const tab = (href, label, on) => h("a", { class: "btn btn-small", href, "aria-current": on ? "page" : null }, label);
  return h(
    "section",
    { class: "page" },
    h("p", {}, h("a", { href: `#/clinics/${found.id}` }, `← ${found.name}`)),
    h("h1", { class: "page-title", tabindex: "-1" }, t("caseload.caseload_of_name", { name: found.name })),
    h(
      "p",
      { class: "subtitle" },
      t("caseload.every_patient_cared_for_under"),
    ),
    h(
      "nav",
      { class: "row tabs", "aria-label": t("caseload.which_patients") },
      tab(`#/clinics/${found.id}/caseload`, t("caseload.active"), !discharged),
      tab(`#/clinics/${found.id}/caseload?discharged=1`, t("caseload.discharged"), discharged),
    ),
    list.length
      ? h("ul", { class: "list card", "aria-label": discharged ? t("caseload.discharged_patients_by_name") : t("caseload.patients_most_in_need_of") }, list.map(row))
      : h("p", { class: "empty" }, discharged ? t("caseload.nobody_is_discharged") : t("caseload.no_patients_are_cared_for")),
  );
}

function row(p) {
  const me = currentUser().id;
  const mine = p.therapists.some((item) => item.id === me);
  const team = p.therapists
    .map((item) => (item.lead ? t("caseload.therapist_lead", { name: item.name }) : item.name) + (item.in_clinic ? "" : ` ${t("caseload.another_clinic")}`))
    .join(", ");
  return h(
    "li",
    { class: "patient-row" },
    h(
      "div",
      { class: "grow" },
      // a patient's page opens for the therapists on their team only
      mine ? h("a", { class: "name", href: `#/patients/${p.id}` }, p.name) : h("strong", { class: "name" }, p.name),
      h("div", { class: "small" }, t("caseload.care_team", { team: team || t("caseload.nobody") })),
      p.discharged_at
        ? h("div", { class: "small muted" }, t("caseload.discharged_datetime", { dateTime: dateTime(p.discharged_at) }))
        : h(
            "div",
            { class: "row small" },
            attentionBadges(p).map((r) => h("span", { class: `badge badge-${r.kind}` }, r.text)),
            h("span", { class: "muted" }, p.invite_accepted ? t("caseload.last_check_in_relative", { relative: relative(p.last_activity_at) }) : t("caseload.added_relative", { relative: relative(p.created_at) })),
          ),
    ),
    p.discharged_at ? null : h("div", { class: "meter" }, h("strong", {}, percentText(p.percent_7_days)), h("div", { class: "small muted" }, t("caseload.last_7_days"))),
  );
}
