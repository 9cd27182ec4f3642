// The patient's calendar feed: a private address any calendar app subscribes to, shown once
// when made; whether events name what they are about; a new address; stop sharing.

import { api } from "../api.js";
import { confirmDialog, h, replace, toast } from "../dom.js";
import { dateTime } from "../dates.js";

export async function calendar() {
  const root = h("section", { class: "page" });
  const state = await api.get("/api/me/calendar");
  render(root, state, null);
  return root;
}

function render(root, state, made) {
  replace(
    root,
    h("h1", { class: "page-title", tabindex: "-1" }, "Your plan in your calendar"),
    h(
      "p",
      { class: "subtitle" },
      "Your exercise sessions and habit checks appear in the calendar app you already use (Google, Apple, Outlook…), and change when your program does.",
    ),
    made ? madeCard(made) : null,
    state.active ? activeCard(root, state) : startCard(root),
  );
}

function detailsBox(checked) {
  return h(
    "label",
    { class: "check" },
    h("input", { type: "checkbox", name: "details", checked }),
    " Show exercise and habit names in my calendar",
  );
}

const PRIVACY =
  "Without names, events just say “Exercise session” or “Habit check”: nothing about your health goes to your calendar's provider.";

function startCard(root) {
  const box = detailsBox(false);
  return h(
    "div",
    { class: "card" },
    h("h2", {}, "Subscribe"),
    h("p", {}, "hep makes a private address for your calendar. Anyone with it can see your plan, so keep it to yourself."),
    box,
    h("p", { class: "hint" }, PRIVACY),
    h("button", { type: "button", class: "btn btn-primary", "data-role": "make-address", onclick: () => make(root, box) }, "Make my calendar address"),
  );
}

async function make(root, box) {
  const details = box.querySelector("input").checked;
  const made = await api.post("/api/me/calendar", { details });
  render(root, made, made);
  root.querySelector("[data-role=feed-url]")?.focus();
}

function madeCard(made) {
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(made.url);
      toast("Address copied.");
    } catch {
      toast("Select the address and copy it.");
    }
  };
  return h(
    "div",
    { class: "card", role: "region", "aria-label": "Your new calendar address" },
    h("h2", {}, "Your calendar address"),
    h("p", {}, "Shown this once: add it to your calendar now. (You can always make a new one.)"),
    h("label", { for: "feed-url" }, "Address"),
    h("input", { id: "feed-url", type: "text", readonly: true, value: made.url, "data-role": "feed-url", class: "feed-url" }),
    h(
      "p",
      { class: "actions" },
      h("a", { class: "btn btn-primary", href: made.webcal_url, "data-role": "subscribe" }, "Add to my calendar"),
      " ",
      h("button", { type: "button", class: "btn", onclick: copy }, "Copy address"),
    ),
    h("p", { class: "hint" }, "On a computer, paste the address into your calendar's “subscribe” or “add by URL” option."),
  );
}

function activeCard(root, state) {
  const box = detailsBox(state.details);
  box.querySelector("input").addEventListener("change", async (event) => {
    const changed = await api.patch("/api/me/calendar", { details: event.target.checked });
    toast(changed.details ? "Your calendar will show names." : "Your calendar will show generic titles.");
  });
  const renew = async () => {
    const ok = await confirmDialog({
      title: "Make a new address?",
      body: "The old address stops working: calendars subscribed to it get nothing more.",
      confirm: "Make a new address",
    });
    if (ok) await make(root, box);
  };
  const stop = async () => {
    const ok = await confirmDialog({
      title: "Stop sharing your plan with your calendar?",
      body: "The address stops working. Events already in your calendar stay until it refreshes.",
      confirm: "Stop sharing",
      danger: true,
    });
    if (!ok) return;
    await api.del("/api/me/calendar");
    toast("Your calendar address no longer works.");
    render(root, { active: false, details: false }, null);
  };
  return h(
    "div",
    { class: "card" },
    h("h2", {}, "Subscribed"),
    h("p", {}, `Your calendar address works (made ${dateTime(state.created_at)}).`),
    box,
    h("p", { class: "hint" }, PRIVACY),
    h(
      "p",
      { class: "actions" },
      h("button", { type: "button", class: "btn", "data-role": "new-address", onclick: renew }, "Make a new address"),
      " ",
      h("button", { type: "button", class: "btn btn-danger", "data-role": "stop-sharing", onclick: stop }, "Stop sharing"),
    ),
  );
}
