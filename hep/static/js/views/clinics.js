// Clinics: a therapist's own (and their role in each), a site admin's every clinic with a
// search; starting a new one (a therapist becomes its first admin; a site admin makes an empty
// one and invites its first admin on its page).

import { api, query } from "../api.js";
import { busy, clearErrors, field, h, showErrors, toast } from "../dom.js";
import { navigate } from "../router.js";
import { limits, pageSizeMax } from "../rules.js";
import { currentUser } from "../session.js";
import { t, words } from "../i18n.js";

const ROLES = words({ admin: "clinics.you_are_admin", therapist: "clinics.you_are_therapist" });

export async function clinics({ query: params }) {
  const siteAdmin = currentUser().role === "admin";
  const size = Math.min(50, pageSizeMax());
  const q = (params.get("q") || "").trim();
  const page = Math.max(1, Number(params.get("page")) || 1);
  const list = await api.get(`/api/clinics${query({ q: siteAdmin ? q : "", page, page_size: size })}`);
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, siteAdmin ? t("clinics.clinics") : t("clinics.your_clinics")),
    h(
      "p",
      { class: "subtitle" },
      siteAdmin
        ? t("clinics.every_clinic_on_this_server")
        : t("clinics.practices_you_work_in_patients"),
    ),
    siteAdmin ? searchForm(q) : null,
    list.length
      ? h(
          "ul",
          { class: "list card", "aria-label": t("clinics.clinics") },
          list.map((c) =>
            h(
              "li",
              { class: "row spread" },
              h(
                "div",
                { class: "grow" },
                h("a", { class: "name", href: `#/clinics/${c.id}` }, h("strong", {}, c.name)),
                h("div", { class: "small muted" }, [t("clinics.members", { count: c.members }), c.my_role ? ROLES[c.my_role] : null].filter(Boolean).join(" · ")),
              ),
            ),
          ),
        )
      : h("p", { class: "empty" }, q ? t("clinics.no_clinic_matches") : t("clinics.no_clinics_yet")),
    siteAdmin ? pager(q, page, list.length === size) : null,
    newClinicForm(siteAdmin, list.length),
  );
}

function searchForm(q) {
  const form = h(
    "form",
    { role: "search", class: "card stack" },
    field(t("clinics.find_clinic_by_name"), { type: "search", name: "q", value: q, ...limits("clinic_search", "q") }),
    h("button", { type: "submit", class: "btn" }, t("clinics.search")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    navigate(`/clinics${query({ q: new FormData(form).get("q").trim() })}`);
  });
  return form;
}

function pager(q, page, more) {
  if (page === 1 && !more) return null;
  return h(
    "nav",
    { class: "row", "aria-label": t("clinics.pages") },
    page > 1 ? h("a", { class: "btn btn-small", href: `#/clinics${query({ q, page: page - 1 })}` }, t("clinics.previous_page")) : null,
    h("span", { class: "muted small" }, t("clinics.page_page", { page })),
    more ? h("a", { class: "btn btn-small", href: `#/clinics${query({ q, page: page + 1 })}` }, t("clinics.next_page")) : null,
  );
}

function newClinicForm(siteAdmin, have) {
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, t("clinics.start_new_clinic")),
    h(
      "p",
      { class: "small muted" },
      siteAdmin
        ? t("clinics.clinic_starts_empty_invite_its")
        : [t("clinics.you_become_its_first_admin"), have ? t("clinics.working_in_one_practice_only") : null].filter(Boolean).join(" "),
    ),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(t("clinics.clinic_name"), { type: "text", name: "name", required: true, autocomplete: "organization", ...limits("clinic", "name") }),
    h("button", { type: "submit", class: "btn btn-primary" }, t("clinics.create_clinic")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = new FormData(form).get("name").trim();
    busy(form, async () => {
      try {
        const made = await api.post("/api/clinics", { name });
        clearErrors(form);
        toast(t("clinics.name_is_created", { name: made.name }), "success");
        navigate(`/clinics/${made.id}`);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
