// The pain scale (0-10) and the difficulty scale (1-5): real radio buttons that look like
// chips, one group per question, arrow keys walking the choices.

import { h } from "../dom.js";
import { DIFFICULTY } from "../labels.js";
import { t } from "../i18n.js";

function scale(name, legend, values, labels, selected) {
  return h(
    "fieldset",
    { "data-field": name },
    h("legend", {}, legend),
    h(
      "div",
      { class: name === "pain" ? "scale chips" : "chips" },
      values.map((v) =>
        h(
          "label",
          { class: "chip" },
          h("input", {
            type: "radio",
            name,
            value: String(v),
            checked: selected !== null && selected !== undefined && Number(selected) === v,
            "aria-label": labels ? `${v}, ${labels[v]}` : null,
          }),
          h("span", {}, labels && name !== "pain" ? labels[v] : String(v)),
        ),
      ),
    ),
  );
}

export function painScale(selected, legend = t("scales.pain_during_it_0_none")) {
  const named = { 0: t("scales.no_pain"), 5: t("scales.moderate"), 10: t("scales.worst_imaginable") };
  const labels = Object.fromEntries(
    Array.from({ length: 11 }, (_, i) => [i, named[i] || (i < 5 ? t("scales.mild") : t("scales.strong"))]),
  );
  return scale("pain", legend, [...Array(11).keys()], labels, selected);
}

export function difficultyScale(selected) {
  return scale("difficulty", t("scales.how_hard_was_it"), [1, 2, 3, 4, 5], DIFFICULTY, selected);
}
