// The program builder: search the library, add exercises with a dose and weekdays, watch the
// minutes per session and the size warning (never blocking), save a program (or a new version
// of one — items keep their item_key so their history continues), or save it as a template;
// and the same for a template's items, edited into its next version.

import { api } from "../api.js";
import { busy, field, h, replace, showErrors, toast } from "../dom.js";
import { todayIn } from "../dates.js";
import { navigate } from "../router.js";
import { limits } from "../rules.js";
import { librarySearch } from "../components/library-search.js";
import { itemEditor } from "../components/item-editor.js";
import { careBody } from "../components/item-care.js";
import { DOSE_NUMBERS, doseProblems, sessionMinutes, sizeWarnings } from "../components/program-estimate.js";
import { EVERY_DAY } from "../components/weekday-picker.js";
import { t } from "../i18n.js";

const DOSE_FIELDS = ["sets", "reps", "hold_seconds", "duration_seconds", "rest_seconds", "side", "times_per_day"];

function fromExercise(exercise) {
  const dose = exercise.dose || {};
  return {
    exercise,
    ...Object.fromEntries(DOSE_FIELDS.map((f) => [f, dose[f] ?? null])),
    sets: dose.sets || 1,
    side: dose.side || "both",
    times_per_day: dose.times_per_day || 1,
    weekdays: EVERY_DAY,
    load_note: "",
    notes: "",
  };
}

export async function newProgram({ params }) {
  const patient = await api.get(`/api/patients/${encodeURIComponent(params.id)}`);
  return builder({ patient, program: null });
}

export async function editProgram({ params }) {
  const program = await api.get(`/api/programs/${encodeURIComponent(params.id)}`);
  const patient = await api.get(`/api/patients/${encodeURIComponent(program.patient_id)}`);
  const media = await api.get(`/api/programs/${encodeURIComponent(params.id)}/media`);
  return builder({ patient, program, media });
}

export async function editTemplate({ params }) {
  const template = await api.get(`/api/templates/${encodeURIComponent(params.id)}`);
  const exercises = new Map();
  for (const id of new Set(template.items.map((i) => i.exercise_id))) {
    exercises.set(id, await api.get(`/api/exercises/${encodeURIComponent(id)}`).catch(() => ({ id, name: t("program_builder.exercise_no_longer_in_library") })));
  }
  const items = template.items.map((i) => ({ ...fromExercise(exercises.get(i.exercise_id)), ...i, exercise: exercises.get(i.exercise_id) }));
  const { itemsBox, summary, add } = itemsPanel(items, { media: false });
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, t("program_builder.edit_template_now_version", { version: template.version })),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(t("program_builder.title"), { type: "text", name: "title", required: true, value: template.title, ...limits("template", "title") }),
    field(t("program_builder.notes"), h("textarea", { name: "notes", rows: "2", ...limits("template_revision", "notes") }, template.notes || "")),
    h("h3", {}, t("program_builder.exercises")),
    itemsBox,
    field(t("program_builder.what_changed_shown_in_versions"), { type: "text", name: "change_note", ...limits("template_revision", "change_note") }),
    h(
      "div",
      { class: "sticky-summary" },
      summary,
      h(
        "div",
        { class: "actions" },
        h("button", { type: "submit", class: "btn btn-primary" }, t("program_builder.save_new_version")),
        h("a", { class: "btn btn-quiet", href: `#/templates/${template.id}` }, t("common.cancel")),
      ),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (markedFirst(form, items)) return;
    const data = new FormData(form);
    const title = data.get("title").trim();
    const body = {
      notes: data.get("notes").trim(),
      change_note: data.get("change_note").trim(),
      items: items.map((i) => {
        const item = itemBody(i);
        delete item.item_key;
        return item;
      }),
    };
    busy(form, async () => {
      try {
        // a new title is a rename (no new version); the items and notes make the version
        if (title !== template.title) await api.patch(`/api/templates/${template.id}`, { title });
        const saved = await api.post(`/api/templates/${template.id}/versions`, body);
        toast(t("program_builder.saved_version_of_title", { version: saved.version, title: saved.title }), "success");
        navigate(`/templates/${template.id}`);
      } catch (error) {
        showErrors(form, mapItemErrors(error));
      }
    });
  });
  return h(
    "section",
    { class: "page" },
    h("p", {}, h("a", { href: `#/templates/${template.id}` }, `← ${template.title}`)),
    h("h1", { class: "page-title", tabindex: "-1" }, t("program_builder.edit_title", { title: template.title })),
    h("div", { class: "builder grid-2" }, librarySearch(add), form),
  );
}

