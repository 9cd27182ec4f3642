// hep's proposals to move a patient's exercise on or back a step, on their page: what and
// why, the sessions behind it, applied (a new program version) or dismissed in one tap.

import { api } from "../api.js";
import { h, replace, toast } from "../dom.js";
import { shortDay } from "../dates.js";
import { t } from "../i18n.js";

// the evidence table's columns
const COLUMNS = ["proposals.day", "proposals.done", "proposals.pain", "proposals.difficulty"];

function evidence(found) {
  const sessions = found.evidence.sessions || [];
  if (!sessions.length) return null;
  return h(
    "div",
    { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("proposals.sessions_behind_it") },
    h(
      "table",
      { class: "small" },
      h("thead", {}, h("tr", {}, COLUMNS.map((key) => h("th", { scope: "col" }, t(key))))),
      h(
        "tbody",
        {},
        sessions.map((s) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, shortDay(s.date)),
            h("td", {}, t(s.state === "partial" ? "proposals.part" : "proposals.all")),
            h("td", {}, s.pain ?? "–"),
            h("td", {}, s.difficulty ?? "–"),
          ),
        ),
      ),
    ),
  );
}

function proposal(found, reload) {
  const act = (what) => async (event) => {
    const buttons = event.target.closest("li").querySelectorAll("button");
    buttons.forEach((b) => (b.disabled = true));
    try {
      const done = await api.post(`/api/proposals/${encodeURIComponent(found.id)}/${what}`, what === "dismiss" ? {} : undefined);
      toast(
        done.status === "applied"
          ? t("proposals.done_version_of_program", { version: done.applied_version })
          : done.status === "superseded"
            ? t("proposals.program_changed_since")
            : t("proposals.dismissed_only_new_sessions"),
        done.status === "applied" ? "success" : "info",
      );
      await reload();
    } catch (error) {
      buttons.forEach((b) => (b.disabled = false));
      toast(error.message, "error");
    }
  };
  const name = found.evidence.exercise || t("proposals.this_exercise");
  const direction = t(found.direction === "progress" ? "proposals.move_on" : "proposals.step_back");
  return h(
    "li",
    { "data-proposal": found.direction },
    h("span", { class: `badge ${found.direction === "progress" ? "badge-ok" : "badge-warn"}` }, direction),
    h("p", {}, found.words),
    found.evidence.percent !== null && found.evidence.percent !== undefined
      ? h("p", { class: "small muted" }, t("proposals.percent_of_dose_done", { percent: found.evidence.percent }))
      : null,
    evidence(found),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "btn btn-primary btn-small", onclick: act("apply") }, direction, h("span", { class: "visually-hidden" }, `: ${name}`)),
      h("button", { type: "button", class: "btn btn-small", onclick: act("dismiss") }, t("proposals.not_now"), h("span", { class: "visually-hidden" }, `: ${name}`)),
    ),
  );
}

export async function proposalsPanel(base) {
  const box = h("div", { class: "card", "data-role": "proposals" });
  const render = async () => {
    const found = await api.get(`${base}/proposals`);
    replace(
      box,
      h("h2", {}, t("proposals.steps_proposed")),
      found.length
        ? h("ul", { class: "list" }, found.map((p) => proposal(p, render)))
        : h("p", { class: "muted" }, t("proposals.none_now_hep_proposes")),
    );
  };
  await render();
  return box;
}
