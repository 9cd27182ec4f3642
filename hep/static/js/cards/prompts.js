// Today's cards for what hep asks besides exercises and habits: the care team's (link requests,
// a discharge), the week to look back on (on and after the patient's review day),
// questionnaires due, and messages not read yet. They come in after the day's list, and
// offline they are simply not there.

import { api } from "../api.js";
import { h, replace } from "../dom.js";
import { shortDay } from "../dates.js";
import { careCards } from "./care.js";
import { t } from "../i18n.js";

function card(title, text, href, action) {
  return h(
    "article",
    { class: "card prompt" },
    h("h3", {}, title),
    h("p", {}, text),
    h("a", { class: "btn btn-primary btn-small", href }, action),
  );
}

function cards(prompts) {
  const found = careCards(prompts);
  const week = prompts.weekly_review;
  if (week.planned && !week.answered) {
    found.push(
      card(
        t("prompts.how_did_your_week_go"),
        t("prompts.two_minutes_to_look_back", { shortDay: shortDay(week.week_end) }),
        "#/weekly-review",
        t("prompts.look_back_on_week"),
      ),
    );
  }
  for (const measure of prompts.measures_due) {
    found.push(
      card(
        measure.title,
        t("prompts.short_questionnaire_from_your_therapist", { shortDay: shortDay(measure.due_on) }),
        `#/measures/${encodeURIComponent(measure.plan_id)}`,
        t("prompts.answer_it"),
      ),
    );
  }
  if (prompts.unread_messages) {
    const n = prompts.unread_messages;
    found.push(
      card(
        n === 1 ? t("prompts.new_message") : t("prompts.n_new_messages", { n }),
        t("prompts.your_care_team_wrote_to"),
        "#/messages",
        t("prompts.read"),
      ),
    );
  }
  return found;
}

/** A section that fills itself with the cards once GET /api/prompts answers. */
export function promptCards() {
  const box = h("section", { "aria-label": t("prompts.asked_of_you"), class: "prompts" });
  api
    .get("/api/prompts")
    .then((prompts) => replace(box, cards(prompts)))
    .catch(() => box.remove());
  return box;
}
