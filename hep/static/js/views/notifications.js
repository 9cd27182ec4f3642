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
    h("h1", { class: "page-title", tabindex: "-1" }, welcome ? "Welcome to hep" : "Notifications"),
    h(
      "p",
      { class: "subtitle" },
      welcome
        ? "One last step: let hep remind you. Reminders come only for what is still to do, never during your quiet hours."
        : "Reminders arrive only for what is still to do. Notifications show no health details.",
    ),
    box,
    h(
      "div",
      { class: "actions" },
      h("a", { class: welcome ? "btn btn-primary" : "btn", href: "#/today" }, welcome ? "Go to today's exercises" : "Back to today"),
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
        h("h2", {}, "Add hep to your Home Screen"),
        h("p", {}, "On iPhone and iPad, reminders only work from the Home Screen app:"),
        h(
          "ol",
          { class: "steps" },
          h("li", {}, "Tap the Share button (the square with an arrow) at the bottom of Safari."),
          h("li", {}, "Scroll down and tap “Add to Home Screen”, then “Add”."),
          h("li", {}, "Open hep from the new icon on your Home Screen and come back to this page."),
        ),
      ),
      h("li", {}, h("h2", {}, "Allow notifications"), h("p", { class: "muted" }, "After you open hep from the Home Screen.")),
    );
  }
  if (!pushSupported()) {
    return h(
      "div",
      { class: "banner warn" },
      isIos()
        ? "This version of iOS cannot show web notifications. Update to iOS 16.4 or later."
        : "This browser cannot show notifications from hep. You can still tick things off in the app.",
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
          if (answer === "granted") toast("Notifications are on for this phone.", "success");
        } catch (error) {
          toast(`Notifications are allowed, but this phone could not be registered: ${registrationProblem(error)}.`, "error");
        }
        await rerender();
      },
    },
    "Allow notifications",
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
        testResult.textContent = "Sending…";
        try {
          testResult.textContent = testOutcome(await sendTest(), subscribed);
        } catch (error) {
          testResult.textContent = isMissingEndpoint(error)
            ? "This server cannot send test notifications."
            : `The test could not be sent: ${error.message}`;
        } finally {
          test.disabled = false;
        }
      },
    },
    "Send a test notification",
  );
  return h(
    "ol",
    { class: "steps-guide" },
    h(
      "li",
      { class: subscribed ? "is-done" : "" },
      h("h2", {}, "Allow notifications"),
      state === "granted"
        ? h(
            "p",
            {},
            subscribed
              ? "Allowed, and this phone is registered for reminders."
              : "Allowed, but this phone is not registered for reminders yet.",
          )
        : state === "denied"
          ? h(
              "p",
              { class: "banner warn" },
              "Notifications are blocked for hep. Open your browser's site settings for this address, allow notifications, then reload.",
            )
          : h("p", {}, "Your browser will ask. Choose “Allow”."),
      state === "default" ? allow : null,
      state === "granted" && !subscribed ? register.element : null,
    ),
    h(
      "li",
      { class: "" },
      h("h2", {}, "Check it works"),
      h("p", {}, "Send yourself a test notification."),
      state === "granted" ? [test, testResult] : h("p", { class: "muted" }, "After allowing notifications."),
    ),
    h(
      "li",
      {},
      h("h2", {}, "Choose when"),
      h("p", {}, "Pick reminder times, quiet hours and a daily limit."),
      h("a", { class: "btn", href: "#/reminders" }, "Reminder settings"),
    ),
    subscribed
      ? h(
          "li",
          {},
          h("h2", {}, "Turn off on this phone"),
          h(
            "button",
            {
              type: "button",
              class: "btn btn-quiet",
              onclick: async () => {
                await disablePush();
                toast("This phone will no longer get reminders.");
                navigate("/notifications");
              },
            },
            "Stop notifications on this phone",
          ),
        )
      : null,
  );
}

const devices = (n) => `${n} device${n === 1 ? "" : "s"}`;

/** What POST /api/push/test did, in words: how many devices it reached, and how many not. */
function testOutcome({ sent = 0, failed = 0 }, thisPhoneRegistered) {
  if (!sent && !failed) {
    return thisPhoneRegistered
      ? "The test reached no device: hep has no device registered for you. Reload hep on this phone to register it again."
      : "The test reached no device: no phone or computer is registered for your reminders yet. Register this phone above first.";
  }
  const one = failed === 1;
  const refused =
    `did not arrive on ${devices(failed)}: ${one ? "its push service" : "their push services"} refused it. ` +
    `On ${one ? "that device" : "those devices"}, open hep and turn notifications on again.`;
  if (!sent) return `The test ${refused}`;
  const reached = `Test sent to ${devices(sent)}. It should arrive in a few seconds.`;
  return failed ? `${reached} It ${refused}` : reached;
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
        working.textContent = "Registering this phone…";
        let failure = null;
        try {
          if (!(await ensureSubscription())) failure = registrationProblem(null);
        } catch (error) {
          failure = registrationProblem(error);
        }
        working.textContent = "";
        button.disabled = false;
        if (!failure) {
          toast("This phone is registered for reminders.", "success");
          await rerender();
          return;
        }
        problem.textContent =
          `This phone could not be registered: ${failure}. Try again in a moment; if it keeps ` +
          "failing, this browser may not deliver reminders (Chrome, Edge, Firefox and Safari do).";
        button.textContent = "Try again";
        button.focus();
      },
    },
    "Register this phone",
  );
  return { element: h("div", {}, problem, working, button) };
}
