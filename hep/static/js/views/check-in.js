// The page a reminder opens: what is due for that reminder and one "Done" button. It works in
// every browser, including those that do not show notification action buttons.

import { api, isMissingEndpoint } from "../api.js";
import { h, replace, toast } from "../dom.js";
import { doseText } from "../labels.js";
import { t } from "../i18n.js";

/** The entries the push was about, in today's shape (exercises and habits). */
function dueList(data) {
  return (data.entries || []).map((entry) =>
    entry.kind === "item"
      ? {
          name: entry.exercise?.name || "An exercise",
          detail: doseText(entry.dose),
          done: entry.sessions_done >= entry.sessions_due,
        }
      : { name: entry.name, detail: "", done: Boolean(entry.done) },
  );
}

export async function checkIn({ params }) {
  const occurrence = params.occurrence;
  const path = `/api/notifications/${encodeURIComponent(occurrence)}`;
  let data;
  try {
    data = await api.get(path);
  } catch (error) {
    if (!(isMissingEndpoint(error) || error.status === 410)) throw error;
    return h(
      "section",
      { class: "page" },
      h("h1", { class: "page-title", tabindex: "-1" }, t("check_in.this_reminder_has_passed")),
      h("p", {}, t("check_in.check_what_is_still_to")),
      h("a", { class: "btn btn-primary", href: "#/today" }, t("check_in.open_today")),
    );
  }
  const due = dueList(data);
  const status = h("div", { role: "status", "aria-live": "polite" });
  const done = h(
    "button",
    {
      type: "button",
      class: "btn btn-primary btn-block",
      "data-role": "done",
      onclick: async () => {
        done.disabled = true;
        try {
          await api.post(`${path}/done`);
          replace(status, h("p", { class: "banner" }, t("check_in.logged_as_done_well_done")));
          window.dispatchEvent(new CustomEvent("hep:synced"));
          toast(t("check_in.logged_as_done"), "success");
        } catch (error) {
          done.disabled = false;
          toast(error.offline ? t("check_in.youre_offline_tick_them_off") : error.message, "error");
        }
      },
    },
    t("check_in.done_all_of_it"),
  );
  const snooze = h(
    "button",
    {
      type: "button",
      class: "btn btn-block",
      onclick: async () => {
        try {
          await api.post(`${path}/snooze`, { minutes: 15 });
          replace(status, h("p", { class: "banner" }, t("check_in.ok_well_remind_you_again")));
        } catch (error) {
          toast(error.message, "error");
        }
      },
    },
    t("check_in.remind_me_in_15_minutes"),
  );
  const allDone = due.every((d) => d.done);
  if (allDone) done.hidden = true;
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, t("check_in.time_to_check_in")),
    allDone && due.length ? h("p", { class: "banner" }, t("check_in.everything_for_this_reminder_is")) : null,
    due.length
      ? h(
          "ul",
          { class: "list card" },
          due.map((d) =>
            h(
              "li",
              {},
              h("strong", {}, d.name),
              d.done ? h("span", { class: "status status-done" }, " ", t("check_in.done")) : null,
              d.detail ? h("div", { class: "small muted" }, d.detail) : null,
            ),
          ),
        )
      : h("p", { class: "muted" }, t("check_in.everything_for_this_reminder_is_2")),
    h("div", { class: "stack" }, done, snooze, h("a", { class: "btn btn-quiet btn-block", href: "#/today" }, t("check_in.log_details_on_today_screen"))),
    status,
  );
}
