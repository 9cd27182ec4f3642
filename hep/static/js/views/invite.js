// The invitation link a therapist sends: see who invited you, set a password, and you're in.
// The same link reaches someone who has an account already (a request to join their care
// team): they sign in and answer it under their care team.

import { api } from "../api.js";
import { busy, field, formValues, h, showErrors } from "../dom.js";
import { browserZone } from "../dates.js";
import { currentUser, loadUser } from "../session.js";
import { navigate } from "../router.js";
import { signInFirst } from "../app.js";
import { passwordField } from "../components/password-field.js";
import { t } from "../i18n.js";

export async function invite({ params }) {
  const code = params.code;
  let preview;
  try {
    preview = await api.get(`/api/invites/${encodeURIComponent(code)}`, { quiet401: true });
  } catch (error) {
    if (error.status !== 404 && error.status !== 410) throw error;
    return h(
      "section",
      { class: "page auth" },
      h("h1", { class: "page-title", tabindex: "-1" }, t("invite.this_link_no_longer_works")),
      h(
        "p",
        {},
        t("invite.invitation_links_work_once_and"),
      ),
      h("p", {}, h("a", { href: "#/sign-in" }, t("invite.already_set_password_sign_in"))),
    );
  }
  const zone = browserZone();
  const someoneElse = currentUser();
  if (someoneElse && someoneElse.email === preview.email && someoneElse.role === "patient") {
    return h(
      "section",
      { class: "page auth" },
      h("h1", { class: "page-title", tabindex: "-1" }, t("invite.you_have_account_already")),
      h("p", {}, t("invite.therapist_name_asks_to_join", { therapist_name: preview.therapist_name })),
      h("p", {}, h("a", { class: "btn btn-primary", href: "#/care-team" }, t("invite.your_care_team"))),
    );
  }
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(t("common.email"), {
      type: "email",
      name: "email",
      value: preview.email,
      readonly: true,
      autocomplete: "username",
    }),
    passwordField(
      t("invite.choose_password"),
      "new-password",
      t("invite.at_least_8_characters_few"),
    ),
    h("p", { class: "muted small" }, t("invite.your_time_zone_zone_reminders", { zone })),
    h("button", { class: "btn btn-primary btn-block", type: "submit" }, t("invite.accept_and_continue")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form, async () => {
      try {
        const { password } = formValues(form);
        await api.post(`/api/invites/${encodeURIComponent(code)}/accept`, { password, timezone: zone });
        await loadUser();
        // drop the code from the address bar and history: it is spent
        navigate("/notifications?welcome=1", { replace: true });
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return h(
    "section",
    { class: "page auth" },
    h("h1", { class: "page-title", tabindex: "-1" }, t("invite.welcome_patient_name", { patient_name: preview.patient_name })),
    h(
      "p",
      { class: "subtitle" },
      t("invite.therapist_name_has_set_up", { therapist_name: preview.therapist_name }),
    ),
    someoneElse
      ? h(
          "p",
          { class: "banner warn" },
          t("invite.this_browser_is_signed_in", { name: someoneElse.name, patient_name: preview.patient_name }),
        )
      : null,
    form,
    h(
      "div",
      { class: "card" },
      h("h2", {}, t("invite.have_hep_account_with_this")),
      h("p", {}, t("invite.then_sign_in_instead_therapist", { therapist_name: preview.therapist_name })),
      h("button", { type: "button", class: "btn btn-block", onclick: () => signInFirst("/care-team") }, t("invite.sign_in")),
    ),
  );
}
