// A fresh sign-in link for someone locked out (a lost password, a new phone): made on request,
// single use, the newest only; copied, or mailed by hep when the server sends email.

import { api } from "../api.js";
import { h, replace, toast } from "../dom.js";
import { linkBox } from "./invite-box.js";
import { t } from "../i18n.js";

/**
 * name: whose link; path: where to POST for it; mailPath: where hep mails one (null: copy only);
 * to: their address, for a draft in the reader's own mail app; intro: the sentence above the
 * button (null: none).
 */
export function signInLink({ name, path, mailPath = null, to = null, intro }) {
  const box = h("div");
  const button = h(
    "button",
    {
      type: "button",
      class: "btn btn-small",
      onclick: async () => {
        button.disabled = true;
        try {
          const link = await api.post(path);
          replace(
            box,
            linkBox({
              title: t("sign_in_link.sign_in_link_for_name", { name }),
              label: t("sign_in_link.sign_in_link"),
              link,
              send: mailPath ? () => api.post(mailPath) : null,
              draft: to
                ? {
                    to,
                    subject: t("sign_in_link.your_link_to_sign_in"),
                    body: (url, until) => t("sign_in_link.hello_name_here_is_link", { name, url, until }),
                  }
                : null,
            }),
          );
          box.querySelector("input")?.focus();
        } catch (error) {
          toast(error.message, "error");
        } finally {
          button.disabled = false;
        }
      },
    },
    t("sign_in_link.make_sign_in_link"),
    h("span", { class: "visually-hidden" }, " ", t("sign_in_link.for_name", { name })),
  );
  return h(
    "div",
    { class: "stack", "data-role": "sign-in-link" },
    intro === null
      ? null
      : h("p", { class: "small muted" }, intro || t("sign_in_link.lost_password_or_new_phone", { name })),
    h("div", { class: "row" }, button),
    box,
  );
}
