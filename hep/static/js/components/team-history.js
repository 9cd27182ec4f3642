// Everyone who was ever on a patient's care team, newest first, and how each one's access
// ended: shown to the team on the patient's page and to the patient.

import { h } from "../dom.js";
import { dateTime } from "../dates.js";

const ENDINGS = {
  left: "left the team",
  removed_by_patient: "removed by the patient",
  removed_by_clinic: "removed by the clinic's admin",
  left_clinic: "left the clinic",
  account_deleted: "account deleted",
};

/** How a therapist's access ended, in words ("left the team on 3 March 2025, 10:04"). */
export function endingText(member) {
  if (!member.ended_at) return "on the team now";
  const how = ENDINGS[member.end_reason] || "access ended";
  return `${how} ${dateTime(member.ended_at)}`;
}

/** A disclosure listing the team's whole history. */
export function teamHistory(history) {
  if (!history.length) return null;
  return h(
    "details",
    { class: "small" },
    h("summary", {}, "Everyone who was on the care team"),
    h(
      "ul",
      { class: "list" },
      history.map((m) =>
        h(
          "li",
          {},
          h("strong", {}, m.name),
          m.clinic_name ? ` (${m.clinic_name})` : "",
          h("br"),
          h("span", { class: "muted" }, `Joined ${dateTime(m.since)} · ${endingText(m)}`),
        ),
      ),
    ),
  );
}
