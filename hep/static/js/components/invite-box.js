// A single-use link to hand to someone (a patient's invite, a therapist's clinic invite, a
// sign-in link): the link to copy, and hep mailing it when the server sends email (otherwise a
// draft in the reader's own mail app), with when it expires.

import { api } from "../api.js";
import { h, nextId, toast } from "../dom.js";
import { dateTime } from "../dates.js";
import { emailAvailable } from "../rules.js";
import { t } from "../i18n.js";

/**
 * title: what the link is ("Invite link for Pat Lee"); link: {url, expires_at};
 * send: async () => {url, expires_at, email} makes hep mail a new link (the shown one stops
 * working), offered only when the server sends email; draft: {to, subject, body(url, expires)}
 * for the reader's mail app otherwise.
 */
export function linkBox({ title, link, label = t("invite_box.link"), send, draft }) {
  const inputId = nextId("link");
  const input = h("input", { id: inputId, type: "text", readonly: true, value: link.url, "data-role": "invite-url" });
  const expiry = h("span", {}, t("invite_box.works_once_until_datetime", { dateTime: dateTime(link.expires_at) }));
  const status = h("p", { class: "small" });
  const show = (fresh) => {
    input.value = fresh.url;
    expiry.textContent = t("invite_box.works_once_until_datetime", { dateTime: dateTime(fresh.expires_at) });
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
                status.textContent = t("invite_box.sent_to_email_link_above", { email: sent.email });
              } catch (error) {
                status.textContent = error.message;
              } finally {
                mailButton.disabled = false;
              }
            },
          },
          t("invite_box.email_it_from_hep"),
        )
      : null;
  const mailto =
    !mailButton && draft
      ? h(
          "a",
          {
            href: `mailto:${encodeURIComponent(draft.to)}?subject=${encodeURIComponent(draft.subject)}&body=${encodeURIComponent(draft.body(link.url, dateTime(link.expires_at)))}`,
          },
          t("invite_box.write_email_with_it"),
        )
      : null;
  return h(
    "div",
    { class: "banner link-box", role: "status" },
    h("p", {}, h("strong", {}, title), " ", expiry),
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
              toast(t("invite_box.link_copied"), "success");
            } catch {
              input.select();
              toast(t("invite_box.press_ctrl_c_or_long"));
            }
          },
        },
        t("invite_box.copy_link"),
      ),
      mailButton,
    ),
    h(
      "p",
      { class: "small" },
      mailto,
      mailto ? " · " : null,
      t("invite_box.send_it_by_text_or"),
    ),
    status,
  );
}

/** A patient's invite (or link request: it reads the same) with copy and email. */
export function inviteBox(name, email, invite, patientId) {
  return linkBox({
    title: t("invite_box.invite_link_for_name", { name }),
    label: t("invite_box.invite_link"),
    link: invite,
    send: patientId ? () => api.post(`/api/patients/${encodeURIComponent(patientId)}/invite/email`) : null,
    draft: {
      to: email,
      subject: t("invite_box.your_home_exercise_program"),
      body: (url, until) =>
        t("invite_box.hello_name_i_have_set", { name, url, until }),
    },
  });
}
