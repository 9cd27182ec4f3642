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
      h("h1", { class: "page-title", tabindex: "-1" }, "This link no longer works"),
      h(
        "p",
        {},
        "Invitation links work once and expire after a few days. Ask your therapist to send you a new one — it takes them one click.",
      ),
      h("p", {}, h("a", { href: "#/sign-in" }, "Already set a password? Sign in")),
    );
  }
  const zone = browserZone();
  const someoneElse = currentUser();
  if (someoneElse && someoneElse.email === preview.email && someoneElse.role === "patient") {
    return h(
      "section",
      { class: "page auth" },
      h("h1", { class: "page-title", tabindex: "-1" }, "You have an account already"),
      h("p", {}, `${preview.therapist_name} asks to join your care team. Answer the request under Your care team.`),
      h("p", {}, h("a", { class: "btn btn-primary", href: "#/care-team" }, "Your care team")),
    );
  }
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field("Email", {
      type: "email",
      name: "email",
      value: preview.email,
      readonly: true,
      autocomplete: "username",
    }),
    passwordField(
      "Choose a password",
      "new-password",
      "At least 8 characters. A few unrelated words make a strong, memorable password.",
    ),
    h("p", { class: "muted small" }, `Your time zone: ${zone} (reminders follow it; change it later under More).`),
    h("button", { class: "btn btn-primary btn-block", type: "submit" }, "Accept and continue"),
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
    h("h1", { class: "page-title", tabindex: "-1" }, `Welcome, ${preview.patient_name}`),
    h(
      "p",
      { class: "subtitle" },
      `${preview.therapist_name} has set up hep for your home exercises. Choose a password to see your program.`,
    ),
    someoneElse
      ? h(
          "p",
          { class: "banner warn" },
          `This browser is signed in as ${someoneElse.name}. Accepting signs you in as ${preview.patient_name} instead.`,
        )
      : null,
    form,
    h(
      "div",
      { class: "card" },
      h("h2", {}, "Have a hep account with this address already?"),
      h("p", {}, `Then sign in instead: ${preview.therapist_name}'s request to join your care team waits for you there, to accept or decline.`),
      h("button", { type: "button", class: "btn btn-block", onclick: () => signInFirst("/care-team") }, "Sign in"),
    ),
  );
}
