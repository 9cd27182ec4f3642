// One exercise of a program or template being built: its dose (each number marked while the
// server would refuse it), weekdays, load and note, its order among the others, and (a saved
// program's item) the patient's photos and videos, and what it does in a pause and its steps.

import { field, h, nextId } from "../dom.js";
import { SIDES } from "../labels.js";
import { limits } from "../rules.js";
import { DOSE_NUMBERS, doseProblems } from "./program-estimate.js";
import { EVERY_DAY, maskFrom, weekdayPicker } from "./weekday-picker.js";
import { illustration, uploadControl } from "./media.js";
import { itemCare } from "./item-care.js";
import { t } from "../i18n.js";

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
    own.map((m) => h("img", { class: "media-thumb", src: m.thumbnail_url, alt: m.caption || t(m.kind === "video" ? "media.video_of" : "media.photo_of", { name }), width: "64", height: "54" })),
  );
  const saved = program && program.items.some((i) => i.item_key === item.item_key);
  return h(
    "div",
    { class: "field field-wide" },
    h("p", { class: "label" }, t("item_editor.photos_and_videos_for_patient")),
    shown,
    saved
      ? uploadControl(`/api/programs/${program.id}/items/${item.item_key}/media`, name, (added) => {
          media.push(added);
          shown.append(h("img", { class: "media-thumb", src: added.thumbnail_url, alt: added.caption || t(added.kind === "video" ? "media.video_of" : "media.photo_of", { name }), width: "64", height: "54" }));
        })
      : h("p", { class: "hint" }, t("item_editor.save_program_first_then_add")),
  );
}

/**
 * The editor of items[index]; onChange after a value changes, onMove(focusIndex) after the
 * list changed; `media` is false for a template (its items have no photos of a patient);
 * `care`: a program's item, kept in a pause or not, with its steps.
 */
export function itemEditor(item, index, items, { onChange, onMove, program, media, care = false }) {
  const headingId = nextId("item");
  const days = weekdayPicker(`weekdays-${headingId}`, item.weekdays ?? EVERY_DAY, t("item_editor.days"));
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
        h("button", { type: "button", class: "btn btn-small", "aria-label": t("item_editor.move_name_up", { name: item.exercise.name }), disabled: index === 0, onclick: () => move(-1) }, "↑"),
        h("button", { type: "button", class: "btn btn-small", "aria-label": t("item_editor.move_name_down", { name: item.exercise.name }), disabled: index === items.length - 1, onclick: () => move(1) }, "↓"),
        h(
          "button",
          {
            type: "button",
            class: "btn btn-small btn-quiet",
            "aria-label": t("item_editor.remove_name", { name: item.exercise.name }),
            onclick: () => {
              items.splice(index, 1);
              onMove(Math.max(0, index - 1));
            },
          },
          t("common.remove"),
        ),
      ),
    ),
    h(
      "div",
      { class: "dose-grid" },
      DOSE_NUMBERS.map(([name, label]) => numberField(t(label), item, name, onChange)),
      wide(field(
        t("item_editor.side"),
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
    media === false ? null : itemMedia(item, program, media),
    care ? itemCare(item) : null,
    field(t("item_editor.load_or_band_optional"), {
      type: "text",
      name: "load_note",
      value: item.load_note || "",
      ...limits("program_item", "load_note"),
      oninput: (e) => {
        item.load_note = e.target.value;
      },
    }),
    field(
      t("item_editor.note_for_patient_optional"),
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
