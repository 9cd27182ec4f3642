// The program builder: search the library, add exercises with a dose and weekdays, watch the
// minutes per session and the size warning (never blocking), save a program (or a new version
// of one — items keep their item_key so their history continues), or save it as a template.

import { api } from "../api.js";
import { busy, field, h, nextId, replace, showErrors, toast } from "../dom.js";
import { todayIn } from "../dates.js";
import { SIDES } from "../labels.js";
import { navigate } from "../router.js";
import { limits } from "../rules.js";
import { librarySearch } from "../components/library-search.js";
import { DOSE_NUMBERS, doseProblems, sessionMinutes, sizeWarnings } from "../components/program-estimate.js";
import { EVERY_DAY, maskFrom, weekdayPicker } from "../components/weekday-picker.js";
import { illustration, uploadControl } from "../components/media.js";

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

function builder({ patient, program, media = [] }) {
  const items = program
    ? program.items.map((i) => ({ ...i, exercise: i.exercise }))
    : [];
  const itemsBox = h("div", { "aria-live": "off" });
  const summary = h("div", { role: "status", "aria-live": "polite" });

  const renderSummary = () => {
    const minutes = sessionMinutes(items);
    replace(
      summary,
      h(
        "p",
        {},
        h("strong", {}, `${items.length} exercise${items.length === 1 ? "" : "s"}`),
        minutes === null ? " · Check the marked values to see the time per session." : ` · about ${minutes} min per session`,
      ),
      sizeWarnings(items).map((w) => h("p", { class: "banner warn small", "data-role": "size-warning" }, w)),
    );
  };
  const renderItems = (focusIndex) => {
    replace(
      itemsBox,
      items.length
        ? items.map((item, index) =>
            itemEditor(item, index, items, { onChange: renderSummary, onMove: renderItems, program, media }),
          )
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
    field("Title", { type: "text", name: "title", required: true, value: program?.title || "Home program", ...limits("program", "title") }),
    h(
      "div",
      { class: "two-up" },
      field("Start", { type: "date", name: "start_date", value: program?.start_date || today, required: true }),
      field("End (optional)", { type: "date", name: "end_date", value: program?.end_date || "" }),
    ),
    field("Notes for the patient", h("textarea", { name: "notes", rows: "2", ...limits("program", "notes") }, program?.notes || "")),
    h("h3", {}, "Exercises"),
    itemsBox,
    program
      ? field("What changed (shown in the history)", { type: "text", name: "change_note", placeholder: "Progressed chin tucks to 3 sets", ...limits("program", "change_note") })
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
    if (markedFirst(form, items)) return;
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
    const lines = Object.entries(fields.items).map(([i, errs]) => `Exercise ${Number(i) + 1}: ${Object.entries(errs).map(([k, v]) => `${k.replace("_", " ")} — ${[].concat(v).join(" ")}`).join("; ")}`);
    error.fields = { ...fields };
    delete error.fields.items;
    error.message = lines.join(" ");
  }
  return error;
}

/** With a dose value the server would refuse, say so and put the keyboard on it. */
function markedFirst(form, items) {
  if (!items.some((item) => Object.keys(doseProblems(item)).length)) return false;
  form.querySelector(".form-alert").textContent = "Check the marked values: they are outside what a program can hold.";
  form.querySelector('.item-editor [aria-invalid="true"]')?.focus();
  return true;
}

async function saveTemplate(form, items) {
  if (!items.length) {
    toast("Add at least one exercise first.", "error");
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
    toast(`Saved template “${template.title}”.`, "success");
  } catch (error) {
    showErrors(form, mapItemErrors(error));
  }
}

/** A dose number, marked (with the field's own words) while the server would refuse it. */
function numberField(label, item, name, onChange) {
  const box = field(label, { type: "number", name, inputmode: "numeric", value: item[name] ?? "", ...limits("program_item", name) });
  const input = box.querySelector("input");
  // not .field-error: the server's errors clear those, and these follow the typing instead
  const problem = h("p", { class: "field-problem", id: nextId("problem"), hidden: true });
  box.append(problem);
  const mark = () => {
    const text = doseProblems(item)[name];
    problem.textContent = text || "";
    problem.hidden = !text;
    if (text) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", problem.id);
    } else {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    }
  };
  input.addEventListener("input", () => {
    // a number field holds "" for anything that is not a number
    item[name] = input.value === "" ? null : Number(input.value);
    mark();
    onChange();
  });
  mark();
  return box;
}

// a field as wide as two of the grid's columns, for choices longer than a number
function wide(box) {
  box.classList.add("field-wide");
  return box;
}

// the item's photos and videos ("this is you doing it") and the way to add one; an item the
// saved program does not have yet takes them once it is saved
function itemMedia(item, program, media) {
  const name = item.exercise.name;
  const own = media.filter((m) => m.item_key && m.item_key === item.item_key);
  const shown = h(
    "div",
    { class: "media-row", "data-role": "item-media" },
    own.map((m) => h("img", { class: "media-thumb", src: m.thumbnail_url, alt: m.caption || `${m.kind === "video" ? "Video" : "Photo"}: ${name}`, width: "64", height: "54" })),
  );
  const saved = program && program.items.some((i) => i.item_key === item.item_key);
  return h(
    "div",
    { class: "field field-wide" },
    h("p", { class: "label" }, "Photos and videos for the patient"),
    shown,
    saved
      ? uploadControl(`/api/programs/${program.id}/items/${item.item_key}/media`, name, (added) => {
          media.push(added);
          shown.append(h("img", { class: "media-thumb", src: added.thumbnail_url, alt: added.caption || `${added.kind === "video" ? "Video" : "Photo"}: ${name}`, width: "64", height: "54" }));
        })
      : h("p", { class: "hint" }, "Save the program first, then add a photo or video of the patient doing it."),
  );
}

function itemEditor(item, index, items, { onChange, onMove, program, media }) {
  const headingId = nextId("item");
  const days = weekdayPicker(`weekdays-${headingId}`, item.weekdays ?? EVERY_DAY, "Days");
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
      h(
        "div",
        { class: "row" },
        illustration(item.exercise.illustration, item.exercise.name, { small: true }),
        h("h3", { id: headingId, tabindex: "-1" }, `${index + 1}. ${item.exercise.name}`),
      ),
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
      DOSE_NUMBERS.map(([name, label]) => numberField(label, item, name, onChange)),
      wide(field(
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
      )),
    ),
    days,
    itemMedia(item, program, media),
    field("Load or band (optional)", {
      type: "text",
      name: "load_note",
      value: item.load_note || "",
      ...limits("program_item", "load_note"),
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
          ...limits("program_item", "notes"),
          oninput: (e) => {
            item.notes = e.target.value;
          },
        },
        item.notes || "",
      ),
    ),
  );
}
