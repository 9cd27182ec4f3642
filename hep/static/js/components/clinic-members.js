// A clinic's members, for its admins and site admins to manage: role changes (a clinic keeps
// an admin: the server says so beside the role), disabling or enabling an account, a sign-in
// link for a locked-out member, removal; and leaving the clinic for any member.

import { api } from "../api.js";
import { busy, clearErrors, confirmDialog, field, h, replace, showErrors, toast } from "../dom.js";
import { dateTime } from "../dates.js";
import { navigate } from "../router.js";
import { pageSizeMax } from "../rules.js";
import { currentUser } from "../session.js";
import { signInLink } from "./sign-in-link.js";
import { t, words } from "../i18n.js";

const ROLES = words({ admin: "clinic_members.clinic_admin", therapist: "clinic_members.therapist" });

/** The members card of `clinic` ({id, name, my_role}); `manage`: the reader may change them. */
export function clinicMembers(clinic, { manage }) {
  const box = h("div", { class: "card", "data-role": "members" });
  const base = `/api/clinics/${encodeURIComponent(clinic.id)}/members`;
  const ctx = { clinic, base, manage, me: currentUser(), reload: () => load() };
  async function load() {
    const size = pageSizeMax();
    const list = [];
    for (let page = 1; ; page += 1) {
      const chunk = await api.get(`${base}?page=${page}&page_size=${size}`);
      list.push(...chunk);
      if (chunk.length < size) break;
    }
    replace(
      box,
      h("h2", {}, t("clinic_members.members_count", { count: list.length })),
      manage ? h("p", { class: "small muted" }, t("clinic_members.removing_therapist_ends_their_access")) : null,
      h("ul", { class: "list" }, list.map((m) => memberRow(m, ctx))),
    );
  }
  load().catch((error) => replace(box, h("p", { class: "form-alert" }, error.message)));
  return box;
}

function memberRow(m, ctx) {
  const you = m.id === ctx.me.id;
  const siteAdmin = ctx.me.role === "admin";
  // a clinic admin touches the account only of someone who works nowhere else
  const ownAccount = siteAdmin || m.other_clinics === 0;
  return h(
    "li",
    { "data-member": m.email },
    h(
      "div",
      { class: "row spread" },
      h(
        "div",
        { class: "grow" },
        h("strong", {}, you ? t("clinic_members.name_you", { name: m.name }) : m.name),
        h("span", { class: `badge${m.role === "admin" ? " badge-ok" : ""}` }, ROLES[m.role] || m.role),
        m.is_active ? null : h("span", { class: "badge badge-alert" }, t("clinic_members.disabled")),
        h(
          "div",
          { class: "small muted" },
          t("clinic_members.email_joined", { email: m.email, joined: dateTime(m.joined_at) }),
          m.other_clinics ? ` · ${t("clinic_members.in_other_clinics", { count: m.other_clinics })}` : "",
        ),
      ),
    ),
    ctx.manage ? roleForm(m, ctx) : null,
    h(
      "div",
      { class: "row" },
      ctx.manage && !you && ownAccount ? activeButton(m, ctx) : null,
      ctx.manage && !you ? removeButton(m, ctx) : null,
      you ? leaveButton(m, ctx) : null,
    ),
    ctx.manage && !you && ownAccount && m.is_active
      ? signInLink({ name: m.name, path: `${ctx.base}/${encodeURIComponent(m.id)}/sign-in-link`, to: m.email })
      : null,
    ctx.manage && !you && !ownAccount
      ? h("p", { class: "small muted" }, t("clinic_members.works_in_other_clinics_too"))
      : null,
  );
}

function roleForm(m, ctx) {
  const form = h(
    "form",
    { class: "row", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(
      t("clinic_members.role"),
      h("select", { name: "role", value: m.role, "aria-label": t("clinic_members.role_of_name", { name: m.name }) }, Object.entries(ROLES).map(([v, l]) => h("option", { value: v }, l))),
    ),
    h("button", { type: "submit", class: "btn btn-small" }, t("clinic_members.change_role"), h("span", { class: "visually-hidden" }, " ", t("clinic_members.of_name", { name: m.name }))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const role = new FormData(form).get("role");
    busy(form, async () => {
      try {
        await api.patch(`${ctx.base}/${encodeURIComponent(m.id)}`, { role });
        clearErrors(form);
        toast(t(`clinic_members.now_${role}`, { name: m.name }), "success");
        await ctx.reload();
      } catch (error) {
        // a refusal without a field (the last admin) belongs beside the role all the same
        if (!Object.keys(error.fields || {}).length) error.fields = { role: [error.message] };
        showErrors(form, error);
      }
    });
  });
  return form;
}

function activeButton(m, ctx) {
  const button = h(
    "button",
    {
      type: "button",
      class: "btn btn-small",
      onclick: async () => {
        if (m.is_active) {
          const ok = await confirmDialog({
            title: t("clinic_members.disable_name_s_account", { name: m.name }),
            body: t("clinic_members.name_is_signed_out_everywhere", { name: m.name }),
            confirm: t("clinic_members.disable"),
            danger: true,
          });
          if (!ok) return;
        }
        button.disabled = true;
        try {
          await api.patch(`${ctx.base}/${encodeURIComponent(m.id)}`, { is_active: !m.is_active });
          toast(m.is_active ? t("clinic_members.name_s_account_is_disabled", { name: m.name }) : t("clinic_members.name_s_account_is_enabled", { name: m.name }), "success");
          await ctx.reload();
        } catch (error) {
          toast(error.message, "error");
          button.disabled = false;
        }
      },
    },
    m.is_active ? t("clinic_members.disable_account") : t("clinic_members.enable_account"),
    h("span", { class: "visually-hidden" }, " ", t("clinic_members.of_name", { name: m.name })),
  );
  return button;
}

function removeButton(m, ctx) {
  return h(
    "button",
    {
      type: "button",
      class: "btn btn-small btn-quiet",
      onclick: async () => {
        const ok = await confirmDialog({
          title: t("clinic_members.remove_name_from_name2", { name: m.name, name2: ctx.clinic.name }),
          body: t("clinic_members.name_stops_seeing_patients_they", { name: m.name, name2: ctx.clinic.name }),
          confirm: t("common.remove"),
          danger: true,
        });
        if (!ok) return;
        try {
          await api.del(`${ctx.base}/${encodeURIComponent(m.id)}`);
          toast(t("clinic_members.name_left_name2", { name: m.name, name2: ctx.clinic.name }), "success");
          await ctx.reload();
        } catch (error) {
          toast(error.message, "error");
        }
      },
    },
    t("clinic_members.remove_from_clinic"),
    h("span", { class: "visually-hidden" }, `: ${m.name}`),
  );
}

function leaveButton(m, ctx) {
  return h(
    "button",
    {
      type: "button",
      class: "btn btn-small btn-quiet",
      onclick: async () => {
        const ok = await confirmDialog({
          title: t("clinic_members.leave_name", { name: ctx.clinic.name }),
          body: t("clinic_members.you_stop_seeing_patients_you", { name: ctx.clinic.name }),
          confirm: t("clinic_members.leave_clinic"),
          danger: true,
        });
        if (!ok) return;
        try {
          await api.del(`${ctx.base}/${encodeURIComponent(m.id)}`);
          toast(t("clinic_members.you_left_name", { name: ctx.clinic.name }), "success");
          navigate("/clinics");
        } catch (error) {
          toast(error.message, "error");
        }
      },
    },
    t("clinic_members.leave_clinic"),
  );
}
