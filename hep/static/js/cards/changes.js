// Today's word on the program moving on or back this week: what changed and why, in plain words.

import { h } from "../dom.js";
import { t } from "../i18n.js";

export function changesCard(changes) {
  if (!changes?.length) return null;
  return h(
    "div",
    { class: "banner", "data-role": "program-changes" },
    h("p", {}, h("strong", {}, changes.length === 1 ? t("changes_card.your_program_changed") : t("changes_card.your_program_changed_this_week"))),
    h("ul", { class: "small" }, changes.map((c) => h("li", {}, c.words))),
    h("p", { class: "small" }, h("a", { href: "#/changes" }, t("app.what_changed_and_why"))),
  );
}
