// The site admin's accounts: search by a part of the name or email, filter by role and state,
// a page at a time; disable or enable an account, change a role between therapist and admin,
// and make a sign-in link for someone locked out. No health data is shown or read here.

import { api, query } from "../api.js";
import { busy, clearErrors, confirmDialog, field, formValues, h, showErrors, toast } from "../dom.js";
import { dateTime } from "../dates.js";
import { navigate } from "../router.js";
import { limits, pageSizeMax } from "../rules.js";
import { currentUser } from "../session.js";
import { signInLink } from "../components/sign-in-link.js";

const ROLES = { patient: "Patient", therapist: "Therapist", admin: "Admin" };
const STATES = { true: "Active", false: "Disabled" };

export async function accounts({ query: search }) {
  const wanted = {
    q: (search.get("q") || "").trim(),
    role: ROLES[search.get("role")] ? search.get("role") : "",
    active: STATES[search.get("active")] ? search.get("active") : "",
  };
  const page = Math.max(1, Number(search.get("page")) || 1);
  const size = Math.min(25, pageSizeMax());
  const found = await api.get(`/api/admin/users${query({ ...wanted, page, page_size: size })}`);
  const form = h(
    "form",
    { role: "search", class: "card stack" },
    field("Name or email", { type: "search", name: "q", value: wanted.q, ...limits("account_search", "q") }),
    h(
      "div",
      { class: "two-up" },
      field("Role", h("select", { name: "role", value: wanted.role }, h("option", { value: "" }, "Any"), Object.entries(ROLES).map(([v, l]) => h("option", { value: v }, l)))),
      field("State", h("select", { name: "active", value: wanted.active }, h("option", { value: "" }, "Any"), Object.entries(STATES).map(([v, l]) => h("option", { value: v }, l)))),
    ),
    h("button", { type: "submit", class: "btn btn-primary" }, "Search"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = formValues(form);
    navigate(`/admin/accounts${query({ ...values, q: values.q.trim() })}`);
  });
  const pageLink = (n, label) => h("a", { class: "btn btn-small", href: `#/admin/accounts${query({ ...wanted, page: n })}` }, label);
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, "Accounts"),
    h("p", { class: "subtitle" }, "Everyone with an account on this server, oldest first. You manage accounts; you see no one's health data."),
    form,
    found.length
      ? h("ul", { class: "list card", "aria-label": "Accounts" }, found.map(accountRow))
      : h("p", { class: "empty" }, page > 1 ? "No more accounts." : "No account matches."),
    page > 1 || found.length === size
      ? h(
          "nav",
          { class: "row", "aria-label": "Pages" },
          page > 1 ? pageLink(page - 1, "← Previous page") : null,
          h("span", { class: "muted small" }, `Page ${page}`),
          found.length === size ? pageLink(page + 1, "Next page →") : null,
        )
      : null,
  );
}

function accountRow(user) {
  const you = user.id === currentUser().id;
  const reload = () => navigate(`${location.hash.slice(1)}`);
  return h(
    "li",
    { "data-account": user.email },
    h(
      "div",
      { class: "row spread" },
      h(
        "div",
        { class: "grow" },
        h("strong", {}, you ? `${user.name} (you)` : user.name),
        h("span", { class: "badge" }, ROLES[user.role] || user.role),
        user.is_active ? null : h("span", { class: "badge badge-alert" }, "Disabled"),
        h("div", { class: "small muted" }, `${user.email} · since ${dateTime(user.created_at)}`),
      ),
    ),
    user.role === "patient" ? null : roleForm(user, reload),
    you ? null : h("div", { class: "row" }, activeButton(user, reload)),
    you || !user.is_active
      ? null
      : signInLink({ name: user.name, path: `/api/admin/users/${encodeURIComponent(user.id)}/sign-in-link`, to: user.email, intro: null }),
  );
}

function roleForm(user, reload) {
  const form = h(
    "form",
    { class: "row", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(
      "Role",
      h("select", { name: "role", value: user.role, "aria-label": `Role of ${user.name}` }, h("option", { value: "therapist" }, "Therapist"), h("option", { value: "admin" }, "Admin")),
    ),
    h("button", { type: "submit", class: "btn btn-small" }, "Change role", h("span", { class: "visually-hidden" }, ` of ${user.name}`)),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const role = new FormData(form).get("role");
    busy(form, async () => {
      try {
        await api.patch(`/api/admin/users/${encodeURIComponent(user.id)}`, { role });
        clearErrors(form);
        toast(`${user.name} is now ${ROLES[role].toLowerCase()}.`, "success");
        reload();
      } catch (error) {
        // a refusal without a field (the last admin, a therapist with patients) is the role's
        if (!Object.keys(error.fields || {}).length) error.fields = { role: [error.message] };
        showErrors(form, error);
      }
    });
  });
  return form;
}

function activeButton(user, reload) {
  const button = h(
    "button",
    {
      type: "button",
      class: "btn btn-small",
      onclick: async () => {
        if (user.is_active) {
          const ok = await confirmDialog({
            title: `Disable ${user.name}'s account?`,
            body: `${user.name} is signed out everywhere, cannot sign in and gets no reminders until the account is enabled again. Nothing is deleted.`,
            confirm: "Disable",
            danger: true,
          });
          if (!ok) return;
        }
        button.disabled = true;
        try {
          await api.patch(`/api/admin/users/${encodeURIComponent(user.id)}`, { is_active: !user.is_active });
          toast(user.is_active ? `${user.name}'s account is disabled.` : `${user.name}'s account is enabled.`, "success");
          reload();
        } catch (error) {
          toast(error.message, "error");
          button.disabled = false;
        }
      },
    },
    user.is_active ? "Disable account" : "Enable account",
    h("span", { class: "visually-hidden" }, ` of ${user.name}`),
  );
  return button;
}
