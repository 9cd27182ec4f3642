// An invite link to hand to a patient: the link to copy, an email to send, and when it expires.

import { h, nextId, toast } from "../dom.js";
import { dateTime } from "../dates.js";

/** Shows an invite link with copy and email buttons. */
export function inviteBox(name, email, invite) {
  const inputId = nextId("invite");
  const input = h("input", { id: inputId, type: "text", readonly: true, value: invite.url, "data-role": "invite-url" });
  const subject = "Your home exercise program";
  const body = `Hello ${name},\n\nI have set up your home exercise program in hep. Open this link on your phone to choose a password:\n\n${invite.url}\n\nThe link works once and expires on ${dateTime(invite.expires_at)}.`;
  return h(
    "div",
    { class: "banner", role: "status" },
    h("p", {}, h("strong", {}, `Invite link for ${name}`), ` (works once, until ${dateTime(invite.expires_at)})`),
    h("label", { for: inputId, class: "visually-hidden" }, "Invite link"),
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
              await navigator.clipboard.writeText(invite.url);
              toast("Link copied.", "success");
            } catch {
              input.select();
              toast("Press Ctrl+C (or long-press) to copy the selected link.");
            }
          },
        },
        "Copy link",
      ),
    ),
    h(
      "p",
      { class: "small" },
      h("a", { href: `mailto:${encodeURIComponent(email)}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}` }, "Send by email"),
      " · Send it by text or in person too: the code is in the part of the link after #, which never reaches a server log.",
    ),
  );
}
