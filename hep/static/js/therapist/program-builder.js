// The program builder: search the library, add exercises with a dose and weekdays, watch the
// minutes per session and the size warning (never blocking), save a program (or a new version
// of one — items keep their item_key so their history continues), or save it as a template.

import { api, query } from "../api.js";
import { busy, field, h, nextId, replace, showErrors, toast } from "../dom.js";
import { todayIn } from "../dates.js";
import { CATEGORIES, EQUIPMENT, REGIONS, SIDES, doseText } from "../labels.js";
import { navigate } from "../router.js";
import { weekdayPicker, maskFrom } from "../views/habits.js";

// the same estimate the server makes (hep/programs.py), so the figure moves as you type
const SECONDS_PER_REP = 3;
const SECONDS_BETWEEN_ITEMS = 20;
const WARN_ITEMS = 6;
const WARN_MINUTES = 15;

export function itemSeconds(item) {
  const sets = item.sets || 1;
  let work;
  if (item.duration_seconds) work = item.duration_seconds;
  else if (item.reps) work = item.reps * (SECONDS_PER_REP + (item.hold_seconds || 0));
  else work = item.hold_seconds || 30;
  const sides = item.side === "each" ? 2 : 1;
  const rest = (item.rest_seconds || 0) * (sets - 1);
  return sides * (sets * work + rest);
}

export function sessionMinutes(items) {
  const seconds = items.reduce((s, i) => s + itemSeconds(i), 0) + SECONDS_BETWEEN_ITEMS * Math.max(0, items.length - 1);
  return Math.round((seconds / 60) * 10) / 10;
}

export function sizeWarnings(items) {
  const warnings = [];
  if (items.length > WARN_ITEMS) {
    warnings.push(`${items.length} exercises: programs of 2–4 exercises are followed best; consider fewer than ${WARN_ITEMS + 1}.`);
  }
  const minutes = sessionMinutes(items);
  if (minutes > WARN_MINUTES) {
    warnings.push(`About ${minutes} minutes per session: past ${WARN_MINUTES} minutes, people do it less often.`);
  }
  return warnings;
}

const DOSE_FIELDS = ["sets", "reps", "hold_seconds", "duration_seconds", "rest_seconds", "side", "times_per_day"];

function fromExercise(exercise) {
  const dose = exercise.dose || {};
  return {
    exercise,
    ...Object.fromEntries(DOSE_FIELDS.map((f) => [f, dose[f] ?? null])),
    sets: dose.sets || 1,
    side: dose.side || "both",
    times_per_day: dose.times_per_day || 1,
    weekdays: 127,
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
  return builder({ patient, program });
}

function builder({ patient, program }) {
  const items = program
    ? program.items.map((i) => ({ ...i, exercise: i.exercise }))
    : [];
  const itemsBox = h("div", { "aria-live": "off" });
  const summary = h("div", { role: "status", "aria-live": "polite" });

  const renderSummary = () => {
    const minutes = sessionMinutes(items);
    const warnings = sizeWarnings(items);
    replace(
      summary,
      h("p", {}, h("strong", {}, `${items.length} exercise${items.length === 1 ? "" : "s"}`), ` · about ${minutes} min per session`),
      warnings.map((w) => h("p", { class: "banner warn small", "data-role": "size-warning" }, w)),
    );
  };
  const renderItems = (focusIndex) => {
    replace(
      itemsBox,
      items.length
        ? items.map((item, index) => itemEditor(item, index, items, { onChange: renderSummary, onMove: renderItems }))
        : h("p", { class: "empty" }, "Search the library and add 2–4 exercises."),
    );
    renderSummary();
    if (focusIndex !== undefined) itemsBox.querySelectorAll(".item-editor h3")[focusIndex]?.focus();
  };

  const add = (exercise) => {
    items.push(fromExercise(exercise));
    renderItems(items.length - 1);
    toast(`Added ${exercise.name}.`);
  };

  const today = todayIn(patient.timezone);
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, program ? `Edit program (now version ${program.version})` : "Program"),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field("Title", { type: "text", name: "title", required: true, maxlength: "120", value: program?.title || "Home program" }),
    h(
      "div",
      { class: "two-up" },
      field("Start", { type: "date", name: "start_date", value: program?.start_date || today, required: true }),
      field("End (optional)", { type: "date", name: "end_date", value: program?.end_date || "" }),
    ),
    field("Notes for the patient", h("textarea", { name: "notes", rows: "2", maxlength: "4000" }, program?.notes || "")),
    h("h3", {}, "Exercises"),
    itemsBox,
    program
      ? field("What changed (shown in the history)", { type: "text", name: "change_note", maxlength: "300", placeholder: "Progressed chin tucks to 3 sets" })
      : null,
    // the size, the warnings and the save buttons stay in view while the list grows
    h(
      "div",
      { class: "sticky-summary" },
      summary,
      h(
        "div",
        { class: "actions" },
        h("button", { type: "submit", class: "btn btn-primary", "data-role": "save-program" }, program ? "Save new version" : "Save program"),
        h("button", { type: "button", class: "btn", "data-role": "save-template", onclick: () => saveTemplate(form, items) }, "Save as template"),
        h("a", { class: "btn btn-quiet", href: `#/patients/${patient.id}` }, "Cancel"),
      ),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = {
      title: data.get("title").trim(),
      notes: data.get("notes").trim(),
      start_date: data.get("start_date"),
      end_date: data.get("end_date") || null,
      items: items.map(itemBody),
    };
    if (program) body.change_note = (data.get("change_note") || "").trim();
    busy(form, async () => {
      try {
        const saved = program
          ? await api.post(`/api/programs/${program.id}/versions`, body)
          : await api.post(`/api/patients/${patient.id}/programs`, body);
        toast(program ? `Saved version ${saved.version}.` : "Program saved. The patient sees it now.", "success");
        navigate(`/patients/${patient.id}`);
      } catch (error) {
        showErrors(form, mapItemErrors(error));
      }
    });
  });

  renderItems();
  return h(
    "section",
    { class: "page" },
    h("p", {}, h("a", { href: `#/patients/${patient.id}` }, `← ${patient.name}`)),
    h("h1", { class: "page-title", tabindex: "-1" }, program ? `${program.title}` : `New program for ${patient.name}`),
    h("div", { class: "builder grid-2" }, librarySearch(add), form),
  );
}

