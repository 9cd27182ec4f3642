// A guided step to get reminders on this phone: Add to Home Screen first where iOS needs it,
// then allow notifications (from a tap, as browsers require), then a test.

import { isMissingEndpoint } from "../api.js";
import { h, toast } from "../dom.js";
import { navigate } from "../router.js";
import {
  disablePush,
  enablePush,
  ensureSubscription,
  hasSubscription,
  isIos,
  needsHomeScreen,
  permission,
  pushSupported,
  registrationProblem,
  sendTest,
} from "../push.js";
import { t } from "../i18n.js";

export async function notifications({ query }) {
  const welcome = query.get("welcome") === "1";
  const box = h("div");
  const render = async () => {
    box.replaceChildren(await steps(render));
  };
  await render();
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, welcome ? t("notifications.welcome_to_hep") : t("notifications.notifications")),
    h(
      "p",
      { class: "subtitle" },
      welcome
        ? t("notifications.one_last_step_let_hep")
        : t("notifications.reminders_arrive_only_for_what"),
    ),
    box,
    h(
      "div",
      { class: "actions" },
      h("a", { class: welcome ? "btn btn-primary" : "btn", href: "#/today" }, welcome ? t("notifications.go_to_todays_exercises") : t("notifications.back_to_today")),
    ),
  );
}

async function steps(rerender) {
  if (needsHomeScreen()) {
    return h(
      "ol",
      { class: "steps-guide" },
      h(
        "li",
        {},
        h("h2", {}, t("notifications.add_hep_to_your_home")),
        h("p", {}, t("notifications.on_iphone_and_ipad_reminders")),
        h(
          "ol",
          { class: "steps" },
          h("li", {}, t("notifications.tap_share_button_square_with")),
          h("li", {}, t("notifications.scroll_down_and_tap_add")),
          h("li", {}, t("notifications.open_hep_from_new_icon")),
        ),
      ),
      h("li", {}, h("h2", {}, t("notifications.allow_notifications")), h("p", { class: "muted" }, t("notifications.after_you_open_hep_from"))),
    );
  }
  if (!pushSupported()) {
    return h(
      "div",
      { class: "banner warn" },
      isIos()
        ? t("notifications.this_version_of_ios_cannot")
        : t("notifications.this_browser_cannot_show_notifications"),
    );
  }
  const state = permission();
  const subscribed = state === "granted" && (await hasSubscription());
  const allow = h(
    "button",
    {
      type: "button",
      class: "btn btn-primary",
      "data-role": "allow",
      onclick: async () => {
        allow.disabled = true;
        try {
          const answer = await enablePush();
          if (answer === "granted") toast(t("notifications.notifications_are_on_for_this"), "success");
        } catch (error) {
          toast(t("notifications.notifications_are_allowed_but_this", { registrationProblem: registrationProblem(error) }), "error");
        }
        await rerender();
      },
    },
    t("notifications.allow_notifications"),
  );
  const register = registerButton(rerender);
  const testResult = h("p", { role: "status" });
  const test = h(
    "button",
    {
      type: "button",
      class: "btn",
      onclick: async () => {
        test.disabled = true;
        testResult.textContent = t("notifications.sending");
        try {
          testResult.textContent = testOutcome(await sendTest(), subscribed);
        } catch (error) {
          testResult.textContent = isMissingEndpoint(error)
            ? t("notifications.this_server_cannot_send_test")
            : t("notifications.test_could_not_be_sent", { message: error.message });
        } finally {
          test.disabled = false;
        }
      },
    },
    t("notifications.send_test_notification"),
  );
  return h(
    "ol",
    { class: "steps-guide" },
    h(
      "li",
      { class: subscribed ? "is-done" : "" },
      h("h2", {}, t("notifications.allow_notifications")),
      state === "granted"
        ? h(
            "p",
            {},
            subscribed
              ? t("notifications.allowed_and_this_phone_is")
              : t("notifications.allowed_but_this_phone_is"),
          )
        : state === "denied"
          ? h(
              "p",
              { class: "banner warn" },
              t("notifications.notifications_are_blocked_for_hep"),
            )
          : h("p", {}, t("notifications.your_browser_will_ask_choose")),
      state === "default" ? allow : null,
      state === "granted" && !subscribed ? register.element : null,
    ),
    h(
      "li",
      { class: "" },
      h("h2", {}, t("notifications.check_it_works")),
      h("p", {}, t("notifications.send_yourself_test_notification")),
      state === "granted" ? [test, testResult] : h("p", { class: "muted" }, t("notifications.after_allowing_notifications")),
    ),
    h(
      "li",
      {},
      h("h2", {}, t("notifications.choose_when")),
      h("p", {}, t("notifications.pick_reminder_times_quiet_hours")),
      h("a", { class: "btn", href: "#/reminders" }, t("notifications.reminder_settings")),
    ),
    subscribed
      ? h(
          "li",
          {},
          h("h2", {}, t("notifications.turn_off_on_this_phone")),
          h(
            "button",
            {
              type: "button",
              class: "btn btn-quiet",
              onclick: async () => {
                await disablePush();
                toast(t("notifications.this_phone_will_no_longer"));
                navigate("/notifications");
              },
            },
            t("notifications.stop_notifications_on_this_phone"),
          ),
        )
      : null,
  );
}


/** What POST /api/push/test did, in words: how many devices it reached, and how many not. */
function testOutcome({ sent = 0, failed = 0 }, thisPhoneRegistered) {
  if (!sent && !failed) {
    return thisPhoneRegistered
      ? t("notifications.test_reached_no_device_hep")
      : t("notifications.test_reached_no_device_no");
  }
  if (!sent) return t("notifications.test_refused", { count: failed });
  const reached = t("notifications.test_sent", { count: sent });
  return failed ? `${reached} ${t("notifications.test_partly_refused", { count: failed })}` : reached;
}

/** "Register this phone", which says while it works and, if it fails, why (and offers again). */
function registerButton(rerender) {
  const problem = h("p", { class: "form-alert", role: "alert" });
  const working = h("p", { class: "small muted", role: "status" });
  const button = h(
    "button",
    {
      type: "button",
      class: "btn",
      onclick: async () => {
        button.disabled = true;
        problem.textContent = "";
        working.textContent = t("notifications.registering_this_phone");
        let failure = null;
        try {
          if (!(await ensureSubscription())) failure = registrationProblem(null);
        } catch (error) {
          failure = registrationProblem(error);
        }
        working.textContent = "";
        button.disabled = false;
        if (!failure) {
          toast(t("notifications.this_phone_is_registered_for"), "success");
          await rerender();
          return;
        }
        problem.textContent =
          t("notifications.this_phone_could_not_be", { failure });
        button.textContent = t("common.try_again");
        button.focus();
      },
    },
    t("notifications.register_this_phone"),
  );
  return { element: h("div", {}, problem, working, button) };
}
