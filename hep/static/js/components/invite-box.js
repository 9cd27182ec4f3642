// A single-use link to hand to someone (a patient's invite, a therapist's clinic invite, a
// sign-in link): the link to copy, and hep mailing it when the server sends email (otherwise a
// draft in the reader's own mail app), with when it expires.

import { api } from "../api.js";
import { h, nextId, toast } from "../dom.js";
import { dateTime } from "../dates.js";
import { emailAvailable } from "../rules.js";

/**
 * title: what the link is ("Invite link for Pat Lee"); link: {url, expires_at};
 * send: async () => {url, expires_at, email} makes hep mail a new link (the shown one stops
 * working), offered only when the server sends email; draft: {to, subject, body(url, expires)}
 * for the reader's mail app otherwise.
 */
export function linkBox({ title, link, label = "Link", send, draft }) {
  const inputId = nextId("link");
  const input = h("input", { id: inputId, type: "text", readonly: true, value: link.url, "data-role": "invite-url" });
  const expiry = h("span", {}, ` (works once, until ${dateTime(link.expires_at)})`);
  const status = h("p", { class: "small" });
  const show = (fresh) => {
    input.value = fresh.url;
    expiry.textContent = ` (works once, until ${dateTime(fresh.expires_at)})`;
  };
  const mailButton =
    send && emailAvailable()
      ? h(
          "button",
          {
            type: "button",
            class: "btn",
            onclick: async () => {
              mailButton.disabled = true;
              try {
                const sent = await send();
                show(sent);
                status.textContent = `Sent to ${sent.email}. The link above is the one in the email; the earlier one no longer works.`;
              } catch (error) {
                status.textContent = error.message;
              } finally {
                mailButton.disabled = false;
              }
            },
          },
          "Email it from hep",
        )
      : null;
  const mailto =
    !mailButton && draft
      ? h(
          "a",
          {
            href: `mailto:${encodeURIComponent(draft.to)}?subject=${encodeURIComponent(draft.subject)}&body=${encodeURIComponent(draft.body(link.url, dateTime(link.expires_at)))}`,
          },
          "Write an email with it",
        )
      : null;
  return h(
    "div",
    { class: "banner link-box", role: "status" },
    h("p", {}, h("strong", {}, title), expiry),
    h("label", { for: inputId, class: "visually-hidden" }, label),
    h(
      "div",
      { class: "copy-box" },
      input,
      h(
        "button",
        {
          type: "button",
          class: "btn btn-primary",
          onclick: async () => {
            try {
              await navigator.clipboard.writeText(input.value);
              toast("Link copied.", "success");
            } catch {
              input.select();
              toast("Press Ctrl+C (or long-press) to copy the selected link.");
            }
          },
        },
        "Copy link",
      ),
      mailButton,
    ),
    h(
      "p",
      { class: "small" },
      mailto,
      mailto ? " · " : null,
      "Send it by text or in person too: the code is in the part of the link after #, which never reaches a server log.",
    ),
    status,
  );
}

/** A patient's invite (or link request: it reads the same) with copy and email. */
export function inviteBox(name, email, invite, patientId) {
  return linkBox({
    title: `Invite link for ${name}`,
    label: "Invite link",
    link: invite,
    send: patientId ? () => api.post(`/api/patients/${encodeURIComponent(patientId)}/invite/email`) : null,
    draft: {
      to: email,
      subject: "Your home exercise program",
      body: (url, until) =>
        `Hello ${name},\n\nI have set up your home exercise program in hep. Open this link on your phone to get started:\n\n${url}\n\nThe link works once and expires on ${until}.`,
    },
  });
}
