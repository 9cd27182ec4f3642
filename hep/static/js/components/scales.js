// The pain scale (0-10) and the difficulty scale (1-5): real radio buttons that look like
// chips, one group per question, arrow keys walking the choices.

import { h } from "../dom.js";
import { DIFFICULTY } from "../labels.js";

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

export function painScale(selected, legend = "Pain during it (0 = none, 10 = worst)") {
  const words = { 0: "no pain", 5: "moderate", 10: "worst imaginable" };
  const labels = Object.fromEntries(
    Array.from({ length: 11 }, (_, i) => [i, words[i] || (i < 5 ? "mild" : "strong")]),
  );
  return scale("pain", legend, [...Array(11).keys()], labels, selected);
}

export function difficultyScale(selected) {
  return scale("difficulty", "How hard was it?", [1, 2, 3, 4, 5], DIFFICULTY, selected);
}
