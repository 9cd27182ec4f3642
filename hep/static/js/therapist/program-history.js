// A program's versions, newest first: when each was made, what changed, and its exercises.

import { api } from "../api.js";
import { h, replace } from "../dom.js";
import { dateTime, maskLabel } from "../dates.js";
import { doseText } from "../labels.js";

export async function programHistory({ params, query }) {
  const base = `/api/programs/${encodeURIComponent(params.id)}`;
  // one after the other: both write the patient's access log (see therapist/patient.js)
  const program = await api.get(base);
  const versions = await api.get(`${base}/versions`);
  const detail = h("div", { "aria-live": "polite" });
  const show = async (number) => {
    const version = await api.get(`${base}/versions/${number}`);
    replace(
      detail,
      h(
        "div",
        { class: "card" },
        h("h2", {}, `Version ${version.version}: ${version.title}`),
        h("p", { class: "small muted" }, `From ${version.start_date}${version.end_date ? ` to ${version.end_date}` : ""} · about ${version.minutes_per_session} min per session`),
        version.change_note ? h("p", {}, h("strong", {}, "Change: "), version.change_note) : null,
        h(
          "p",
          { class: "actions" },
          h("a", { class: "btn btn-small", href: `#/programs/${program.id}/handout?v=${version.version}` }, "Print handout"),
          " ",
          h("a", { class: "btn btn-small", href: `${base}/export?version=${version.version}`, download: "" }, "Export as a file"),
        ),
        h(
          "ul",
          { class: "list" },
          version.items.map((item) =>
            h("li", {}, h("strong", {}, item.exercise.name), h("br"), h("span", { class: "small muted" }, `${doseText(item)} · ${maskLabel(item.weekdays ?? 127)}`)),
          ),
        ),
      ),
    );
  };
  const wanted = Number(query.get("v")) || program.version;
  await show(wanted);
  return h(
    "section",
    { class: "page" },
    h("p", {}, h("a", { href: `#/patients/${program.patient_id}` }, "← Patient")),
    h("h1", { class: "page-title", tabindex: "-1" }, `History of ${program.title}`),
    h("p", { class: "subtitle" }, "Each edit saves a new version; the patient's link and their logs carry on."),
    h(
      "ol",
      { class: "list card", reversed: true },
      versions.map((v) =>
        h(
          "li",
          { class: "row spread" },
          h("span", {}, h("strong", {}, `Version ${v.version}`), v.version === program.version ? h("span", { class: "badge badge-ok" }, " current") : null, h("br"), h("span", { class: "small muted" }, `${dateTime(v.created_at)}${v.change_note ? ` · ${v.change_note}` : ""}`)),
          h("button", { type: "button", class: "btn btn-small", onclick: () => show(v.version) }, "Show", h("span", { class: "visually-hidden" }, ` version ${v.version}`)),
        ),
      ),
    ),
    detail,
  );
}
