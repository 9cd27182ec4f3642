// What a patient logged lately, on their therapist's page: the check-ins grouped by day, and
// the changes to past days (a corrected or removed check-in, named with its day). Counting up
// a habit on its own day (a +1 tap) is logging, not a correction.

import { h } from "../dom.js";
import { dateTime, longDay } from "../dates.js";
import { describeCheckIn, diffText } from "./check-in-text.js";
import { t, words } from "../i18n.js";

const WORDS = words({
  checkIns: "recent_check_ins.recent_check_ins",
  noCheckIns: "recent_check_ins.no_check_ins_in_last",
  later: "recent_check_ins.sent_later",
  notification: "recent_check_ins.from_notification",
  corrections: "recent_check_ins.corrections",
  about: "recent_check_ins.check_ins_patient_changed_or",
  noCorrections: "recent_check_ins.no_corrections",
  removedItem: "recent_check_ins.exercise_or_habit_no_longer",
  day: (day) => t("recent_check_ins.for_longday", { longDay: longDay(day) }),
});
const DAYS_SHOWN = 14;
const CORRECTIONS_SHOWN = 30;

export function recentCheckIns(checkIns, nameOf) {
  const days = [...new Set(checkIns.map((c) => c.local_date))].sort().reverse().slice(0, DAYS_SHOWN);
  return h(
    "div",
    { class: "card" },
    h("h2", {}, WORDS.checkIns),
    days.length
      ? days.map((day) =>
          h(
            "section",
            { class: "day-group", "aria-label": longDay(day) },
            h("h3", { class: "day-title" }, longDay(day)),
            h(
              "ul",
              { class: "list" },
              checkIns
                .filter((c) => c.local_date === day)
                .map((c) =>
                  h(
                    "li",
                    {},
                    h("strong", {}, nameOf(c)),
                    h("br"),
                    h("span", { class: "small" }, describeCheckIn(c)),
                    c.source !== "app" ? h("span", { class: "badge" }, c.source === "offline" ? WORDS.later : WORDS.notification) : null,
                    c.note ? h("div", { class: "small muted" }, `“${c.note}”`) : null,
                  ),
                ),
            ),
          ),
        )
      : h("p", { class: "muted" }, WORDS.noCheckIns),
  );
}

export function corrections(edits) {
  const changes = edits.filter((e) => e.change === "corrected" || e.change === "removed");
  return h(
    "div",
    { class: "card" },
    h("h2", {}, WORDS.corrections),
    h("p", { class: "small muted" }, WORDS.about),
    changes.length
      ? h(
          "ul",
          { class: "list diff" },
          changes.slice(0, CORRECTIONS_SHOWN).map((e) =>
            h(
              "li",
              {},
              h("strong", {}, e.subject || WORDS.removedItem),
              " ",
              h("span", { class: "muted" }, WORDS.day(e.local_date)),
              h("br"),
              diffText(e),
              h("br"),
              h("span", { class: "small muted" }, dateTime(e.at)),
            ),
          ),
        )
      : h("p", { class: "muted" }, WORDS.noCorrections),
  );
}
