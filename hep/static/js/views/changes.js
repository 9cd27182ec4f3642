// What changed in your program and why: each step moved on (or back), in plain words.

import { api } from "../api.js";
import { h } from "../dom.js";
import { dateTime } from "../dates.js";
import { t } from "../i18n.js";

export async function changes() {
  const found = await api.get("/api/program-changes");
  return h(
    "section",
    { class: "page" },
    h("p", {}, h("a", { href: "#/today" }, t("exercise.today"))),
    h("h1", { class: "page-title", tabindex: "-1" }, t("app.what_changed_and_why")),
    h("p", { class: "subtitle" }, t("changes.your_exercises_move_on_when")),
    found.length
      ? h(
          "ul",
          { class: "list card" },
          found.map((c) =>
            h(
              "li",
              { "data-role": "change" },
              h("strong", {}, c.direction === "progress" ? t("changes.moved_on") : t("changes.stepped_back")),
              h("span", { class: "muted small" }, ` · ${dateTime(c.decided_at)}${c.decided_by ? ` · ${t("changes.by_name", { name: c.decided_by })}` : ""}`),
              h("p", {}, c.words),
            ),
          ),
        )
      : h("p", { class: "empty" }, t("changes.nothing_has_changed_yet")),
  );
}
