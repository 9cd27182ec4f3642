// hep's proposals to move a patient's exercise on or back a step, on their page: what and
// why, the sessions behind it, applied (a new program version) or dismissed in one tap.

import { api } from "../api.js";
import { h, replace, toast } from "../dom.js";
import { shortDay } from "../dates.js";

function evidence(found) {
  const sessions = found.evidence.sessions || [];
  if (!sessions.length) return null;
  return h(
    "div",
    { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Sessions behind it" },
    h(
      "table",
      { class: "small" },
      h("thead", {}, h("tr", {}, ["Day", "Done", "Pain", "Difficulty"].map((t) => h("th", { scope: "col" }, t)))),
      h(
        "tbody",
        {},
        sessions.map((s) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, shortDay(s.date)),
            h("td", {}, s.state === "partial" ? "part" : "all"),
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
          ? `Done: version ${done.applied_version} of the program. The patient sees what changed and why.`
          : done.status === "superseded"
            ? "The program changed since; this proposal no longer fits."
            : "Dismissed. Only new sessions can bring it back.",
        done.status === "applied" ? "success" : "info",
      );
      await reload();
    } catch (error) {
      buttons.forEach((b) => (b.disabled = false));
      toast(error.message, "error");
    }
  };
  const name = found.evidence.exercise || "this exercise";
  return h(
    "li",
    { "data-proposal": found.direction },
    h("span", { class: `badge ${found.direction === "progress" ? "badge-ok" : "badge-warn"}` }, found.direction === "progress" ? "Move on" : "Step back"),
    h("p", {}, found.words),
    found.evidence.percent !== null && found.evidence.percent !== undefined
      ? h("p", { class: "small muted" }, `${found.evidence.percent}% of the dose done`)
      : null,
    evidence(found),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "btn btn-primary btn-small", onclick: act("apply") }, found.direction === "progress" ? "Move on" : "Step back", h("span", { class: "visually-hidden" }, `: ${name}`)),
      h("button", { type: "button", class: "btn btn-small", onclick: act("dismiss") }, "Not now", h("span", { class: "visually-hidden" }, `: ${name}`)),
    ),
  );
}

export async function proposalsPanel(base) {
  const box = h("div", { class: "card", "data-role": "proposals" });
  const render = async () => {
    const found = await api.get(`${base}/proposals`);
    replace(
      box,
      h("h2", {}, "Steps proposed"),
      found.length
        ? h("ul", { class: "list" }, found.map((p) => proposal(p, render)))
        : h("p", { class: "muted" }, "None now. hep proposes a step when an exercise with a next or previous step has earned it."),
    );
  };
  await render();
  return box;
}
