// The link a clinic admin sends a therapist: see which clinic asks, then join with the
// therapist account you are signed in with, or make one with the invited address.

import { api } from "../api.js";
import { busy, field, formValues, h, showErrors } from "../dom.js";
import { browserZone, dateTime } from "../dates.js";
import { currentUser, loadUser, signOut } from "../session.js";
import { navigate } from "../router.js";
import { signInFirst } from "../app.js";
import { passwordField } from "../components/password-field.js";
import { t, words } from "../i18n.js";

const AS = words({ therapist: "join_clinic.therapist", admin: "join_clinic.clinic_admin" });

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
      t("join_clinic.this_link_no_longer_works"),
      h("p", {}, t("join_clinic.clinic_invites_work_once_and")),
      h("p", {}, h("a", { href: "#/" }, t("join_clinic.open_hep"))),
    );
  }
  const user = currentUser();
  const intro = h(
    "p",
    { class: "subtitle" },
    t("join_clinic.invited_by_invites_email_to", { invited_by: invite.invited_by, email: invite.email, clinic_name: invite.clinic_name, value: AS[invite.role], dateTime: dateTime(invite.expires_at) }),
  );
  const title = t("join_clinic.join_clinic_name", { clinic_name: invite.clinic_name });
  if (user && user.role !== "therapist") {
    return page(
      title,
      intro,
      h("p", { class: "banner warn" }, t("join_clinic.this_browser_is_signed_in", { name: user.name })),
      h("button", { type: "button", class: "btn", onclick: () => signOut() }, t("join_clinic.sign_out")),
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
    h("p", {}, t("join_clinic.you_join_as_name_email", { name: user.name, email: user.email })),
    h("button", { type: "submit", class: "btn btn-primary btn-block" }, t("join_clinic.join_clinic")),
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
    h("h2", {}, t("join_clinic.new_to_hep")),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(t("common.email"), { type: "email", name: "email", value: invite.email, readonly: true, autocomplete: "username" }),
    field(t("join_clinic.your_name"), { type: "text", name: "name", autocomplete: "name", required: true }),
    // signed out, the app has no copy of the server's rules: the server names any bound missed
    passwordField(t("join_clinic.choose_password"), "new-password", t("join_clinic.few_unrelated_words_make_strong")),
    h("button", { type: "submit", class: "btn btn-primary btn-block" }, t("join_clinic.create_account_and_join")),
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
      h("h2", {}, t("join_clinic.have_therapist_account")),
      h("p", {}, t("join_clinic.sign_in_first_with_this")),
      h("button", { type: "button", class: "btn btn-block", onclick: () => signInFirst(path) }, t("join_clinic.sign_in_to_join")),
    ),
  ];
}
