// A reminder's history: a "History" button and the box it opens with the last occurrences,
// newest first, at the time they came due on the patient's clock, each with why it was or was
// not sent. The patient's reminders screen and the therapist's patient page both use it.

import { api } from "../api.js";
import { h, nextId, replace, toast } from "../dom.js";
import { browserZone, zonedDateTime } from "../dates.js";
import { pageSizeMax } from "../rules.js";
import { t, words } from "../i18n.js";


const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

// the dispatcher's outcomes other than "sent" (whose words depend on how its pushes fared)
const REASONS = words({
  grouped: "reminder_history.sent_together_with_another_reminder",
  done: "reminder_history.not_sent_already_done",
  not_due: "reminder_history.not_sent_nothing_of_program",
  paused: "reminder_history.not_sent_paused",
  quiet: "reminder_history.not_sent_quiet_hours",
  capped: "reminder_history.not_sent_daily_limit_reached",
  missed: "reminder_history.missed_server_was_down",
  no_subscription: "reminder_history.not_sent_no_device_has",
});

/** Why one occurrence of a reminder was or was not sent, in plain words. */
export function outcomeText(entry) {
  const pushes = entry.pushes || {};
  if (entry.outcome === "sent") {
    if (pushes.sent) return t("reminder_history.sent_to_plural", { plural: plural(pushes.sent, "device", "devices") });
    if (pushes.pending) return t("reminder_history.sending_to_plural", { plural: plural(pushes.pending, "device", "devices") });
    return pushes.failed ? t("reminder_history.not_delivered") : t("reminder_history.sent");
  }
  return REASONS[entry.outcome] || entry.outcome;
}

function outcomeKind(outcome) {
  if (outcome === "sent" || outcome === "grouped") return "done";
  return outcome === "missed" ? "partial" : "skipped";
}

function historyEntry(entry, timeZone) {
  const pushes = entry.pushes || {};
  return h(
    "li",
    {},
    h("time", { datetime: entry.fire_at }, zonedDateTime(entry.fire_at, timeZone)),
    h("span", { class: `status status-${outcomeKind(entry.outcome)}` }, outcomeText(entry)),
    pushes.failed ? h("span", { class: "badge badge-alert" }, t("reminder_history.failed_on_plural", { plural: plural(pushes.failed, "device", "devices") })) : null,
    pushes.pending && pushes.sent ? h("span", { class: "badge" }, t("reminder_history.still_sending_to_plural", { plural: plural(pushes.pending, "device", "devices") })) : null,
  );
}

/**
 * A "History" button and the box it opens. `path` is the history endpoint (the patient's
 * own or the therapist's view of it); `level` the heading level inside the box.
 */
export function historyToggle({ path, timeZone, title, level = "h4" }) {
  const box = h("div", { class: "entry-more", id: nextId("history"), hidden: true });
  let opened = 0;
  const button = h(
    "button",
    {
      type: "button",
      class: "btn btn-small",
      "aria-expanded": "false",
      "aria-controls": box.id,
      onclick: () => {
        const opening = box.hidden;
        box.hidden = !opening;
        button.setAttribute("aria-expanded", String(opening));
        opened += 1;
        if (opening) fillHistory(box, { path, timeZone, title, level }, () => opened);
      },
    },
    t("reminder_history.history"),
    h("span", { class: "visually-hidden" }, " ", t("reminder_history.of_title", { title })),
  );
  return { button, box };
}

async function fillHistory(box, { path, timeZone, title, level }, current) {
  const mine = current();
  const pageSize = Math.min(20, pageSizeMax());
  const headingId = nextId("history-title");
  const heading = h(level, { id: headingId, tabindex: "-1" }, t("reminder_history.history_of_title", { title }));
  const status = h("p", { class: "small muted", role: "status" }, t("common.loading"));
  const list = h("ol", { class: "list history-list", "aria-labelledby": headingId });
  const more = h("button", { type: "button", class: "btn btn-small" }, t("reminder_history.show_older"));
  const zoneNote =
    timeZone && timeZone !== browserZone() ? h("p", { class: "small muted" }, t("reminder_history.times_in_replace", { replace: timeZone.replace(/_/g, " ") })) : null;
  replace(box, heading, status);
  let page = 1;
  const load = async () => {
    more.disabled = true;
    let entries;
    try {
      entries = await api.get(`${path}?page=${page}&page_size=${pageSize}`);
    } catch (error) {
      if (mine !== current()) return;
      // an older page that did not come keeps its button, to try again
      if (page === 1) status.replaceWith(h("p", { class: "form-alert", role: "alert" }, error.message));
      else toast(error.message, "error");
      return;
    } finally {
      more.disabled = false;
    }
    // closed, or opened again, while this page was on its way
    if (mine !== current()) return;
    const items = entries.map((entry) => historyEntry(entry, timeZone));
    if (page === 1) {
      // (replace() leaves out the zone note when there is none; replaceChildren would write "null")
      replace(
        box,
        heading,
        zoneNote,
        items.length ? list : h("p", { class: "small muted" }, t("reminder_history.nothing_yet_this_reminder_has")),
      );
    }
    list.append(...items);
    // a full page may have older ones behind it
    if (entries.length < pageSize) more.remove();
    else box.append(more);
    if (page === 1 || !items.length) {
      heading.focus();
    } else {
      // the first older entry takes focus, so the keyboard carries on where the list grew
      items[0].tabIndex = -1;
      items[0].focus();
    }
    page += 1;
  };
  more.addEventListener("click", load);
  await load();
}
