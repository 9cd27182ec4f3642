// Today's cards for what hep asks besides exercises and habits: the care team's (link requests,
// a discharge), the week to look back on (on and after the patient's review day),
// questionnaires due, and messages not read yet. They come in after the day's list, and
// offline they are simply not there.

import { api } from "../api.js";
import { h, replace } from "../dom.js";
import { shortDay } from "../dates.js";
import { careCards } from "./care.js";

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
        "How did your week go?",
        `Two minutes to look back on the week up to ${shortDay(week.week_end)}: what you did, and what got in the way.`,
        "#/weekly-review",
        "Look back on the week",
      ),
    );
  }
  for (const measure of prompts.measures_due) {
    found.push(
      card(
        measure.title,
        `A short questionnaire from your therapist, due since ${shortDay(measure.due_on)}.`,
        `#/measures/${encodeURIComponent(measure.plan_id)}`,
        "Answer it",
      ),
    );
  }
  if (prompts.unread_messages) {
    const n = prompts.unread_messages;
    found.push(
      card(
        n === 1 ? "A new message" : `${n} new messages`,
        "Your care team wrote to you.",
        "#/messages",
        "Read",
      ),
    );
  }
  return found;
}

/** A section that fills itself with the cards once GET /api/prompts answers. */
export function promptCards() {
  const box = h("section", { "aria-label": "Asked of you", class: "prompts" });
  api
    .get("/api/prompts")
    .then((prompts) => replace(box, cards(prompts)))
    .catch(() => box.remove());
  return box;
}