function itemBody(item) {
  const body = { exercise_id: item.exercise.id };
  if (item.item_key) body.item_key = item.item_key;
  for (const f of ["sets", "reps", "hold_seconds", "duration_seconds", "rest_seconds", "times_per_day"]) {
    const v = item[f];
    body[f] = v === "" || v === null || v === undefined ? (f === "sets" || f === "times_per_day" ? 1 : null) : Number(v);
  }
  body.side = item.side || "both";
  body.weekdays = item.weekdays || 127;
  body.load_note = item.load_note || "";
  body.notes = item.notes || "";
  return body;
}

/** "items": {"0": {"reps": [...]}} becomes a message the form can show. */
function mapItemErrors(error) {
  const fields = error.fields || {};
  if (fields.items && typeof fields.items === "object" && !Array.isArray(fields.items)) {
    const lines = Object.entries(fields.items).map(([i, errs]) => `Exercise ${Number(i) + 1}: ${Object.entries(errs).map(([k, v]) => `${k.replace("_", " ")} — ${[].concat(v).join(" ")}`).join("; ")}`);
    error.fields = { ...fields };
    delete error.fields.items;
    error.message = lines.join(" ");
  }
  return error;
}

async function saveTemplate(form, items) {
  if (!items.length) {
    toast("Add at least one exercise first.", "error");
    return;
  }
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
    toast(`Saved template “${template.title}”.`, "success");
  } catch (error) {
    showErrors(form, mapItemErrors(error));
  }
}

function numberField(label, item, name, { min = 0, max, onChange }) {
  return field(label, {
    type: "number",
    name: `${name}`,
    min: String(min),
    max: max ? String(max) : null,
    inputmode: "numeric",
    value: item[name] ?? "",
    oninput: (e) => {
      item[name] = e.target.value === "" ? null : Number(e.target.value);
      onChange();
    },
  });
}

function itemEditor(item, index, items, { onChange, onMove }) {
  const headingId = nextId("item");
  const days = weekdayPicker(`weekdays-${headingId}`, item.weekdays ?? 127, "Days");
  days.addEventListener("change", () => {
    item.weekdays = maskFrom(days, `weekdays-${headingId}`) || 0;
    onChange();
  });
  const move = (delta) => {
    const to = index + delta;
    if (to < 0 || to >= items.length) return;
    [items[index], items[to]] = [items[to], items[index]];
    onMove(to);
  };
  return h(
    "fieldset",
    { class: "item-editor", "aria-labelledby": headingId },
    h(
      "div",
      { class: "row spread" },
      h("h3", { id: headingId, tabindex: "-1" }, `${index + 1}. ${item.exercise.name}`),
      h(
        "div",
        { class: "row" },
        h("button", { type: "button", class: "btn btn-small", "aria-label": `Move ${item.exercise.name} up`, disabled: index === 0, onclick: () => move(-1) }, "↑"),
        h("button", { type: "button", class: "btn btn-small", "aria-label": `Move ${item.exercise.name} down`, disabled: index === items.length - 1, onclick: () => move(1) }, "↓"),
        h(
          "button",
          {
            type: "button",
            class: "btn btn-small btn-quiet",
            "aria-label": `Remove ${item.exercise.name}`,
            onclick: () => {
              items.splice(index, 1);
              onMove(Math.max(0, index - 1));
            },
          },
          "Remove",
        ),
      ),
    ),
    h(
      "div",
      { class: "dose-grid" },
      numberField("Sets", item, "sets", { min: 1, max: 20, onChange }),
      numberField("Reps", item, "reps", { min: 1, max: 500, onChange }),
      numberField("Hold (s)", item, "hold_seconds", { min: 1, max: 3600, onChange }),
      numberField("Duration (s)", item, "duration_seconds", { min: 1, max: 7200, onChange }),
      numberField("Rest (s)", item, "rest_seconds", { min: 0, max: 3600, onChange }),
      numberField("Times a day", item, "times_per_day", { min: 1, max: 10, onChange }),
      field(
        "Side",
        h(
          "select",
          {
            name: "side",
            value: item.side || "both",
            onchange: (e) => {
              item.side = e.target.value;
              onChange();
            },
          },
          Object.entries(SIDES).map(([v, l]) => h("option", { value: v }, l)),
        ),
      ),
    ),
    days,
    field("Load or band (optional)", {
      type: "text",
      name: "load_note",
      maxlength: "120",
      value: item.load_note || "",
      oninput: (e) => {
        item.load_note = e.target.value;
      },
    }),
    field(
      "Note for the patient (optional)",
      h(
        "textarea",
        {
          name: "notes",
          rows: "2",
          maxlength: "1000",
          oninput: (e) => {
            item.notes = e.target.value;
          },
        },
        item.notes || "",
      ),
    ),
  );
}

