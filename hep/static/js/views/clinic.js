// One clinic: its name (renamed by its admins), its members and invites; for its admins the way
// to its caseload and audit log. A site admin manages it the same way but sees no caseload:
// that is health data.

import { api } from "../api.js";
import { busy, clearErrors, field, h, showErrors, toast } from "../dom.js";
import { navigate } from "../router.js";
import { limits } from "../rules.js";
import { currentUser } from "../session.js";
import { clinicInvites } from "../components/clinic-invites.js";
import { clinicMembers } from "../components/clinic-members.js";
import { t } from "../i18n.js";

export async function clinic({ params }) {
  const found = await api.get(`/api/clinics/${encodeURIComponent(params.id)}`);
  const siteAdmin = currentUser().role === "admin";
  const manage = siteAdmin || found.my_role === "admin";
  const links = [
    // the caseload is health data: a clinic's admins see it, a site admin does not
    found.my_role === "admin" ? h("a", { class: "btn", href: `#/clinics/${found.id}/caseload` }, t("route.caseload")) : null,
    manage ? h("a", { class: "btn", href: `#/clinics/${found.id}/audit-log` }, t("nav.audit_log")) : null,
    h("a", { class: "btn", href: `#/clinics/${found.id}/care-rules` }, t("app.attention_thresholds")),
  ].filter(Boolean);
  return h(
    "section",
    { class: "page" },
    h("p", {}, h("a", { href: "#/clinics" }, siteAdmin ? t("clinic.clinics") : t("clinic.your_clinics"))),
    h("h1", { class: "page-title", tabindex: "-1" }, found.name),
    h(
      "p",
      { class: "subtitle" },
      found.my_role === "admin"
        ? t("clinic.you_are_an_admin")
        : found.my_role
          ? t("clinic.you_are_a_therapist")
          : t("clinic.you_manage_as_site_admin"),
    ),
    links.length ? h("div", { class: "actions" }, links) : null,
    h(
      "div",
      { class: "grid-2" },
      h("div", {}, clinicMembers(found, { manage })),
      manage ? h("div", {}, clinicInvites(found), renameForm(found)) : null,
    ),
  );
}

function renameForm(found) {
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, t("clinic.name")),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(t("clinics.clinic_name"), { type: "text", name: "name", value: found.name, required: true, ...limits("clinic", "name") }),
    h("button", { type: "submit", class: "btn" }, t("clinic.rename")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = new FormData(form).get("name").trim();
    busy(form, async () => {
      try {
        const saved = await api.patch(`/api/clinics/${encodeURIComponent(found.id)}`, { name });
        clearErrors(form);
        toast(t("clinic.renamed_to_name", { name: saved.name }), "success");
        navigate(`/clinics/${found.id}`);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