/** The items being built, their editors and the size summary (minutes, warnings). */
function itemsPanel(items, { program = null, media = [], care = false }) {
  const itemsBox = h("div", { "aria-live": "off" });
  const summary = h("div", { role: "status", "aria-live": "polite" });

  const renderSummary = () => {
    const minutes = sessionMinutes(items);
    replace(
      summary,
      h(
        "p",
        {},
        h("strong", {}, t("program_builder.exercises_count", { count: items.length })),
        ` · ${minutes === null ? t("program_builder.check_marked_values_to_see_time") : t("program_builder.about_minutes_per_session", { minutes })}`,
      ),
      sizeWarnings(items).map((w) => h("p", { class: "banner warn small", "data-role": "size-warning" }, w)),
    );
  };
  const renderItems = (focusIndex) => {
    replace(
      itemsBox,
      items.length
        ? items.map((item, index) =>
            itemEditor(item, index, items, { onChange: renderSummary, onMove: renderItems, program, media, care }),
          )
        : h("p", { class: "empty" }, t("program_builder.search_library_and_add")),
    );
    renderSummary();
    if (focusIndex !== undefined) itemsBox.querySelectorAll(".item-editor h3")[focusIndex]?.focus();
  };

  const add = (exercise) => {
    items.push(fromExercise(exercise));
    renderItems(items.length - 1);
    toast(t("program_builder.added_name", { name: exercise.name }));
  };
  renderItems();
  return { itemsBox, summary, add };
}

function builder({ patient, program, media = [] }) {
  const items = program ? program.items.map((i) => ({ ...i, exercise: i.exercise })) : [];
  const { itemsBox, summary, add } = itemsPanel(items, { program, media, care: true });
  const today = todayIn(patient.timezone);
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, program ? t("program_builder.edit_program_now_version", { version: program.version }) : t("program_builder.program")),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(t("program_builder.title"), { type: "text", name: "title", required: true, value: program?.title || t("program_builder.home_program"), ...limits("program", "title") }),
    h(
      "div",
      { class: "two-up" },
      field(t("program_builder.start"), { type: "date", name: "start_date", value: program?.start_date || today, required: true }),
      field(t("program_builder.end_optional"), { type: "date", name: "end_date", value: program?.end_date || "" }),
    ),
    field(t("program_builder.notes_for_patient"), h("textarea", { name: "notes", rows: "2", ...limits("program", "notes") }, program?.notes || "")),
    field(
      t("program_builder.if_patient_logs_high_pain"),
      h("textarea", { name: "pain_advice", rows: "2", ...limits("program", "pain_advice") }, program?.pain_advice || ""),
      { hint: t("program_builder.empty_your_clinics_words_else") },
    ),
    h("h3", {}, t("program_builder.exercises")),
    itemsBox,
    program
      ? field(t("program_builder.what_changed_shown_in_history"), { type: "text", name: "change_note", placeholder: t("program_builder.progressed_chin_tucks_to_3"), ...limits("program", "change_note") })
      : null,
    // the size, the warnings and the save buttons stay in view while the list grows
    h(
      "div",
      { class: "sticky-summary" },
      summary,
      h(
        "div",
        { class: "actions" },
        h("button", { type: "submit", class: "btn btn-primary", "data-role": "save-program" }, t(program ? "program_builder.save_new_version" : "program_builder.save_program")),
        h("button", { type: "button", class: "btn", "data-role": "save-template", onclick: () => saveTemplate(form, items) }, t("program_builder.save_as_template")),
        h("a", { class: "btn btn-quiet", href: `#/patients/${patient.id}` }, t("common.cancel")),
      ),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (markedFirst(form, items)) return;
    const data = new FormData(form);
    const body = {
      title: data.get("title").trim(),
      notes: data.get("notes").trim(),
      start_date: data.get("start_date"),
      end_date: data.get("end_date") || null,
      pain_advice: (data.get("pain_advice") || "").trim(),
      items: items.map((item) => ({ ...itemBody(item), ...careBody(item) })),
    };
    if (program) body.change_note = (data.get("change_note") || "").trim();
    busy(form, async () => {
      try {
        const saved = program
          ? await api.post(`/api/programs/${program.id}/versions`, body)
          : await api.post(`/api/patients/${patient.id}/programs`, body);
        toast(program ? t("program_builder.saved_version", { version: saved.version }) : t("program_builder.program_saved_patient_sees_it"), "success");
        navigate(`/patients/${patient.id}`);
      } catch (error) {
        showErrors(form, mapItemErrors(error));
      }
    });
  });

  return h(
    "section",
    { class: "page" },
    h("p", {}, h("a", { href: `#/patients/${patient.id}` }, `← ${patient.name}`)),
    h("h1", { class: "page-title", tabindex: "-1" }, program ? program.title : t("program_builder.new_program_for_name", { name: patient.name })),
    h("div", { class: "builder grid-2" }, librarySearch(add), form),
  );
}

