// Why a patient needs attention, on their page: the reasons (open first) and since when, the
// pause in force, acknowledging them with a note (they leave the top of the list until
// something new happens), and the history of acknowledgements and of the alerts you got.

import { api } from "../api.js";
import { busy, field, h, replace, showErrors, toast } from "../dom.js";
import { dateTime, longDay } from "../dates.js";
import { limits, pauseModes } from "../rules.js";

const named = (reason) => reason.charAt(0).toUpperCase() + reason.slice(1);

function reasonList(reasons) {
  if (!reasons.length) return h("p", { class: "muted" }, "Nothing needs a look now.");
  return h(
    "ul",
    { class: "list" },
    reasons.map((r) =>
      h(
        "li",
        { "data-reason": r.reason },
        h("span", { class: `badge ${r.acknowledged ? "badge-ok" : "badge-alert"}` }, named(r.reason)),
        h("span", { class: "small muted" }, ` ${r.acknowledged ? "acknowledged" : "since"} · ${dateTime(r.since)}`),
      ),
    ),
  );
}

function pauseLine(pause) {
  if (!pause) return null;
  const mode = pauseModes().find((m) => m.mode === pause.mode)?.words || pause.mode;
  const when = pause.active ? `since ${longDay(pause.first_day)}` : `planned from ${longDay(pause.first_day)}`;
  const until = pause.last_day ? ` to ${longDay(pause.last_day)}` : " (open-ended)";
  return h(
    "p",
    { class: "banner warn", "data-role": "patient-pause" },
    h("strong", {}, `Paused: ${mode}`),
    ` ${when}${until}.`,
    pause.note ? h("span", { class: "small" }, ` “${pause.note}”`) : null,
  );
}

function history(found) {
  const rows = [
    ...found.acknowledgements.map((a) => ({ at: a.at, text: `Acknowledged by ${a.by}${a.reasons.length ? ` (${a.reasons.join(", ")})` : ""}${a.note ? `: “${a.note}”` : ""}` })),
    ...found.alerts.map((a) => ({ at: a.noted_at, text: `Alert to you: ${a.reason}${a.cleared_at ? " (closed)" : ""}` })),
  ].sort((a, b) => String(b.at).localeCompare(String(a.at)));
  return h(
    "details",
    { "data-role": "attention-history" },
    h("summary", {}, "History"),
    rows.length
      ? h("ul", { class: "list small" }, rows.map((r) => h("li", {}, h("span", { class: "muted" }, `${dateTime(r.at)} · `), r.text)))
      : h("p", { class: "muted small" }, "No alerts or acknowledgements yet."),
  );
}

/** The panel for `person` (their API base path); it reloads itself after an acknowledgement. */
export async function attentionPanel(base) {
  const box = h("div", { class: "card", "data-role": "attention" });
  const render = async () => {
    const found = await api.get(`${base}/attention`);
    const open = found.reasons.filter((r) => !r.acknowledged);
    const form = h(
      "form",
      { novalidate: true },
      h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
      field("What you did (optional)", { type: "text", name: "note", placeholder: "Called, adjusted the program", ...limits("acknowledgement", "note") }),
      h("button", { type: "submit", class: "btn" }, "Acknowledge"),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      busy(form, async () => {
        try {
          await api.post(`${base}/acknowledgements`, { note: (new FormData(form).get("note") || "").trim() });
          toast("Acknowledged. Only something new brings them back to the top.", "success");
          await render();
        } catch (error) {
          showErrors(form, error);
        }
      });
    });
    replace(
      box,
      h("h2", {}, "Needs attention"),
      pauseLine(found.pause),
      reasonList(found.reasons),
      open.length ? form : null,
      history(found),
    );
  };
  await render();
  return box;
}
