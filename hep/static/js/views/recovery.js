// Account recovery and address confirmation from a mail's link: "Forgot password?", the page
// a reset link opens (a new password, then you're in), and the page that confirms an address.

import { ApiError, api } from "../api.js";
import { busy, field, formValues, h, showErrors } from "../dom.js";
import { loadUser } from "../session.js";
import { navigate } from "../router.js";
import { passwordField } from "../components/password-field.js";

function page(title, ...children) {
  return h("section", { class: "page auth" }, h("h1", { class: "page-title", tabindex: "-1" }, title), ...children);
}

export function forgotPassword() {
  const answer = h("p", { class: "banner", role: "status", hidden: true });
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field("Email", { type: "email", name: "email", autocomplete: "username", required: true }),
    h("button", { class: "btn btn-primary btn-block", type: "submit" }, "Send me a link"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form, async () => {
      try {
        const { email } = formValues(form);
        const data = await api.post("/api/auth/password-reset", { email }, { quiet401: true });
        answer.textContent = `${data.message} Check your inbox (and the spam folder).`;
        answer.hidden = false;
        form.hidden = true;
        answer.focus?.();
      } catch (error) {
        if (error instanceof ApiError && error.status === 429) {
          error.message = "Too many requests for this address. Try again in a few minutes.";
        }
        showErrors(form, error);
      }
    });
  });
  return page(
    "Forgot your password?",
    h("p", { class: "subtitle" }, "Type the email address you sign in with. We'll email you a link to choose a new password."),
    answer,
    form,
    h(
      "p",
      { class: "muted small" },
      "No email? Your therapist can give you a sign-in link from your page in their app. ",
      h("a", { href: "#/sign-in" }, "Back to sign in"),
    ),
  );
}

function expired() {
  return page(
    "This link no longer works",
    h("p", {}, "Links to choose a new password work once and expire. Ask for a new one, or ask your therapist for a sign-in link."),
    h("p", {}, h("a", { href: "#/forgot-password" }, "Send me a new link")),
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
    field("Email", { type: "email", name: "email", value: preview.email, readonly: true, autocomplete: "username" }),
    passwordField("New password", "new-password", "At least 8 characters. A few unrelated words make a strong, memorable password."),
    h("p", { class: "muted small" }, "Choosing a new password signs you out on every other device."),
    h("button", { class: "btn btn-primary btn-block", type: "submit" }, "Save and sign in"),
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
          error.message = "This link was used or has expired. Ask for a new one.";
        }
        showErrors(form, error);
      }
    });
  });
  return page("Choose a new password", form);
}

export async function verifyEmail({ params }) {
  try {
    await api.post(`/api/email-verifications/${encodeURIComponent(params.code)}`, undefined, { quiet401: true });
  } catch (error) {
    if (error.status !== 404) throw error;
    return page(
      "This link no longer works",
      h("p", {}, "Confirmation links work once and expire after two days. Ask for a new one in the app, under Account, Email."),
      h("p", {}, h("a", { href: "#/" }, "Open hep")),
    );
  }
  await loadUser().catch(() => null);
  return page(
    "Address confirmed",
    h("p", {}, "Thank you. hep can now email you, for reminders if you choose them."),
    h("p", {}, h("a", { class: "btn btn-primary", href: "#/email" }, "Email settings")),
  );
}
