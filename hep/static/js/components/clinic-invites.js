// Inviting therapists to a clinic by link (single use, expiring): the link to copy, hep mailing
// it when the server sends email, and the invites still open, to send again or withdraw.

import { api } from "../api.js";
import { busy, clearErrors, confirmDialog, field, h, replace, showErrors, toast } from "../dom.js";
import { dateTime } from "../dates.js";
import { limits } from "../rules.js";
import { linkBox } from "./invite-box.js";
import { t, words } from "../i18n.js";

const AS = words({ therapist: "clinic_invites.therapist", admin: "clinic_invites.clinic_admin" });

function inviteLink(clinic, invite) {
  const base = `/api/clinics/${encodeURIComponent(clinic.id)}/invites/${encodeURIComponent(invite.id)}`;
  return linkBox({
    title: t("clinic_invites.invite_link_for_email", { email: invite.email }),
    label: t("clinic_invites.invite_link"),
    link: invite,
    send: () => api.post(`${base}/email`),
    draft: {
      to: invite.email,
      subject: t("clinic_invites.join_name_in_hep", { name: clinic.name }),
      body: (url, until) =>
        t("clinic_invites.hello_i_am_inviting_you", { name: clinic.name, value: AS[invite.role], url, until }),
    },
  });
}

/** The invites card of a clinic the reader manages. */
export function clinicInvites(clinic) {
  const base = `/api/clinics/${encodeURIComponent(clinic.id)}/invites`;
  const result = h("div");
  const openBox = h("div");
  const form = h(
    "form",
    { class: "stack", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(t("clinic_invites.their_email"), { type: "email", name: "email", required: true, autocomplete: "off", ...limits("clinic_invite", "email") }),
    field(t("clinic_invites.role"), h("select", { name: "role" }, h("option", { value: "therapist" }, t("clinic_invites.therapist_2")), h("option", { value: "admin" }, t("clinic_invites.clinic_admin_2"))), {
      hint: t("clinic_invites.clinic_admins_invite_and_remove"),
    }),
    h("button", { type: "submit", class: "btn btn-primary" }, t("clinic_invites.invite_and_get_link")),
  );
  // a link just made (or made again) shows above the list; the list follows the server
  const show = async (invite) => {
    replace(result, inviteLink(clinic, invite));
    result.querySelector("input")?.focus();
    await loadOpen();
  };
  const loadOpen = async () => {
    const open = await api.get(base);
    replace(
      openBox,
      h("h3", {}, t("clinic_invites.open_invites")),
      open.length
        ? h("ul", { class: "list" }, open.map((invite) => openRow(base, invite, { reload: loadOpen, show })))
        : h("p", { class: "muted small" }, t("clinic_invites.no_invite_is_waiting_for")),
    );
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    busy(form, async () => {
      try {
        const invite = await api.post(base, { email: data.get("email").trim(), role: data.get("role") });
        clearErrors(form);
        form.reset();
        await show(invite);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  loadOpen().catch((error) => replace(openBox, h("p", { class: "form-alert" }, error.message)));
  return h(
    "div",
    { class: "card", "data-role": "invites" },
    h("h2", {}, t("clinic_invites.invite_therapist")),
    h("p", { class: "small muted" }, t("clinic_invites.they_join_with_account_they")),
    form,
    result,
    openBox,
  );
}

function openRow(base, invite, { reload, show }) {
  const url = `${base}/${encodeURIComponent(invite.id)}`;
  const resend = h(
    "button",
    {
      type: "button",
      class: "btn btn-small",
      onclick: async () => {
        resend.disabled = true;
        try {
          await show(await api.post(`${url}/resend`));
        } catch (error) {
          toast(error.message, "error");
        } finally {
          resend.disabled = false;
        }
      },
    },
    t("clinic_invites.new_link"),
    h("span", { class: "visually-hidden" }, " ", t("clinic_invites.for_email", { email: invite.email })),
  );
  const withdraw = h(
    "button",
    {
      type: "button",
      class: "btn btn-small btn-quiet",
      onclick: async () => {
        const ok = await confirmDialog({ title: t("clinic_invites.withdraw_invite_to_email", { email: invite.email }), body: t("clinic_invites.link_stops_working"), confirm: t("clinic_invites.withdraw"), danger: true });
        if (!ok) return;
        try {
          await api.del(url);
          toast(t("clinic_invites.invite_withdrawn"), "success");
          await reload();
        } catch (error) {
          toast(error.message, "error");
        }
      },
    },
    t("clinic_invites.withdraw"),
    h("span", { class: "visually-hidden" }, " ", t("clinic_invites.invite_to_email", { email: invite.email })),
  );
  return h(
    "li",
    {},
    h("div", { class: "row spread" }, h("span", {}, h("strong", {}, invite.email), h("br"), h("span", { class: "small muted" }, t("clinic_invites.as_value_until_datetime", { value: AS[invite.role], dateTime: dateTime(invite.expires_at) }))), h("div", { class: "row" }, resend, withdraw)),
  );
}
