// Sign-in and sign-up screens.

import { ApiError, api } from "../api.js";
import { busy, field, formValues, h, showErrors } from "../dom.js";
import { browserZone } from "../dates.js";
import { afterSignIn } from "../app.js";
import { passwordField } from "../components/password-field.js";
import { t } from "../i18n.js";

function retryAfterText(error) {
  const seconds = error.retryAfter;
  return seconds ? t("auth.try_again_in_about_minutes", { count: Math.ceil(seconds / 60) }) : "";
}

export function signIn() {
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(t("common.email"), { type: "email", name: "email", autocomplete: "username", required: true }),
    passwordField(t("common.password"), "current-password"),
    h("button", { class: "btn btn-primary btn-block", type: "submit" }, t("auth.sign_in")),
    h("p", { class: "small" }, h("a", { href: "#/forgot-password" }, t("auth.forgot_password"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form, async () => {
      const { email, password } = formValues(form);
      try {
        await api.post("/api/auth/login", { email, password }, { quiet401: true });
        await afterSignIn();
      } catch (error) {
        if (error instanceof ApiError && error.status === 429) {
          error.message = [t("auth.too_many_attempts"), retryAfterText(error)].filter(Boolean).join(" ");
        }
        showErrors(form, error);
      }
    });
  });
  return h(
    "section",
    { class: "page auth" },
    h("h1", { class: "page-title", tabindex: "-1" }, t("auth.sign_in")),
    h("p", { class: "subtitle" }, t("auth.your_exercises_and_habits_one")),
    form,
    h(
      "p",
      { class: "muted small" },
      t("auth.got_invitation_link_from_your"), " ",
      t("auth.no_therapist"), " ",
      h("a", { href: "#/sign-up" }, t("auth.start_tracking_habits_on_your")),
      t("auth.therapists"), " ",
      h("a", { href: "#/sign-up/therapist" }, t("auth.create_therapist_account")),
      ".",
    ),
  );
}

function signUpForm(path, intro, title) {
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(t("auth.your_name"), { type: "text", name: "name", autocomplete: "name", required: true }),
    field(t("common.email"), { type: "email", name: "email", autocomplete: "email", required: true }),
    passwordField(
      t("common.password"),
      "new-password",
      t("auth.at_least_8_characters_few"),
    ),
    h("button", { class: "btn btn-primary btn-block", type: "submit" }, t("auth.create_account")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form, async () => {
      const body = { ...formValues(form), timezone: browserZone() };
      try {
        await api.post(path, body);
        await afterSignIn();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return h(
    "section",
    { class: "page auth" },
    h("h1", { class: "page-title", tabindex: "-1" }, title),
    h("p", { class: "subtitle" }, intro),
    form,
    h("p", { class: "muted small" }, t("auth.already_have_account"), " ", h("a", { href: "#/sign-in" }, t("auth.sign_in"))),
  );
}

export function signUp() {
  return signUpForm(
    "/api/auth/signup/patient",
    t("auth.track_daily_habits_that_ease"),
    t("auth.create_account_2"),
  );
}

export function signUpTherapist() {
  return signUpForm(
    "/api/auth/signup/therapist",
    t("auth.prescribe_home_programs_suggest_habits"),
    t("auth.create_therapist_account_2"),
  );
}