/** The library search, shared with the library screen: filters plus paged results. */
export function librarySearch(onAdd, { title = "Library" } = {}) {
  const results = h("div", { class: "results", "aria-live": "polite" });
  const more = h("button", { type: "button", class: "btn btn-small", hidden: true }, "More results");
  let page = 1;
  let timer = null;
  const form = h(
    "form",
    { role: "search", class: "stack", onsubmit: (e) => e.preventDefault() },
    field("Search exercises", { type: "search", name: "q", placeholder: "chin tuck, hip, band…", maxlength: "100" }),
    h(
      "div",
      { class: "dose-grid" },
      field("Body region", h("select", { name: "region" }, h("option", { value: "" }, "Any"), Object.entries(REGIONS).map(([v, l]) => h("option", { value: v }, l)))),
      field("Kind", h("select", { name: "category" }, h("option", { value: "" }, "Any"), Object.entries(CATEGORIES).map(([v, l]) => h("option", { value: v }, l)))),
      field("Equipment", h("select", { name: "equipment" }, h("option", { value: "" }, "Any"), Object.entries(EQUIPMENT).map(([v, l]) => h("option", { value: v }, l)))),
    ),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "mine" }), "Only my own exercises"),
  );
  const load = async (append) => {
    const data = new FormData(form);
    const params = {
      q: (data.get("q") || "").trim(),
      region: data.get("region"),
      category: data.get("category"),
      equipment: data.get("equipment"),
      mine: data.get("mine") ? "true" : "",
      page,
      page_size: 20,
    };
    try {
      const found = await api.get(`/api/exercises${query(params)}`);
      const rows = found.map((exercise) => exerciseRow(exercise, onAdd));
      if (append) results.querySelector("ul")?.append(...rows);
      else replace(results, found.length ? h("ul", { class: "list", "aria-label": "Search results" }, rows) : h("p", { class: "muted" }, "No exercise matches."));
      more.hidden = found.length < 20;
    } catch (error) {
      replace(results, h("p", { class: "form-alert" }, error.message));
    }
  };
  let lastQuery = null;
  const search = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      // a blur fires "change" after "input": the same query must not reload (and jump) the list
      const wanted = new URLSearchParams(new FormData(form)).toString();
      if (wanted === lastQuery) return;
      lastQuery = wanted;
      page = 1;
      load(false);
    }, 250);
  };
  form.addEventListener("input", search);
  form.addEventListener("change", search);
  more.addEventListener("click", () => {
    page += 1;
    load(true);
  });
  lastQuery = new URLSearchParams(new FormData(form)).toString();
  load(false);
  return h("div", { class: "card" }, h("h2", {}, title), form, results, more);
}

function exerciseRow(exercise, onAdd) {
  const own = !exercise.built_in;
  return h(
    "li",
    {},
    h(
      "div",
      { class: "row spread" },
      h(
        "div",
        { class: "grow" },
        h("strong", {}, exercise.name),
        own ? h("span", { class: "badge" }, " yours") : null,
        h("div", { class: "small muted" }, [CATEGORIES[exercise.category], exercise.regions.map((r) => REGIONS[r]).join(", "), doseText(exercise.dose)].filter(Boolean).join(" · ")),
      ),
      onAdd
        ? h("button", { type: "button", class: "btn btn-small", "aria-label": `Add ${exercise.name}`, "data-role": "add-exercise", onclick: () => onAdd(exercise) }, "Add")
        : own
          ? h("a", { class: "btn btn-small", href: `#/library/${exercise.id}/edit` }, "Edit", h("span", { class: "visually-hidden" }, ` ${exercise.name}`))
          : null,
    ),
    h(
      "details",
      { class: "small" },
      h("summary", {}, "Instructions", h("span", { class: "visually-hidden" }, ` for ${exercise.name}`)),
      exercise.summary ? h("p", {}, exercise.summary) : null,
      h("ol", { class: "steps" }, (exercise.instructions || []).map((s) => h("li", {}, s))),
      exercise.cautions?.length ? h("div", { class: "cautions" }, h("strong", {}, "Cautions"), h("ul", {}, exercise.cautions.map((c) => h("li", {}, c)))) : null,
    ),
  );
}

