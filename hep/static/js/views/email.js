// Email: your address (confirmed or not), email reminders for a phone that cannot get pushes,
// the times they come and message emails (patients), and attention alerts (therapists). Offered only when the server sends email.

import { ApiError, api } from "../api.js";
import { busy, clearErrors, h, showErrors, toast } from "../dom.js";
import { currentUser, loadUser } from "../session.js";
import { needsHomeScreen, pushSupported } from "../push.js";
import { emailAvailable, maxItems } from "../rules.js";
import { t } from "../i18n.js";

const MODES = [
  ["off", "email.no_email_reminders"],
  ["fallback", "email.email_me_when_my_phone", "email.only_while_no_phone_of"],
  ["always", "email.email_me_every_reminder", "email.besides_notifications_on_your_phone"],
];

function addressCard(user) {
  const status = user.email_bounced
    ? t("email.your_mail_server_said_this")
    : user.email_verified
      ? t("email.confirmed_hep_can_email_you")
      : t("email.not_confirmed_yet_hep_sends");
  const button = h("button", { type: "button", class: "btn" }, t("email.email_me_confirmation_link"));
  const card = h(
    "div",
    { class: "card" },
    h("h2", {}, t("email.your_address")),
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
  if (needsHomeScreen()) return t("email.on_iphone_notifications_only_work");
  if (!pushSupported()) return t("email.this_browser_cannot_show_notifications");
  if (settings.push_subscriptions === 0) return t("email.no_phone_of_yours_gets");
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
      h("span", {}, h("strong", {}, t(label)), hint ? h("br") : null, hint ? h("span", { class: "small muted" }, t(hint)) : null),
    ),
  );
  const card = h(
    "fieldset",
    { class: "card" },
    h("legend", {}, h("h2", {}, t("email.email_reminders"))),
    problem ? h("p", { class: "banner warn" }, t("email.problem_email_can_reach_you", { problem })) : null,
    user.email_verified ? null : h("p", { class: "small muted" }, t("email.confirm_your_address_first")),
    ...options,
    h("p", { class: "small muted" }, t("email.emails_follow_same_rules_as")),
  );
  card.addEventListener("change", (event) =>
    busy(card, async () => {
      try {
        await api.patch("/api/me/notification-settings", { email_reminders: event.target.value });
        toast(t("email.saved"), "success");
      } catch (error) {
        toast(error.message, "error");
      }
    }),
  );
  return card;
}

// When email reminders come: the reminders of the hours before, together in one mail
function timesForm(user, settings) {
  const most = maxItems("notification_settings", "email_digest_times") || 1;
  const list = h("div", { class: "stack" });
  const add = h("button", { type: "button", class: "btn btn-small" }, t("email.add_a_time"));
  const sync = () => {
    const rows = list.querySelectorAll(".time-row");
    add.hidden = rows.length >= most || !user.email_verified;
    rows.forEach((row) => {
      row.querySelector("button").hidden = rows.length <= 1;
    });
  };
  const row = (value) => {
    const input = h("input", {
      type: "time",
      name: "email_digest_times",
      value,
      required: true,
      disabled: !user.email_verified,
      "aria-label": t("email.email_time"),
    });
    const remove = h("button", { type: "button", class: "btn btn-small" }, t("email.remove"));
    const line = h("div", { class: "row time-row" }, input, remove);
    remove.addEventListener("click", () => {
      line.remove();
      sync();
    });
    return line;
  };
  for (const value of settings.email_digest_times) list.append(row(value));
  add.addEventListener("click", () => {
    list.append(row("12:00"));
    sync();
    list.lastElementChild.querySelector("input").focus();
  });
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, t("email.when_emails_come")),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    h("p", { class: "small muted" }, t("email.one_mail_at_each_time", { count: most })),
    h("div", { "data-field": "email_digest_times" }, list),
    h("div", { class: "row actions" }, add, h("button", { type: "submit", class: "btn btn-primary", disabled: !user.email_verified }, t("email.save_times"))),
  );
  sync();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const times = [...form.querySelectorAll("input[name=email_digest_times]")].map((input) => input.value);
    busy(form, async () => {
      try {
        const saved = await api.patch("/api/me/notification-settings", { email_digest_times: times });
        clearErrors(form);
        list.replaceChildren(...saved.email_digest_times.map(row));
        sync();
        toast(t("email.saved"), "success");
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}

function noticesCard(user, settings) {
  const box = h("input", { type: "checkbox", name: "email_notices", checked: settings.email_notices, disabled: !user.email_verified });
  const card = h(
    "fieldset",
    { class: "card" },
    h("legend", {}, h("h2", {}, t("email.new_messages"))),
    h("label", { class: "check" }, box, t("email.email_me_when_my_care")),
    h("p", { class: "small muted" }, t("email.the_email_says_only_that")),
  );
  box.addEventListener("change", () =>
    busy(card, async () => {
      try {
        await api.patch("/api/me/notification-settings", { email_notices: box.checked });
        toast(t("email.saved"), "success");
      } catch (error) {
        box.checked = !box.checked;
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
    h("legend", {}, h("h2", {}, t("email.when_patient_needs_you"))),
    h("p", { class: "small muted" }, t("email.once_per_patient_and_reason")),
    h("label", { class: "check" }, push, t("email.notification_on_my_devices")),
    h("label", { class: "check" }, email, t("email.one_email_day")),
    h("label", { for: "alert-time" }, t("email.email_at")),
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
        toast(t("email.saved"), "success");
      } catch (error) {
        toast(error instanceof ApiError ? error.message : t("email.could_not_save"), "error");
      }
    }),
  );
  return card;
}

export async function email() {
  const user = (await loadUser()) || currentUser();
  const title = h("h1", { class: "page-title", tabindex: "-1" }, t("common.email"));
  if (!emailAvailable()) {
    return h(
      "section",
      { class: "page" },
      title,
      h("p", { class: "card" }, t("email.this_server_does_not_send")),
    );
  }
  const settings = await api.get("/api/me/notification-settings");
  return h(
    "section",
    { class: "page" },
    title,
    addressCard(user),
    user.role === "patient" ? remindersCard(user, settings) : null,
    user.role === "patient" ? timesForm(user, settings) : null,
    user.role === "patient" ? noticesCard(user, settings) : null,
    user.role === "therapist" ? alertsCard(user, settings) : null,
  );
}
