// Today's cards about the care team: a therapist asking to join it (answered on the care team
// screen), and a discharge, said plainly while it lasts.

import { h } from "../dom.js";
import { dateTime } from "../dates.js";
import { t } from "../i18n.js";

/** The cards for GET /api/prompts' link requests and discharge. */
export function careCards(prompts) {
  const found = [];
  for (const r of prompts.link_requests || []) {
    found.push(
      h(
        "article",
        { class: "card prompt", "data-role": "link-request" },
        h("h3", {}, t("care.therapist_name_asks_to_join", { therapist_name: r.therapist_name })),
        h("p", {}, t("care.accept_only_if_you_know")),
        h("a", { class: "btn btn-primary btn-small", href: "#/care-team" }, t("care.answer")),
      ),
    );
  }
  const d = prompts.discharge;
  if (d) {
    found.push(
      h(
        "article",
        { class: "card prompt", "data-role": "discharged" },
        h("h3", {}, t("care.you_are_discharged")),
        h(
          "p",
          {},
          t("care.discharged_by_discharged_you_on", { discharged_by: d.discharged_by, dateTime: dateTime(d.discharged_at) }),
        ),
        h("a", { class: "btn btn-small", href: "#/care-team" }, t("care.your_care_team")),
      ),
    );
  }
  return found;
}