function itemBody(item) {
  const body = { exercise_id: item.exercise.id };
  if (item.item_key) body.item_key = item.item_key;
  for (const [f] of DOSE_NUMBERS) {
    const v = item[f];
    body[f] = v === "" || v === null || v === undefined ? (f === "sets" || f === "times_per_day" ? 1 : null) : Number(v);
  }
  body.side = item.side || "both";
  body.weekdays = item.weekdays || EVERY_DAY;
  body.load_note = item.load_note || "";
  body.notes = item.notes || "";
  return body;
}

/** "items": {"0": {"reps": [...]}} becomes a message the form can show. */
function mapItemErrors(error) {
  const fields = error.fields || {};
  if (fields.items && typeof fields.items === "object" && !Array.isArray(fields.items)) {
    const lines = Object.entries(fields.items).map(([i, errs]) =>
      t("program_builder.exercise_number_problems", {
        number: Number(i) + 1,
        problems: Object.entries(errs).map(([k, v]) => `${k.replace("_", " ")} — ${[].concat(v).join(" ")}`).join("; "),
      }),
    );
    error.fields = { ...fields };
    delete error.fields.items;
    error.message = lines.join(" ");
  }
  return error;
}

/** With a dose value the server would refuse, say so and put the keyboard on it. */
function markedFirst(form, items) {
  if (!items.some((item) => Object.keys(doseProblems(item)).length)) return false;
  form.querySelector(".form-alert").textContent = t("program_builder.check_marked_values_outside");
  form.querySelector('.item-editor [aria-invalid="true"]')?.focus();
  return true;
}

async function saveTemplate(form, items) {
  if (!items.length) {
    toast(t("program_builder.add_at_least_one_exercise"), "error");
    return;
  }
  if (markedFirst(form, items)) return;
  const data = new FormData(form);
  try {
    const template = await api.post("/api/templates", {
      title: data.get("title").trim(),
      notes: data.get("notes").trim(),
      items: items.map((i) => {
        const body = itemBody(i);
        delete body.item_key;
        return body;
      }),
    });
    toast(t("program_builder.saved_template_title", { title: template.title }), "success");
  } catch (error) {
    showErrors(form, mapItemErrors(error));
  }
}
