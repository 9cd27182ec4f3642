// A patient's programs on the therapist's page: each with its dates and exercises, edited into
// a new version, ended by a last day or archived; the archived ones on request; and a template
// prescribed in one go.

import { api } from "../api.js";
import { busy, clearErrors, confirmDialog, field, h, replace, showErrors, toast } from "../dom.js";
import { addDays, dateTime } from "../dates.js";
import { doseText } from "../labels.js";
import { navigate } from "../router.js";
import { t } from "../i18n.js";

/** The programs section of the patient's page; `today` is the patient's local date. */
export function programsSection(person, programs, templates, today) {
  const archived = h("div", { "aria-live": "polite" });
  const showArchived = h(
    "button",
    {
      type: "button",
      class: "btn btn-small btn-quiet",
      "aria-expanded": "false",
      onclick: async () => {
        if (showArchived.getAttribute("aria-expanded") === "true") {
          replace(archived);
          showArchived.setAttribute("aria-expanded", "false");
          return;
        }
        try {
          const all = await api.get(`/api/patients/${encodeURIComponent(person.id)}/programs?archived=true`);
          const old = all.filter((p) => p.archived_at);
          replace(archived, old.length ? old.map((p) => programCard(person, p, today)) : h("p", { class: "muted" }, t("patient_programs.no_archived_programs")));
          showArchived.setAttribute("aria-expanded", "true");
        } catch (error) {
          toast(error.message, "error");
        }
      },
    },
    t("patient_programs.archived_programs"),
  );
  return h(
    "div",
    {},
    h("h2", {}, t("patient_programs.programs")),
    programs.length ? programs.map((p) => programCard(person, p, today)) : h("p", { class: "muted" }, t("patient_programs.no_program_yet")),
    h("div", { class: "actions" }, h("a", { class: "btn btn-primary", href: `#/patients/${person.id}/programs/new` }, t("patient_programs.new_program")), showArchived),
    archived,
    templates.length ? applyTemplateForm(person, templates, today) : null,
  );
}

function dates(p, today) {
  const range = p.end_date
    ? t("patient_programs.from_to", { start: p.start_date, end: p.end_date })
    : t("patient_programs.from", { start: p.start_date });
  if (p.archived_at) return t("patient_programs.range_archived_datetime", { range, dateTime: dateTime(p.archived_at) });
  if (p.end_date && p.end_date < today) return t("patient_programs.range_ended", { range });
  return t("patient_programs.range_about_minutes_per_session", { range, minutes_per_session: p.minutes_per_session });
}

function programCard(person, p, today) {
  const ended = p.end_date && p.end_date < today;
  return h(
    "div",
    { class: "card", "data-role": "program" },
    h(
      "h3",
      {},
      p.title,
      h("span", { class: "muted small" }, ` · ${t("patient_programs.version", { version: p.version })}`),
      p.archived_at ? h("span", { class: "badge" }, t("patient_programs.archived")) : ended ? h("span", { class: "badge" }, t("patient_programs.ended")) : null,
    ),
    h("p", { class: "small muted" }, dates(p, today)),
    p.archived_at ? null : p.warnings.map((w) => h("p", { class: "banner warn small" }, w)),
    h("ul", { class: "list" }, p.items.map((item) => h("li", {}, h("strong", {}, item.exercise.name), h("br"), h("span", { class: "small muted" }, doseText(item))))),
    h(
      "div",
      { class: "row" },
      p.archived_at
        ? null
        : h("a", { class: "btn btn-small", href: `#/programs/${p.id}/edit` }, t("common.edit"), h("span", { class: "visually-hidden" }, ` ${p.title}`)),
      h("a", { class: "btn btn-small btn-quiet", href: `#/programs/${p.id}/versions` }, t("patient_programs.version_history"), h("span", { class: "visually-hidden" }, " ", t("patient_programs.of_title", { title: p.title }))),
    ),
    p.archived_at ? null : endOrArchive(person, p, today, ended),
  );
}

function endOrArchive(person, p, today, ended) {
  const yesterday = addDays(today, -1);
  const form = h(
    "form",
    { class: "stack", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    ended
      ? h("p", { class: "small" }, t("patient_programs.it_ended_on_end_date", { end_date: p.end_date }))
      : [
          h("p", { class: "small" }, t("patient_programs.ending_it_saves_new_version")),
          field(t("patient_programs.last_day"), { type: "date", name: "last_day", value: yesterday, required: true }),
          h("button", { type: "submit", class: "btn btn-small" }, t("patient_programs.end_program"), h("span", { class: "visually-hidden" }, ` ${p.title}`)),
        ],
    h("p", { class: "small" }, t("patient_programs.archiving_takes_it_off_patients")),
    h(
      "button",
      {
        type: "button",
        class: "btn btn-small btn-quiet",
        onclick: async () => {
          const ok = await confirmDialog({
            title: t("patient_programs.archive_title", { title: p.title }),
            body: t("patient_programs.it_leaves_patients_today_their"),
            confirm: t("patient_programs.archive"),
          });
          if (!ok) return;
          await busy(form, async () => {
            try {
              await api.post(`/api/programs/${encodeURIComponent(p.id)}/archive`);
              toast(t("patient_programs.archived_title", { title: p.title }), "success");
              navigate(`/patients/${person.id}`);
            } catch (error) {
              showErrors(form, error);
            }
          });
        },
      },
      t("patient_programs.archive_program"),
      h("span", { class: "visually-hidden" }, ` ${p.title}`),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const lastDay = new FormData(form).get("last_day");
    busy(form, async () => {
      try {
        const saved = await api.post(`/api/programs/${encodeURIComponent(p.id)}/end`, lastDay ? { last_day: lastDay } : {});
        clearErrors(form);
        toast(t("patient_programs.title_ends_on_end_date", { title: saved.title, end_date: saved.end_date }), "success");
        navigate(`/patients/${person.id}`);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return h("details", { class: "small" }, h("summary", {}, t("patient_programs.end_or_archive"), h("span", { class: "visually-hidden" }, ` ${p.title}`)), form);
}

function applyTemplateForm(person, templates, today) {
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h3", {}, t("patient_programs.start_from_template")),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(t("patient_programs.template"), h("select", { name: "template" }, templates.map((entry) => h("option", { value: entry.id }, t("patient_programs.template_option", { title: entry.title, count: entry.items.length, minutes: entry.minutes_per_session }))))),
    field(t("patient_programs.start_date"), { type: "date", name: "start_date", value: today, required: true }),
    h("button", { type: "submit", class: "btn" }, t("patient_programs.prescribe_template")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    busy(form, async () => {
      try {
        const program = await api.post(`/api/templates/${encodeURIComponent(data.get("template"))}/apply`, {
          patient_id: person.id,
          start_date: data.get("start_date"),
        });
        clearErrors(form);
        toast(t("patient_programs.prescribed_title", { title: program.title }), "success");
        navigate(`/patients/${person.id}`);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
