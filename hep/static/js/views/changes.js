// What changed in your program and why: each step moved on (or back), in plain words.

import { api } from "../api.js";
import { h } from "../dom.js";
import { dateTime } from "../dates.js";

export async function changes() {
  const found = await api.get("/api/program-changes");
  return h(
    "section",
    { class: "page" },
    h("p", {}, h("a", { href: "#/today" }, "← Today")),
    h("h1", { class: "page-title", tabindex: "-1" }, "What changed and why"),
    h("p", { class: "subtitle" }, "Your exercises move on when they get easy and back when they hurt."),
    found.length
      ? h(
          "ul",
          { class: "list card" },
          found.map((c) =>
            h(
              "li",
              { "data-role": "change" },
              h("strong", {}, c.direction === "progress" ? "Moved on" : "Stepped back"),
              h("span", { class: "muted small" }, ` · ${dateTime(c.decided_at)}${c.decided_by ? ` · by ${c.decided_by}` : ""}`),
              h("p", {}, c.words),
            ),
          ),
        )
      : h("p", { class: "empty" }, "Nothing has changed yet."),
  );
}
