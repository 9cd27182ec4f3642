// A password field with a "Show password" toggle (a pressed/unpressed button, so screen
// readers hear its state).

import { field, h } from "../dom.js";
import { t } from "../i18n.js";

export function passwordField(label, autocomplete, hint, { name = "password" } = {}) {
  const input = h("input", { type: "password", name, autocomplete, required: true });
  const toggle = h(
    "button",
    {
      type: "button",
      class: "btn btn-quiet btn-small",
      "aria-pressed": "false",
      onclick: () => {
        const show = input.type === "password";
        input.type = show ? "text" : "password";
        toggle.setAttribute("aria-pressed", String(show));
      },
    },
    t("password_field.show_password"),
  );
  const box = field(label, input, { hint, name });
  box.append(toggle);
  return box;
}
