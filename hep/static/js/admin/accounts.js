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
import { t, words } from "../i18n.js";

const ROLES = words({ patient: "accounts.patient", therapist: "accounts.therapist", admin: "accounts.admin" });
const STATES = words({ true: "accounts.active", false: "accounts.disabled" });

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
    field(t("accounts.name_or_email"), { type: "search", name: "q", value: wanted.q, ...limits("account_search", "q") }),
    h(
      "div",
      { class: "two-up" },
      field(t("accounts.role"), h("select", { name: "role", value: wanted.role }, h("option", { value: "" }, t("accounts.any")), Object.entries(ROLES).map(([v, l]) => h("option", { value: v }, l)))),
      field(t("accounts.state"), h("select", { name: "active", value: wanted.active }, h("option", { value: "" }, t("accounts.any")), Object.entries(STATES).map(([v, l]) => h("option", { value: v }, l)))),
    ),
    h("button", { type: "submit", class: "btn btn-primary" }, t("accounts.search")),
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
    h("h1", { class: "page-title", tabindex: "-1" }, t("accounts.accounts")),
    h("p", { class: "subtitle" }, t("accounts.everyone_with_account_on_this")),
    form,
    found.length
      ? h("ul", { class: "list card", "aria-label": t("accounts.accounts") }, found.map(accountRow))
      : h("p", { class: "empty" }, page > 1 ? t("accounts.no_more_accounts") : t("accounts.no_account_matches")),
    page > 1 || found.length === size
      ? h(
          "nav",
          { class: "row", "aria-label": t("accounts.pages") },
          page > 1 ? pageLink(page - 1, t("accounts.previous_page")) : null,
          h("span", { class: "muted small" }, t("accounts.page_page", { page })),
          found.length === size ? pageLink(page + 1, t("accounts.next_page")) : null,
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
        h("strong", {}, you ? t("accounts.name_you", { name: user.name }) : user.name),
        h("span", { class: "badge" }, ROLES[user.role] || user.role),
        user.is_active ? null : h("span", { class: "badge badge-alert" }, t("accounts.disabled")),
        h("div", { class: "small muted" }, t("accounts.email_since_datetime", { email: user.email, dateTime: dateTime(user.created_at) })),
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
      t("accounts.role"),
      h("select", { name: "role", value: user.role, "aria-label": t("accounts.role_of_name", { name: user.name }) }, h("option", { value: "therapist" }, t("accounts.therapist")), h("option", { value: "admin" }, t("accounts.admin"))),
    ),
    h("button", { type: "submit", class: "btn btn-small" }, t("accounts.change_role"), h("span", { class: "visually-hidden" }, " ", t("accounts.of_name", { name: user.name }))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const role = new FormData(form).get("role");
    busy(form, async () => {
      try {
        await api.patch(`/api/admin/users/${encodeURIComponent(user.id)}`, { role });
        clearErrors(form);
        toast(t(`accounts.now_${role}`, { name: user.name }), "success");
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
            title: t("accounts.disable_name_s_account", { name: user.name }),
            body: t("accounts.name_is_signed_out_everywhere", { name: user.name }),
            confirm: t("accounts.disable"),
            danger: true,
          });
          if (!ok) return;
        }
        button.disabled = true;
        try {
          await api.patch(`/api/admin/users/${encodeURIComponent(user.id)}`, { is_active: !user.is_active });
          toast(user.is_active ? t("accounts.name_s_account_is_disabled", { name: user.name }) : t("accounts.name_s_account_is_enabled", { name: user.name }), "success");
          reload();
        } catch (error) {
          toast(error.message, "error");
          button.disabled = false;
        }
      },
    },
    user.is_active ? t("accounts.disable_account") : t("accounts.enable_account"),
    h("span", { class: "visually-hidden" }, " ", t("accounts.of_name", { name: user.name })),
  );
  return button;
}
