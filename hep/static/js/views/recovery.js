// Account recovery and address confirmation from a mail's link: "Forgot password?", the page
// a reset link opens (a new password, then you're in), and the page that confirms an address.

import { ApiError, api } from "../api.js";
import { busy, field, formValues, h, showErrors } from "../dom.js";
import { loadUser } from "../session.js";
import { navigate } from "../router.js";
import { passwordField } from "../components/password-field.js";
import { t } from "../i18n.js";

function page(title, ...children) {
  return h("section", { class: "page auth" }, h("h1", { class: "page-title", tabindex: "-1" }, title), ...children);
}

export function forgotPassword() {
  const answer = h("p", { class: "banner", role: "status", hidden: true });
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(t("common.email"), { type: "email", name: "email", autocomplete: "username", required: true }),
    h("button", { class: "btn btn-primary btn-block", type: "submit" }, t("recovery.send_me_link")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form, async () => {
      try {
        const { email } = formValues(form);
        const data = await api.post("/api/auth/password-reset", { email }, { quiet401: true });
        answer.textContent = t("recovery.message_check_your_inbox_and", { message: data.message });
        answer.hidden = false;
        form.hidden = true;
        answer.focus?.();
      } catch (error) {
        if (error instanceof ApiError && error.status === 429) {
          error.message = t("recovery.too_many_requests_for_this");
        }
        showErrors(form, error);
      }
    });
  });
  return page(
    t("recovery.forgot_your_password"),
    h("p", { class: "subtitle" }, t("recovery.type_email_address_you_sign")),
    answer,
    form,
    h(
      "p",
      { class: "muted small" },
      t("recovery.no_email_your_therapist_can"), " ",
      h("a", { href: "#/sign-in" }, t("recovery.back_to_sign_in")),
    ),
  );
}

function expired() {
  return page(
    t("recovery.this_link_no_longer_works"),
    h("p", {}, t("recovery.links_to_choose_new_password")),
    h("p", {}, h("a", { href: "#/forgot-password" }, t("recovery.send_me_new_link"))),
  );
}

export async function resetPassword({ params }) {
  const code = encodeURIComponent(params.code);
  let preview;
  try {
    preview = await api.get(`/api/sign-in-links/${code}`, { quiet401: true });
  } catch (error) {
    if (error.status === 404 || error.status === 410) return expired();
    throw error;
  }
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(t("common.email"), { type: "email", name: "email", value: preview.email, readonly: true, autocomplete: "username" }),
    passwordField(t("recovery.new_password"), "new-password", t("recovery.at_least_8_characters_few")),
    h("p", { class: "muted small" }, t("recovery.choosing_new_password_signs_you")),
    h("button", { class: "btn btn-primary btn-block", type: "submit" }, t("recovery.save_and_sign_in")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form, async () => {
      try {
        const { password } = formValues(form);
        await api.post(`/api/sign-in-links/${code}/accept`, { password }, { quiet401: true });
        await loadUser();
        // the code is spent: out of the address bar and the history
        navigate("/", { replace: true });
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          error.message = t("recovery.this_link_was_used_or");
        }
        showErrors(form, error);
      }
    });
  });
  return page(t("recovery.choose_new_password"), form);
}

export async function verifyEmail({ params }) {
  try {
    await api.post(`/api/email-verifications/${encodeURIComponent(params.code)}`, undefined, { quiet401: true });
  } catch (error) {
    if (error.status !== 404) throw error;
    return page(
      t("recovery.this_link_no_longer_works"),
      h("p", {}, t("recovery.confirmation_links_work_once_and")),
      h("p", {}, h("a", { href: "#/" }, t("recovery.open_hep"))),
    );
  }
  await loadUser().catch(() => null);
  return page(
    t("recovery.address_confirmed"),
    h("p", {}, t("recovery.thank_you_hep_can_now")),
    h("p", {}, h("a", { class: "btn btn-primary", href: "#/email" }, t("recovery.email_settings"))),
  );
}
