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

const ROLES = { admin: "Clinic admin", therapist: "Therapist" };

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
      h("h2", {}, `Members (${list.length})`),
      manage ? h("p", { class: "small muted" }, "Removing a therapist ends their access to the patients they care for under this clinic at once.") : null,
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
        h("strong", {}, you ? `${m.name} (you)` : m.name),
        h("span", { class: `badge${m.role === "admin" ? " badge-ok" : ""}` }, ROLES[m.role] || m.role),
        m.is_active ? null : h("span", { class: "badge badge-alert" }, "Disabled"),
        h("div", { class: "small muted" }, `${m.email} · joined ${dateTime(m.joined_at)}${m.other_clinics ? ` · also in ${m.other_clinics} other clinic${m.other_clinics === 1 ? "" : "s"}` : ""}`),
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
      ? h("p", { class: "small muted" }, "Works in other clinics too: a site admin manages their account.")
      : null,
  );
}

function roleForm(m, ctx) {
  const form = h(
    "form",
    { class: "row", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(
      "Role",
      h("select", { name: "role", value: m.role, "aria-label": `Role of ${m.name}` }, Object.entries(ROLES).map(([v, l]) => h("option", { value: v }, l))),
    ),
    h("button", { type: "submit", class: "btn btn-small" }, "Change role", h("span", { class: "visually-hidden" }, ` of ${m.name}`)),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const role = new FormData(form).get("role");
    busy(form, async () => {
      try {
        await api.patch(`${ctx.base}/${encodeURIComponent(m.id)}`, { role });
        clearErrors(form);
        toast(`${m.name} is now ${ROLES[role].toLowerCase()}.`, "success");
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
            title: `Disable ${m.name}'s account?`,
            body: `${m.name} is signed out everywhere and cannot sign in until the account is enabled again. Their patients and history stay.`,
            confirm: "Disable",
            danger: true,
          });
          if (!ok) return;
        }
        button.disabled = true;
        try {
          await api.patch(`${ctx.base}/${encodeURIComponent(m.id)}`, { is_active: !m.is_active });
          toast(m.is_active ? `${m.name}'s account is disabled.` : `${m.name}'s account is enabled.`, "success");
          await ctx.reload();
        } catch (error) {
          toast(error.message, "error");
          button.disabled = false;
        }
      },
    },
    m.is_active ? "Disable account" : "Enable account",
    h("span", { class: "visually-hidden" }, ` of ${m.name}`),
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
          title: `Remove ${m.name} from ${ctx.clinic.name}?`,
          body: `${m.name} stops seeing the patients they care for under ${ctx.clinic.name} at once; where they led a care team, the longest-serving therapist left leads. Each patient sees the change. Their account stays.`,
          confirm: "Remove",
          danger: true,
        });
        if (!ok) return;
        try {
          await api.del(`${ctx.base}/${encodeURIComponent(m.id)}`);
          toast(`${m.name} left ${ctx.clinic.name}.`, "success");
          await ctx.reload();
        } catch (error) {
          toast(error.message, "error");
        }
      },
    },
    "Remove from clinic",
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
          title: `Leave ${ctx.clinic.name}?`,
          body: `You stop seeing the patients you care for under ${ctx.clinic.name} at once, and its shared templates and exercises. An admin can invite you again.`,
          confirm: "Leave the clinic",
          danger: true,
        });
        if (!ok) return;
        try {
          await api.del(`${ctx.base}/${encodeURIComponent(m.id)}`);
          toast(`You left ${ctx.clinic.name}.`, "success");
          navigate("/clinics");
        } catch (error) {
          toast(error.message, "error");
        }
      },
    },
    "Leave the clinic",
  );
}
