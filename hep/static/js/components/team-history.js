// Everyone who was ever on a patient's care team, newest first, and how each one's access
// ended: shown to the team on the patient's page and to the patient.

import { h } from "../dom.js";
import { dateTime } from "../dates.js";
import { t, words } from "../i18n.js";

const ENDINGS = words({
  left: "team_history.left_team",
  removed_by_patient: "team_history.removed_by_patient",
  removed_by_clinic: "team_history.removed_by_clinics_admin",
  left_clinic: "team_history.left_clinic",
  account_deleted: "team_history.account_deleted",
});

/** How a therapist's access ended, in words ("left the team on 3 March 2025, 10:04"). */
export function endingText(member) {
  if (!member.ended_at) return t("team_history.on_team_now");
  const how = ENDINGS[member.end_reason] || t("team_history.access_ended");
  return `${how} ${dateTime(member.ended_at)}`;
}

/** A disclosure listing the team's whole history. */
export function teamHistory(history) {
  if (!history.length) return null;
  return h(
    "details",
    { class: "small" },
    h("summary", {}, t("team_history.everyone_who_was_on_care")),
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
          h("span", { class: "muted" }, t("team_history.joined_datetime_endingtext", { dateTime: dateTime(m.since), endingText: endingText(m) })),
        ),
      ),
    ),
  );
}
