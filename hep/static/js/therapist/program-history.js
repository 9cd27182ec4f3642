// A program's versions, newest first: when each was made, what changed, and its exercises;
// and two versions compared item by item.

import { api } from "../api.js";
import { h, replace } from "../dom.js";
import { dateTime, maskLabel } from "../dates.js";
import { doseText } from "../labels.js";
import { comparisonForm } from "../components/program-comparison.js";
import { t } from "../i18n.js";

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
        h("h2", {}, t("program_history.version_version_title", { version: version.version, title: version.title })),
        h(
          "p",
          { class: "small muted" },
          version.end_date
            ? t("program_history.from_to_minutes", { start: version.start_date, end: version.end_date, minutes: version.minutes_per_session })
            : t("program_history.from_minutes", { start: version.start_date, minutes: version.minutes_per_session }),
        ),
        version.change_note ? h("p", {}, h("strong", {}, t("program_history.change"), " "), version.change_note) : null,
        h(
          "p",
          { class: "actions" },
          h("a", { class: "btn btn-small", href: `#/programs/${program.id}/handout?v=${version.version}` }, t("program_history.print_handout")),
          " ",
          h("a", { class: "btn btn-small", href: `${base}/export?version=${version.version}`, download: "" }, t("program_history.export_as_file")),
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
    h("p", {}, h("a", { href: `#/patients/${program.patient_id}` }, t("program_history.patient"))),
    h("h1", { class: "page-title", tabindex: "-1" }, t("program_history.history_of_title", { title: program.title })),
    h("p", { class: "subtitle" }, t("program_history.each_edit_saves_new_version")),
    h(
      "ol",
      { class: "list card", reversed: true },
      versions.map((v) =>
        h(
          "li",
          { class: "row spread" },
          h("span", {}, h("strong", {}, t("program_history.version_version", { version: v.version })), v.version === program.version ? h("span", { class: "badge badge-ok" }, " ", t("program_history.current")) : null, h("br"), h("span", { class: "small muted" }, `${dateTime(v.created_at)}${v.change_note ? ` · ${v.change_note}` : ""}`)),
          h("button", { type: "button", class: "btn btn-small", onclick: () => show(v.version) }, t("program_history.show"), h("span", { class: "visually-hidden" }, " ", t("program_history.version_version_2", { version: v.version }))),
        ),
      ),
    ),
    detail,
    versions.length > 1 ? comparisonForm(program.id, versions) : null,
  );
}
