// Which days of the week: seven checkboxes as chips (Mon..Sun), read back as the API's bit
// mask (bit 0 = Monday) or as ISO weekdays (1 = Monday ... 7 = Sunday).

import { h } from "../dom.js";
import { WEEKDAYS, WEEKDAYS_LONG } from "../dates.js";
import { t } from "../i18n.js";

export const EVERY_DAY = 127;

export function maskOf(weekdays) {
  return (weekdays || [1, 2, 3, 4, 5, 6, 7]).reduce((mask, d) => mask | (1 << (d - 1)), 0);
}

export function weekdaysOf(mask) {
  return [1, 2, 3, 4, 5, 6, 7].filter((d) => mask & (1 << (d - 1)));
}

/** The picker; `mask` says which days start ticked. */
export function weekdayPicker(name, mask = EVERY_DAY, legend = t("weekday_picker.which_days")) {
  return h(
    "fieldset",
    { "data-field": name },
    h("legend", {}, legend),
    h(
      "div",
      { class: "weekdays" },
      WEEKDAYS.map((label, i) =>
        h(
          "label",
          { class: "chip" },
          h("input", {
            type: "checkbox",
            name,
            value: String(1 << i),
            checked: Boolean(mask & (1 << i)),
            "aria-label": WEEKDAYS_LONG[i],
          }),
          h("span", { "aria-hidden": "true" }, label),
        ),
      ),
    ),
  );
}

/** The ticked days of the picker `name` inside `scope`, as a bit mask (0 when none). */
export function maskFrom(scope, name) {
  return [...scope.querySelectorAll(`input[name="${name}"]:checked`)].reduce((m, el) => m | Number(el.value), 0);
}
