// Today's cards about the care team: a therapist asking to join it (answered on the care team
// screen), and a discharge, said plainly while it lasts.

import { h } from "../dom.js";
import { dateTime } from "../dates.js";

/** The cards for GET /api/prompts' link requests and discharge. */
export function careCards(prompts) {
  const found = [];
  for (const r of prompts.link_requests || []) {
    found.push(
      h(
        "article",
        { class: "card prompt", "data-role": "link-request" },
        h("h3", {}, `${r.therapist_name} asks to join your care team`),
        h("p", {}, "Accept only if you know them: they would see your exercise and pain records."),
        h("a", { class: "btn btn-primary btn-small", href: "#/care-team" }, "Answer"),
      ),
    );
  }
  const d = prompts.discharge;
  if (d) {
    found.push(
      h(
        "article",
        { class: "card prompt", "data-role": "discharged" },
        h("h3", {}, "You are discharged"),
        h(
          "p",
          {},
          `${d.discharged_by} discharged you on ${dateTime(d.discharged_at)}. Your programs have ended and their reminders stopped. Your history stays; your own habits and reminders carry on.`,
        ),
        h("a", { class: "btn btn-small", href: "#/care-team" }, "Your care team"),
      ),
    );
  }
  return found;
}
