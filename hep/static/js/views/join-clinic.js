// The link a clinic admin sends a therapist: see which clinic asks, then join with the
// therapist account you are signed in with, or make one with the invited address.

import { api } from "../api.js";
import { busy, field, formValues, h, showErrors } from "../dom.js";
import { browserZone, dateTime } from "../dates.js";
import { currentUser, loadUser, signOut } from "../session.js";
import { navigate } from "../router.js";
import { signInFirst } from "../app.js";
import { passwordField } from "../components/password-field.js";

const AS = { therapist: "a therapist", admin: "a clinic admin" };

function page(title, ...children) {
  return h("section", { class: "page auth" }, h("h1", { class: "page-title", tabindex: "-1" }, title), ...children);
}

export async function joinClinic({ params, path }) {
  const code = encodeURIComponent(params.code);
  let invite;
  try {
    invite = await api.get(`/api/clinic-invites/${code}`, { quiet401: true });
  } catch (error) {
    if (error.status !== 404 && error.status !== 410) throw error;
    return page(
      "This link no longer works",
      h("p", {}, "Clinic invites work once and expire after a few days. Ask the clinic's admin for a new one: it takes them one click."),
      h("p", {}, h("a", { href: "#/" }, "Open hep")),
    );
  }
  const user = currentUser();
  const intro = h(
    "p",
    { class: "subtitle" },
    `${invite.invited_by} invites ${invite.email} to join ${invite.clinic_name} as ${AS[invite.role]}. The link works until ${dateTime(invite.expires_at)}.`,
  );
  const title = `Join ${invite.clinic_name}`;
  if (user && user.role !== "therapist") {
    return page(
      title,
      intro,
      h("p", { class: "banner warn" }, `This browser is signed in as ${user.name}, whose account is not a therapist's. Sign out, then open the link again to join with a therapist account.`),
      h("button", { type: "button", class: "btn", onclick: () => signOut() }, "Sign out"),
    );
  }
  return page(title, intro, user ? joinAs(user, code) : newAccount(invite, code, path));
}

async function joined(form, code, body) {
  await busy(form, async () => {
    try {
      await api.post(`/api/clinic-invites/${code}/accept`, body, { quiet401: true });
      await loadUser();
      // the code is spent: out of the address bar and the history
      navigate("/clinics", { replace: true });
    } catch (error) {
      showErrors(form, error);
    }
  });
}

function joinAs(user, code) {
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    h("p", {}, `You join as ${user.name} (${user.email}), with your patients, templates and exercises as they are.`),
    h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Join the clinic"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    joined(form, code, {});
  });
  return form;
}

function newAccount(invite, code, path) {
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, "New to hep?"),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field("Email", { type: "email", name: "email", value: invite.email, readonly: true, autocomplete: "username" }),
    field("Your name", { type: "text", name: "name", autocomplete: "name", required: true }),
    // signed out, the app has no copy of the server's rules: the server names any bound missed
    passwordField("Choose a password", "new-password", "A few unrelated words make a strong, memorable password."),
    h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Create account and join"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const { name, password } = formValues(form);
    joined(form, code, { name: name.trim(), password, timezone: browserZone() });
  });
  return [
    form,
    h(
      "div",
      { class: "card" },
      h("h2", {}, "Have a therapist account?"),
      h("p", {}, "Sign in first, with this or another address; you come back here to join."),
      h("button", { type: "button", class: "btn btn-block", onclick: () => signInFirst(path) }, "Sign in to join"),
    ),
  ];
}
