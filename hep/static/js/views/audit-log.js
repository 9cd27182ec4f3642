// The audit log (site admins: the whole log; a clinic's admins: their clinic's): who did what
// to whom, newest first, filtered by action or a name, a page at a time, and downloaded as CSV
// with the same filter. It holds no health data. The actions' meanings are the server's.

import { api, query } from "../api.js";
import { field, formValues, h } from "../dom.js";
import { dateTime } from "../dates.js";
import { navigate } from "../router.js";
import { auditActions, limits, pageSizeMax } from "../rules.js";
import { t } from "../i18n.js";

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
        t("audit_log.what"),
        h(
          "select",
          { name: "action", value: wanted.action },
          h("option", { value: "" }, t("audit_log.everything")),
          Object.entries(actions)
            .sort(([, a], [, b]) => a.localeCompare(b))
            .map(([name, meaning]) => h("option", { value: name }, capital(meaning))),
        ),
      ),
      field(t("audit_log.who_part_of_name"), { type: "search", name: "q", value: wanted.q, ...limits("audit_search", "q") }),
    ),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "btn btn-primary" }, t("audit_log.show")),
      h("a", { class: "btn", href: `${base}.csv${query(wanted)}`, download: "" }, t("audit_log.download_csv")),
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
    h("h1", { class: "page-title", tabindex: "-1" }, clinic ? t("audit_log.audit_log_of_name", { name: clinic.name }) : t("audit_log.audit_log")),
    h(
      "p",
      { class: "subtitle" },
      t("audit_log.sign_ins_account_and_role"),
    ),
    form,
    entries.length
      ? h("ol", { class: "list card", "aria-label": t("audit_log.entries_newest_first") }, entries.map((e) => entry(e, actions)))
      : h("p", { class: "empty" }, page > 1 ? t("audit_log.no_more_entries") : t("audit_log.no_entries_match")),
    page > 1 || entries.length === size
      ? h(
          "nav",
          { class: "row", "aria-label": t("audit_log.pages") },
          page > 1 ? pageLink(page - 1, t("audit_log.newer")) : null,
          h("span", { class: "muted small" }, t("audit_log.page_page", { page })),
          entries.length === size ? pageLink(page + 1, t("audit_log.older")) : null,
        )
      : null,
  );
}

function capital(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function entry(e, actions) {
  const who = [e.actor_name ? t("audit_log.by_actor_name", { actor_name: e.actor_name }) : t("audit_log.by_nobody_signed_in"), e.subject_name ? t("audit_log.about_subject_name", { subject_name: e.subject_name }) : null].filter(Boolean).join(" · ");
  return h(
    "li",
    { "data-action": e.action },
    h("strong", {}, capital(actions[e.action] || e.action)),
    h("div", { class: "small" }, who),
    e.detail ? h("div", { class: "small muted" }, e.detail) : null,
    h("div", { class: "small muted" }, dateTime(e.at)),
  );
}
