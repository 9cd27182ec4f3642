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
    h("h1", { class: "page-title", tabindex: "-1" }, `Caseload of ${found.name}`),
    h(
      "p",
      { class: "subtitle" },
      "Every patient cared for under this clinic, who needs attention first. Patients see in their access log that you looked at this list.",
    ),
    h(
      "nav",
      { class: "row tabs", "aria-label": "Which patients" },
      tab(`#/clinics/${found.id}/caseload`, "Active", !discharged),
      tab(`#/clinics/${found.id}/caseload?discharged=1`, "Discharged", discharged),
    ),
    list.length
      ? h("ul", { class: "list card", "aria-label": discharged ? "Discharged patients, by name" : "Patients, most in need of attention first" }, list.map(row))
      : h("p", { class: "empty" }, discharged ? "Nobody is discharged." : "No patients are cared for under this clinic yet."),
  );
}

function row(p) {
  const me = currentUser().id;
  const mine = p.therapists.some((t) => t.id === me);
  const team = p.therapists
    .map((t) => `${t.name}${t.lead ? " (lead)" : ""}${t.in_clinic ? "" : " (another clinic)"}`)
    .join(", ");
  return h(
    "li",
    { class: "patient-row" },
    h(
      "div",
      { class: "grow" },
      // a patient's page opens for the therapists on their team only
      mine ? h("a", { class: "name", href: `#/patients/${p.id}` }, p.name) : h("strong", { class: "name" }, p.name),
      h("div", { class: "small" }, `Care team: ${team || "nobody"}`),
      p.discharged_at
        ? h("div", { class: "small muted" }, `Discharged ${dateTime(p.discharged_at)}`)
        : h(
            "div",
            { class: "row small" },
            attentionBadges(p).map((r) => h("span", { class: `badge badge-${r.kind}` }, r.text)),
            h("span", { class: "muted" }, p.invite_accepted ? `Last check-in ${relative(p.last_activity_at)}` : `Added ${relative(p.created_at)}`),
          ),
    ),
    p.discharged_at ? null : h("div", { class: "meter" }, h("strong", {}, percentText(p.percent_7_days)), h("div", { class: "small muted" }, "last 7 days")),
  );
}
