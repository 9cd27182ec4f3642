// Today's word on the program moving on or back this week: what changed and why, in plain words.

import { h } from "../dom.js";

export function changesCard(changes) {
  if (!changes?.length) return null;
  return h(
    "div",
    { class: "banner", "data-role": "program-changes" },
    h("p", {}, h("strong", {}, changes.length === 1 ? "Your program changed" : "Your program changed this week")),
    h("ul", { class: "small" }, changes.map((c) => h("li", {}, c.words))),
    h("p", { class: "small" }, h("a", { href: "#/changes" }, "What changed and why")),
  );
}
