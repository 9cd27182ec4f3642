// The patient's calendar feed: a private address any calendar app subscribes to, shown once
// when made; whether events name what they are about; a new address; stop sharing.

import { api } from "../api.js";
import { confirmDialog, h, replace, toast } from "../dom.js";
import { dateTime } from "../dates.js";
import { t } from "../i18n.js";

export async function calendar() {
  const root = h("section", { class: "page" });
  const state = await api.get("/api/me/calendar");
  render(root, state, null);
  return root;
}

function render(root, state, made) {
  replace(
    root,
    h("h1", { class: "page-title", tabindex: "-1" }, t("calendar.your_plan_in_your_calendar")),
    h(
      "p",
      { class: "subtitle" },
      t("calendar.your_exercise_sessions_and_habit"),
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
    " ", t("calendar.show_exercise_and_habit_names"),
  );
}

const PRIVACY = "calendar.without_names_events_just_say";

function startCard(root) {
  const box = detailsBox(false);
  return h(
    "div",
    { class: "card" },
    h("h2", {}, t("calendar.subscribe")),
    h("p", {}, t("calendar.hep_makes_private_address_for")),
    box,
    h("p", { class: "hint" }, t(PRIVACY)),
    h("button", { type: "button", class: "btn btn-primary", "data-role": "make-address", onclick: () => make(root, box) }, t("calendar.make_my_calendar_address")),
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
      toast(t("calendar.address_copied"));
    } catch {
      toast(t("calendar.select_address_and_copy_it"));
    }
  };
  return h(
    "div",
    { class: "card", role: "region", "aria-label": t("calendar.your_new_calendar_address") },
    h("h2", {}, t("calendar.your_calendar_address")),
    h("p", {}, t("calendar.shown_this_once_add_it")),
    h("label", { for: "feed-url" }, t("calendar.address")),
    h("input", { id: "feed-url", type: "text", readonly: true, value: made.url, "data-role": "feed-url", class: "feed-url" }),
    h(
      "p",
      { class: "actions" },
      h("a", { class: "btn btn-primary", href: made.webcal_url, "data-role": "subscribe" }, t("calendar.add_to_my_calendar")),
      " ",
      h("button", { type: "button", class: "btn", onclick: copy }, t("calendar.copy_address")),
    ),
    h("p", { class: "hint" }, t("calendar.on_computer_paste_address_into")),
  );
}

function activeCard(root, state) {
  const box = detailsBox(state.details);
  box.querySelector("input").addEventListener("change", async (event) => {
    const changed = await api.patch("/api/me/calendar", { details: event.target.checked });
    toast(changed.details ? t("calendar.your_calendar_will_show_names") : t("calendar.your_calendar_will_show_generic"));
  });
  const renew = async () => {
    const ok = await confirmDialog({
      title: t("calendar.make_new_address"),
      body: t("calendar.old_address_stops_working_calendars"),
      confirm: t("calendar.make_new_address_2"),
    });
    if (ok) await make(root, box);
  };
  const stop = async () => {
    const ok = await confirmDialog({
      title: t("calendar.stop_sharing_your_plan_with"),
      body: t("calendar.address_stops_working_events_already"),
      confirm: t("calendar.stop_sharing"),
      danger: true,
    });
    if (!ok) return;
    await api.del("/api/me/calendar");
    toast(t("calendar.your_calendar_address_no_longer"));
    render(root, { active: false, details: false }, null);
  };
  return h(
    "div",
    { class: "card" },
    h("h2", {}, t("calendar.subscribed")),
    h("p", {}, t("calendar.your_calendar_address_works_made", { dateTime: dateTime(state.created_at) })),
    box,
    h("p", { class: "hint" }, t(PRIVACY)),
    h(
      "p",
      { class: "actions" },
      h("button", { type: "button", class: "btn", "data-role": "new-address", onclick: renew }, t("calendar.make_new_address_2")),
      " ",
      h("button", { type: "button", class: "btn btn-danger", "data-role": "stop-sharing", onclick: stop }, t("calendar.stop_sharing")),
    ),
  );
}
