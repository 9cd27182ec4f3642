// Inviting therapists to a clinic by link (single use, expiring): the link to copy, hep mailing
// it when the server sends email, and the invites still open, to send again or withdraw.

import { api } from "../api.js";
import { busy, clearErrors, confirmDialog, field, h, replace, showErrors, toast } from "../dom.js";
import { dateTime } from "../dates.js";
import { limits } from "../rules.js";
import { linkBox } from "./invite-box.js";

const AS = { therapist: "a therapist", admin: "a clinic admin" };

function inviteLink(clinic, invite) {
  const base = `/api/clinics/${encodeURIComponent(clinic.id)}/invites/${encodeURIComponent(invite.id)}`;
  return linkBox({
    title: `Invite link for ${invite.email}`,
    label: "Invite link",
    link: invite,
    send: () => api.post(`${base}/email`),
    draft: {
      to: invite.email,
      subject: `Join ${clinic.name} in hep`,
      body: (url, until) =>
        `Hello,\n\nI am inviting you to join ${clinic.name} in hep as ${AS[invite.role]}. Open this link to join with your hep account or a new one:\n\n${url}\n\nThe link works once and expires on ${until}.`,
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
    field("Their email", { type: "email", name: "email", required: true, autocomplete: "off", ...limits("clinic_invite", "email") }),
    field("Role", h("select", { name: "role" }, h("option", { value: "therapist" }, "Therapist"), h("option", { value: "admin" }, "Clinic admin")), {
      hint: "Clinic admins invite and remove members, and see the clinic's caseload and audit log.",
    }),
    h("button", { type: "submit", class: "btn btn-primary" }, "Invite and get link"),
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
      h("h3", {}, "Open invites"),
      open.length
        ? h("ul", { class: "list" }, open.map((invite) => openRow(base, invite, { reload: loadOpen, show })))
        : h("p", { class: "muted small" }, "No invite is waiting for an answer."),
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
    h("h2", {}, "Invite a therapist"),
    h("p", { class: "small muted" }, "They join with the account they have, or make one with this address. The link works once; sending again replaces it."),
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
    "New link",
    h("span", { class: "visually-hidden" }, ` for ${invite.email}`),
  );
  const withdraw = h(
    "button",
    {
      type: "button",
      class: "btn btn-small btn-quiet",
      onclick: async () => {
        const ok = await confirmDialog({ title: `Withdraw the invite to ${invite.email}?`, body: "The link stops working.", confirm: "Withdraw", danger: true });
        if (!ok) return;
        try {
          await api.del(url);
          toast("Invite withdrawn.", "success");
          await reload();
        } catch (error) {
          toast(error.message, "error");
        }
      },
    },
    "Withdraw",
    h("span", { class: "visually-hidden" }, ` the invite to ${invite.email}`),
  );
  return h(
    "li",
    {},
    h("div", { class: "row spread" }, h("span", {}, h("strong", {}, invite.email), h("br"), h("span", { class: "small muted" }, `As ${AS[invite.role]} · until ${dateTime(invite.expires_at)}`)), h("div", { class: "row" }, resend, withdraw)),
  );
}
