// The page a reminder opens: what is due for that reminder and one "Done" button. It works in
// every browser, including those that do not show notification action buttons.

import { api, isMissingEndpoint } from "../api.js";
import { h, replace, toast } from "../dom.js";
import { doseText } from "../labels.js";

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
      h("h1", { class: "page-title", tabindex: "-1" }, "This reminder has passed"),
      h("p", {}, "Check what is still to do today instead."),
      h("a", { class: "btn btn-primary", href: "#/today" }, "Open today"),
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
          replace(status, h("p", { class: "banner" }, "✓ Logged as done. Well done!"));
          window.dispatchEvent(new CustomEvent("hep:synced"));
          toast("Logged as done.", "success");
        } catch (error) {
          done.disabled = false;
          toast(error.offline ? "You're offline. Tick them off on the Today screen; they'll sync later." : error.message, "error");
        }
      },
    },
    "Done — all of it",
  );
  const snooze = h(
    "button",
    {
      type: "button",
      class: "btn btn-block",
      onclick: async () => {
        try {
          await api.post(`${path}/snooze`, { minutes: 15 });
          replace(status, h("p", { class: "banner" }, "OK — we'll remind you again in 15 minutes."));
        } catch (error) {
          toast(error.message, "error");
        }
      },
    },
    "Remind me in 15 minutes",
  );
  const allDone = due.every((d) => d.done);
  if (allDone) done.hidden = true;
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, "Time to check in"),
    allDone && due.length ? h("p", { class: "banner" }, "✓ Everything for this reminder is done.") : null,
    due.length
      ? h(
          "ul",
          { class: "list card" },
          due.map((d) =>
            h(
              "li",
              {},
              h("strong", {}, d.name),
              d.done ? h("span", { class: "status status-done" }, " ✓ done") : null,
              d.detail ? h("div", { class: "small muted" }, d.detail) : null,
            ),
          ),
        )
      : h("p", { class: "muted" }, "Everything for this reminder is already done."),
    h("div", { class: "stack" }, done, snooze, h("a", { class: "btn btn-quiet btn-block", href: "#/today" }, "Log details on the Today screen")),
    status,
  );
}
