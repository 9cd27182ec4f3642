// Sign-in and sign-up screens.

import { ApiError, api } from "../api.js";
import { busy, field, formValues, h, showErrors } from "../dom.js";
import { browserZone } from "../dates.js";
import { afterSignIn } from "../app.js";
import { passwordField } from "../components/password-field.js";

function retryAfterText(error) {
  const seconds = error.retryAfter;
  return seconds ? ` Try again in about ${Math.ceil(seconds / 60)} minutes.` : "";
}

export function signIn() {
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field("Email", { type: "email", name: "email", autocomplete: "username", required: true }),
    passwordField("Password", "current-password"),
    h("button", { class: "btn btn-primary btn-block", type: "submit" }, "Sign in"),
    h("p", { class: "small" }, h("a", { href: "#/forgot-password" }, "Forgot password?")),
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
          error.message = `Too many attempts.${retryAfterText(error)}`;
        }
        showErrors(form, error);
      }
    });
  });
  return h(
    "section",
    { class: "page auth" },
    h("h1", { class: "page-title", tabindex: "-1" }, "Sign in"),
    h("p", { class: "subtitle" }, "Your exercises and habits, one tap at a time."),
    form,
    h(
      "p",
      { class: "muted small" },
      "Got an invitation link from your therapist? Open it on this phone to set your password. ",
      "No therapist? ",
      h("a", { href: "#/sign-up" }, "Start tracking habits on your own"),
      ". Therapists: ",
      h("a", { href: "#/sign-up/therapist" }, "create a therapist account"),
      ".",
    ),
  );
}

function signUpForm(path, intro, title) {
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field("Your name", { type: "text", name: "name", autocomplete: "name", required: true }),
    field("Email", { type: "email", name: "email", autocomplete: "email", required: true }),
    passwordField(
      "Password",
      "new-password",
      "At least 8 characters. A few unrelated words make a strong, memorable password.",
    ),
    h("button", { class: "btn btn-primary btn-block", type: "submit" }, "Create account"),
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
    h("p", { class: "muted small" }, "Already have an account? ", h("a", { href: "#/sign-in" }, "Sign in")),
  );
}

export function signUp() {
  return signUpForm(
    "/api/auth/signup/patient",
    "Track daily habits that ease muscle tension, on your own. Working with a therapist? Open the invitation link they sent you instead. A therapist can also add your address later: you accept their request in the app.",
    "Create an account",
  );
}

export function signUpTherapist() {
  return signUpForm(
    "/api/auth/signup/therapist",
    "Prescribe home programs, suggest habits and see who needs attention.",
    "Create a therapist account",
  );
}
