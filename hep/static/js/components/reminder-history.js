// A reminder's history: a "History" button and the box it opens with the last occurrences,
// newest first, at the time they came due on the patient's clock, each with why it was or was
// not sent. The patient's reminders screen and the therapist's patient page both use it.

import { api } from "../api.js";
import { h, nextId, replace, toast } from "../dom.js";
import { browserZone, zonedDateTime } from "../dates.js";
import { pageSizeMax } from "../rules.js";


const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

// the dispatcher's outcomes other than "sent" (whose words depend on how its pushes fared)
const REASONS = {
  grouped: "Sent together with another reminder",
  done: "Not sent: already done",
  not_due: "Not sent: nothing of the program due that day",
  paused: "Not sent: paused",
  quiet: "Not sent: quiet hours",
  capped: "Not sent: daily limit reached",
  missed: "Missed (server was down)",
  no_subscription: "Not sent: no device has notifications on",
};

/** Why one occurrence of a reminder was or was not sent, in plain words. */
export function outcomeText(entry) {
  const pushes = entry.pushes || {};
  if (entry.outcome === "sent") {
    if (pushes.sent) return `Sent to ${plural(pushes.sent, "device", "devices")}`;
    if (pushes.pending) return `Sending to ${plural(pushes.pending, "device", "devices")}`;
    return pushes.failed ? "Not delivered" : "Sent";
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
    pushes.failed ? h("span", { class: "badge badge-alert" }, `Failed on ${plural(pushes.failed, "device", "devices")}`) : null,
    pushes.pending && pushes.sent ? h("span", { class: "badge" }, `Still sending to ${plural(pushes.pending, "device", "devices")}`) : null,
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
    "History",
    h("span", { class: "visually-hidden" }, ` of ${title}`),
  );
  return { button, box };
}

async function fillHistory(box, { path, timeZone, title, level }, current) {
  const mine = current();
  const pageSize = Math.min(20, pageSizeMax());
  const headingId = nextId("history-title");
  const heading = h(level, { id: headingId, tabindex: "-1" }, `History of ${title}`);
  const status = h("p", { class: "small muted", role: "status" }, "Loading…");
  const list = h("ol", { class: "list history-list", "aria-labelledby": headingId });
  const more = h("button", { type: "button", class: "btn btn-small" }, "Show older");
  const zoneNote =
    timeZone && timeZone !== browserZone() ? h("p", { class: "small muted" }, `Times in ${timeZone.replace(/_/g, " ")}.`) : null;
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
        items.length ? list : h("p", { class: "small muted" }, "Nothing yet: this reminder has not come due."),
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
