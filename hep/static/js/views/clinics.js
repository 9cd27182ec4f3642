// Clinics: a therapist's own (and their role in each), a site admin's every clinic with a
// search; starting a new one (a therapist becomes its first admin; a site admin makes an empty
// one and invites its first admin on its page).

import { api, query } from "../api.js";
import { busy, clearErrors, field, h, showErrors, toast } from "../dom.js";
import { navigate } from "../router.js";
import { limits, pageSizeMax } from "../rules.js";
import { currentUser } from "../session.js";

const ROLES = { admin: "You are an admin", therapist: "You are a therapist" };

export async function clinics({ query: params }) {
  const siteAdmin = currentUser().role === "admin";
  const size = Math.min(50, pageSizeMax());
  const q = (params.get("q") || "").trim();
  const page = Math.max(1, Number(params.get("page")) || 1);
  const list = await api.get(`/api/clinics${query({ q: siteAdmin ? q : "", page, page_size: size })}`);
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, siteAdmin ? "Clinics" : "Your clinics"),
    h(
      "p",
      { class: "subtitle" },
      siteAdmin
        ? "Every clinic on this server: its members and invites, and its audit log. You see no patient's health data."
        : "The practices you work in. Patients, templates and exercises can be shared within a clinic.",
    ),
    siteAdmin ? searchForm(q) : null,
    list.length
      ? h(
          "ul",
          { class: "list card", "aria-label": "Clinics" },
          list.map((c) =>
            h(
              "li",
              { class: "row spread" },
              h(
                "div",
                { class: "grow" },
                h("a", { class: "name", href: `#/clinics/${c.id}` }, h("strong", {}, c.name)),
                h("div", { class: "small muted" }, [`${c.members} member${c.members === 1 ? "" : "s"}`, c.my_role ? ROLES[c.my_role] : null].filter(Boolean).join(" · ")),
              ),
            ),
          ),
        )
      : h("p", { class: "empty" }, q ? "No clinic matches." : "No clinics yet."),
    siteAdmin ? pager(q, page, list.length === size) : null,
    newClinicForm(siteAdmin, list.length),
  );
}

function searchForm(q) {
  const form = h(
    "form",
    { role: "search", class: "card stack" },
    field("Find a clinic by name", { type: "search", name: "q", value: q, ...limits("clinic_search", "q") }),
    h("button", { type: "submit", class: "btn" }, "Search"),
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
    { class: "row", "aria-label": "Pages" },
    page > 1 ? h("a", { class: "btn btn-small", href: `#/clinics${query({ q, page: page - 1 })}` }, "← Previous page") : null,
    h("span", { class: "muted small" }, `Page ${page}`),
    more ? h("a", { class: "btn btn-small", href: `#/clinics${query({ q, page: page + 1 })}` }, "Next page →") : null,
  );
}

function newClinicForm(siteAdmin, have) {
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, "Start a new clinic"),
    h(
      "p",
      { class: "small muted" },
      siteAdmin
        ? "The clinic starts empty: invite its first admin on its page."
        : `You become its first admin and invite your colleagues; patients you add can be cared for under it.${have ? " Working in one practice only? Rename the clinic you have instead." : ""}`,
    ),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field("Clinic name", { type: "text", name: "name", required: true, autocomplete: "organization", ...limits("clinic", "name") }),
    h("button", { type: "submit", class: "btn btn-primary" }, "Create clinic"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = new FormData(form).get("name").trim();
    busy(form, async () => {
      try {
        const made = await api.post("/api/clinics", { name });
        clearErrors(form);
        toast(`${made.name} is created.`, "success");
        navigate(`/clinics/${made.id}`);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
