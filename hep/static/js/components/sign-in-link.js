// A fresh sign-in link for someone locked out (a lost password, a new phone): made on request,
// single use, the newest only; copied, or mailed by hep when the server sends email.

import { api } from "../api.js";
import { h, replace, toast } from "../dom.js";
import { linkBox } from "./invite-box.js";

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
              title: `Sign-in link for ${name}`,
              label: "Sign-in link",
              link,
              send: mailPath ? () => api.post(mailPath) : null,
              draft: to
                ? {
                    to,
                    subject: "Your link to sign in to hep",
                    body: (url, until) => `Hello ${name},\n\nHere is a link to choose a new password and sign in to hep:\n\n${url}\n\nIt works once, until ${until}.`,
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
    "Make a sign-in link",
    h("span", { class: "visually-hidden" }, ` for ${name}`),
  );
  return h(
    "div",
    { class: "stack", "data-role": "sign-in-link" },
    intro === null
      ? null
      : h("p", { class: "small muted" }, intro || `Lost password or a new phone? A sign-in link lets ${name} choose a new password. It works once; a new one replaces the last.`),
    h("div", { class: "row" }, button),
    box,
  );
}
