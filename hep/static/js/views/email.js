// Email: your address (confirmed or not), email reminders for a phone that cannot get pushes
// (patients), and attention alerts (therapists). Offered only when the server sends email.

import { ApiError, api } from "../api.js";
import { busy, h, toast } from "../dom.js";
import { currentUser, loadUser } from "../session.js";
import { needsHomeScreen, pushSupported } from "../push.js";
import { emailAvailable } from "../rules.js";

const MODES = [
  ["off", "No email reminders"],
  ["fallback", "Email me when my phone cannot get them", "Only while no phone of yours receives notifications from hep."],
  ["always", "Email me every reminder", "Besides the notifications on your phone."],
];

function addressCard(user) {
  const status = user.email_bounced
    ? "Your mail server said this mailbox does not exist. Check the address, then confirm it again."
    : user.email_verified
      ? "Confirmed: hep can email you."
      : "Not confirmed yet: hep sends reminders and digests only to a confirmed address.";
  const button = h("button", { type: "button", class: "btn" }, "Email me a confirmation link");
  const card = h(
    "div",
    { class: "card" },
    h("h2", {}, "Your address"),
    h("p", {}, user.email),
    h("p", { class: "small muted", role: "status" }, status),
    user.email_verified ? null : button,
  );
  button.addEventListener("click", () =>
    busy(card, async () => {
      try {
        const data = await api.post("/api/me/email-verification");
        toast(data.message, "success");
      } catch (error) {
        toast(error.message, "error");
      }
    }),
  );
  return card;
}

function phoneProblem(settings) {
  if (needsHomeScreen()) return "On iPhone, notifications only work from the app on your Home Screen.";
  if (!pushSupported()) return "This browser cannot show notifications from hep.";
  if (settings.push_subscriptions === 0) return "No phone of yours gets notifications from hep right now.";
  return null;
}

function remindersCard(user, settings) {
  const problem = phoneProblem(settings);
  const name = "email-reminders";
  const options = MODES.map(([value, label, hint]) =>
    h(
      "label",
      { class: "check" },
      h("input", { type: "radio", name, value, checked: settings.email_reminders === value, disabled: !user.email_verified }),
      h("span", {}, h("strong", {}, label), hint ? h("br") : null, hint ? h("span", { class: "small muted" }, hint) : null),
    ),
  );
  const card = h(
    "fieldset",
    { class: "card" },
    h("legend", {}, h("h2", {}, "Email reminders")),
    problem ? h("p", { class: "banner warn" }, `${problem} Email can reach you instead.`) : null,
    user.email_verified ? null : h("p", { class: "small muted" }, "Confirm your address first."),
    ...options,
    h("p", { class: "small muted" }, "Emails follow the same rules as notifications: nothing once it's done, not in quiet hours, and never more than your daily limit. Each has a link to mark it done."),
  );
  card.addEventListener("change", (event) =>
    busy(card, async () => {
      try {
        await api.patch("/api/me/notification-settings", { email_reminders: event.target.value });
        toast("Saved.", "success");
      } catch (error) {
        toast(error.message, "error");
      }
    }),
  );
  return card;
}

function alertsCard(user, settings) {
  const push = h("input", { type: "checkbox", name: "alert_push", checked: settings.alert_push });
  const email = h("input", { type: "checkbox", name: "alert_email", checked: settings.alert_email, disabled: !user.email_verified });
  const time = h("input", { type: "time", name: "alert_time", value: settings.alert_time, id: "alert-time" });
  const card = h(
    "fieldset",
    { class: "card" },
    h("legend", {}, h("h2", {}, "When a patient needs you")),
    h("p", { class: "small muted" }, "Once per patient and reason (high pain, a flare-up, a step back, not logging and more) while it stays open (acknowledging it closes it), outside your quiet hours. Alerts never say who or why: you see that in hep."),
    h("label", { class: "check" }, push, "A notification on my devices"),
    h("label", { class: "check" }, email, "One email a day"),
    h("label", { for: "alert-time" }, "Email at"),
    time,
  );
  card.addEventListener("change", () =>
    busy(card, async () => {
      try {
        await api.patch("/api/me/notification-settings", {
          alert_push: push.checked,
          alert_email: email.checked,
          alert_time: time.value || "08:00",
        });
        toast("Saved.", "success");
      } catch (error) {
        toast(error instanceof ApiError ? error.message : "Could not save.", "error");
      }
    }),
  );
  return card;
}

export async function email() {
  const user = (await loadUser()) || currentUser();
  const title = h("h1", { class: "page-title", tabindex: "-1" }, "Email");
  if (!emailAvailable()) {
    return h(
      "section",
      { class: "page" },
      title,
      h("p", { class: "card" }, "This server does not send email, so hep cannot email you reminders or links. Notifications on your phone still work."),
    );
  }
  const settings = await api.get("/api/me/notification-settings");
  return h(
    "section",
    { class: "page" },
    title,
    addressCard(user),
    user.role === "patient" ? remindersCard(user, settings) : null,
    user.role === "therapist" ? alertsCard(user, settings) : null,
  );
}
