// A patient's programs on the therapist's page: each with its dates and exercises, edited into
// a new version, ended by a last day or archived; the archived ones on request; and a template
// prescribed in one go.

import { api } from "../api.js";
import { busy, clearErrors, confirmDialog, field, h, replace, showErrors, toast } from "../dom.js";
import { addDays, dateTime } from "../dates.js";
import { doseText } from "../labels.js";
import { navigate } from "../router.js";

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
          replace(archived, old.length ? old.map((p) => programCard(person, p, today)) : h("p", { class: "muted" }, "No archived programs."));
          showArchived.setAttribute("aria-expanded", "true");
        } catch (error) {
          toast(error.message, "error");
        }
      },
    },
    "Archived programs",
  );
  return h(
    "div",
    {},
    h("h2", {}, "Programs"),
    programs.length ? programs.map((p) => programCard(person, p, today)) : h("p", { class: "muted" }, "No program yet."),
    h("div", { class: "actions" }, h("a", { class: "btn btn-primary", href: `#/patients/${person.id}/programs/new` }, "New program"), showArchived),
    archived,
    templates.length ? applyTemplateForm(person, templates, today) : null,
  );
}

function dates(p, today) {
  const range = `From ${p.start_date}${p.end_date ? ` to ${p.end_date}` : ""}`;
  if (p.archived_at) return `${range} · archived ${dateTime(p.archived_at)}`;
  if (p.end_date && p.end_date < today) return `${range} · ended`;
  return `${range} · about ${p.minutes_per_session} min per session`;
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
      h("span", { class: "muted small" }, ` · version ${p.version}`),
      p.archived_at ? h("span", { class: "badge" }, "Archived") : ended ? h("span", { class: "badge" }, "Ended") : null,
    ),
    h("p", { class: "small muted" }, dates(p, today)),
    p.archived_at ? null : p.warnings.map((w) => h("p", { class: "banner warn small" }, w)),
    h("ul", { class: "list" }, p.items.map((item) => h("li", {}, h("strong", {}, item.exercise.name), h("br"), h("span", { class: "small muted" }, doseText(item))))),
    h(
      "div",
      { class: "row" },
      p.archived_at
        ? null
        : h("a", { class: "btn btn-small", href: `#/programs/${p.id}/edit` }, "Edit", h("span", { class: "visually-hidden" }, ` ${p.title}`)),
      h("a", { class: "btn btn-small btn-quiet", href: `#/programs/${p.id}/versions` }, "Version history", h("span", { class: "visually-hidden" }, ` of ${p.title}`)),
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
      ? h("p", { class: "small" }, `It ended on ${p.end_date}: nothing of it is due and its reminders stopped.`)
      : [
          h("p", { class: "small" }, "Ending it saves a new version with this last day: from the day after, nothing of it is due and its reminders stop. The patient keeps seeing its history."),
          field("Last day", { type: "date", name: "last_day", value: yesterday, required: true }),
          h("button", { type: "submit", class: "btn btn-small" }, "End program", h("span", { class: "visually-hidden" }, ` ${p.title}`)),
        ],
    h("p", { class: "small" }, "Archiving takes it off the patient's lists, Today and adherence, and stops its reminders; it stays readable here."),
    h(
      "button",
      {
        type: "button",
        class: "btn btn-small btn-quiet",
        onclick: async () => {
          const ok = await confirmDialog({
            title: `Archive ${p.title}?`,
            body: "It leaves the patient's Today, their lists and their adherence, and its reminders stop. You can still read it and its versions under Archived programs. This cannot be undone.",
            confirm: "Archive",
          });
          if (!ok) return;
          await busy(form, async () => {
            try {
              await api.post(`/api/programs/${encodeURIComponent(p.id)}/archive`);
              toast(`Archived: ${p.title}`, "success");
              navigate(`/patients/${person.id}`);
            } catch (error) {
              showErrors(form, error);
            }
          });
        },
      },
      "Archive program",
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
        toast(`${saved.title} ends on ${saved.end_date}.`, "success");
        navigate(`/patients/${person.id}`);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return h("details", { class: "small" }, h("summary", {}, "End or archive", h("span", { class: "visually-hidden" }, ` ${p.title}`)), form);
}

function applyTemplateForm(person, templates, today) {
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h3", {}, "Start from a template"),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field("Template", h("select", { name: "template" }, templates.map((t) => h("option", { value: t.id }, `${t.title} (${t.items.length} exercise${t.items.length === 1 ? "" : "s"}, ~${t.minutes_per_session} min)`)))),
    field("Start date", { type: "date", name: "start_date", value: today, required: true }),
    h("button", { type: "submit", class: "btn" }, "Prescribe template"),
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
        toast(`Prescribed: ${program.title}`, "success");
        navigate(`/patients/${person.id}`);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
