// Why a patient needs attention, on their page: the reasons (open first) and since when, the
// pause in force, acknowledging them with a note (they leave the top of the list until
// something new happens), and the history of acknowledgements and of the alerts you got.

import { api } from "../api.js";
import { busy, field, h, replace, showErrors, toast } from "../dom.js";
import { dateTime, longDay } from "../dates.js";
import { limits, pauseModes } from "../rules.js";
import { t } from "../i18n.js";
import { reasonName, reasonWords } from "./attention.js";

function reasonList(reasons) {
  if (!reasons.length) return h("p", { class: "muted" }, t("attention_panel.nothing_needs_look_now"));
  return h(
    "ul",
    { class: "list" },
    reasons.map((r) =>
      h(
        "li",
        { "data-reason": r.reason },
        h("span", { class: `badge ${r.acknowledged ? "badge-ok" : "badge-alert"}` }, reasonName(r.reason)),
        h("span", { class: "small muted" }, ` ${t(r.acknowledged ? "attention_panel.acknowledged_at" : "attention_panel.since_at", { at: dateTime(r.since) })}`),
      ),
    ),
  );
}

function pauseLine(pause) {
  if (!pause) return null;
  const mode = pauseModes().find((m) => m.mode === pause.mode)?.words || pause.mode;
  const days = { first: longDay(pause.first_day), last: pause.last_day ? longDay(pause.last_day) : null };
  const when = pause.active
    ? t(pause.last_day ? "attention_panel.since_first_to_last" : "attention_panel.since_first_open_ended", days)
    : t(pause.last_day ? "attention_panel.planned_from_first_to_last" : "attention_panel.planned_from_first_open_ended", days);
  return h(
    "p",
    { class: "banner warn", "data-role": "patient-pause" },
    h("strong", {}, t("attention_panel.paused_mode", { mode })),
    ` ${when}`,
    pause.note ? h("span", { class: "small" }, ` ${t("attention_panel.quoted_note", { note: pause.note })}`) : null,
  );
}

// "Acknowledged by Dana (high pain): “Called”", its reasons and note there or not
function acknowledgement(a) {
  const params = { by: a.by, reasons: a.reasons.map(reasonWords).join(", "), note: a.note };
  if (a.reasons.length && a.note) return t("attention_panel.acknowledged_by_reasons_note", params);
  if (a.reasons.length) return t("attention_panel.acknowledged_by_reasons", params);
  if (a.note) return t("attention_panel.acknowledged_by_note", params);
  return t("attention_panel.acknowledged_by", params);
}

function history(found) {
  const rows = [
    ...found.acknowledgements.map((a) => ({ at: a.at, text: acknowledgement(a) })),
    ...found.alerts.map((a) => ({
      at: a.noted_at,
      text: t(a.cleared_at ? "attention_panel.alert_to_you_closed" : "attention_panel.alert_to_you", { reason: reasonWords(a.reason) }),
    })),
  ].sort((a, b) => String(b.at).localeCompare(String(a.at)));
  return h(
    "details",
    { "data-role": "attention-history" },
    h("summary", {}, t("attention_panel.history")),
    rows.length
      ? h("ul", { class: "list small" }, rows.map((r) => h("li", {}, h("span", { class: "muted" }, `${dateTime(r.at)} · `), r.text)))
      : h("p", { class: "muted small" }, t("attention_panel.no_alerts_or_acknowledgements_yet")),
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
      field(t("attention_panel.what_you_did_optional"), { type: "text", name: "note", placeholder: t("attention_panel.called_adjusted_program"), ...limits("acknowledgement", "note") }),
      h("button", { type: "submit", class: "btn" }, t("attention_panel.acknowledge")),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      busy(form, async () => {
        try {
          await api.post(`${base}/acknowledgements`, { note: (new FormData(form).get("note") || "").trim() });
          toast(t("attention_panel.acknowledged_only_something_new"), "success");
          await render();
        } catch (error) {
          showErrors(form, error);
        }
      });
    });
    replace(
      box,
      h("h2", {}, t("attention_panel.needs_attention")),
      pauseLine(found.pause),
      reasonList(found.reasons),
      open.length ? form : null,
      history(found),
    );
  };
  await render();
  return box;
}
