// The audit log (site admins: the whole log; a clinic's admins: their clinic's): who did what
// to whom, newest first, filtered by action or a name, a page at a time, and downloaded as CSV
// with the same filter. It holds no health data. The actions' meanings are the server's.

import { api, query } from "../api.js";
import { field, formValues, h } from "../dom.js";
import { dateTime } from "../dates.js";
import { navigate } from "../router.js";
import { auditActions, limits, pageSizeMax } from "../rules.js";

export async function auditLog({ params, query: search }) {
  const clinicId = params.id ? encodeURIComponent(params.id) : null;
  const base = clinicId ? `/api/clinics/${clinicId}/audit-log` : "/api/admin/audit-log";
  const here = clinicId ? `/clinics/${clinicId}/audit-log` : "/admin/audit-log";
  const actions = auditActions();
  const wanted = {
    action: actions[search.get("action")] ? search.get("action") : "",
    q: (search.get("q") || "").trim(),
  };
  const page = Math.max(1, Number(search.get("page")) || 1);
  const size = Math.min(50, pageSizeMax());
  const clinic = clinicId ? await api.get(`/api/clinics/${clinicId}`) : null;
  const entries = await api.get(`${base}${query({ ...wanted, page, page_size: size })}`);
  const form = h(
    "form",
    { role: "search", class: "card stack" },
    h(
      "div",
      { class: "two-up" },
      field(
        "What",
        h(
          "select",
          { name: "action", value: wanted.action },
          h("option", { value: "" }, "Everything"),
          Object.entries(actions)
            .sort(([, a], [, b]) => a.localeCompare(b))
            .map(([name, meaning]) => h("option", { value: name }, capital(meaning))),
        ),
      ),
      field("Who (a part of a name)", { type: "search", name: "q", value: wanted.q, ...limits("audit_search", "q") }),
    ),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "btn btn-primary" }, "Show"),
      h("a", { class: "btn", href: `${base}.csv${query(wanted)}`, download: "" }, "Download CSV"),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const { action, q } = formValues(form);
    navigate(`${here}${query({ action, q: q.trim() })}`);
  });
  const pageLink = (n, label) => h("a", { class: "btn btn-small", href: `#${here}${query({ ...wanted, page: n })}` }, label);
  return h(
    "section",
    { class: "page" },
    clinic ? h("p", {}, h("a", { href: `#/clinics/${clinic.id}` }, `← ${clinic.name}`)) : null,
    h("h1", { class: "page-title", tabindex: "-1" }, clinic ? `Audit log of ${clinic.name}` : "Audit log"),
    h(
      "p",
      { class: "subtitle" },
      "Sign-ins, account and role changes, invites, access to patients granted and revoked, discharges: who did what to whom. It cannot be changed and holds no health data.",
    ),
    form,
    entries.length
      ? h("ol", { class: "list card", "aria-label": "Entries, newest first" }, entries.map((e) => entry(e, actions)))
      : h("p", { class: "empty" }, page > 1 ? "No more entries." : "No entries match."),
    page > 1 || entries.length === size
      ? h(
          "nav",
          { class: "row", "aria-label": "Pages" },
          page > 1 ? pageLink(page - 1, "← Newer") : null,
          h("span", { class: "muted small" }, `Page ${page}`),
          entries.length === size ? pageLink(page + 1, "Older →") : null,
        )
      : null,
  );
}

function capital(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function entry(e, actions) {
  const who = [e.actor_name ? `By ${e.actor_name}` : "By nobody signed in", e.subject_name ? `about ${e.subject_name}` : null].filter(Boolean).join(" · ");
  return h(
    "li",
    { "data-action": e.action },
    h("strong", {}, capital(actions[e.action] || e.action)),
    h("div", { class: "small" }, who),
    e.detail ? h("div", { class: "small muted" }, e.detail) : null,
    h("div", { class: "small muted" }, dateTime(e.at)),
  );
}
