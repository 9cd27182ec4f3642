// A patient's reminders on their therapist's page: what each is about and when, its pause and
// what happened to each occurrence; and a reminder to propose, which the patient can change or
// delete like their own.

import { disclosure, h, replace } from "../dom.js";
import { navigate } from "../router.js";
import { historyToggle } from "./reminder-history.js";
import { reminderForm } from "./reminder-form.js";
import { ruleText } from "./rule-text.js";
import { t, words } from "../i18n.js";

const WORDS = words({
  title: "patient_reminders.reminders",
  none: "patient_reminders.patient_has_no_reminders_set",
  propose: "patient_reminders.propose_reminder",
  habit: "patient_reminders.habit",
  program: "patient_reminders.program",
  review: "patient_reminders.weekly_check_in",
  measure: "patient_reminders.questionnaires",
  general: "patient_reminders.general",
  fromYou: "patient_reminders.proposed_by_care_team",
  paused: (until, reason) =>
    reason ? t("patient_reminders.paused_until_why", { until, reason }) : t("patient_reminders.paused_until", { until }),
});

export function patientReminders(person, base, reminders, programs, habits) {
  if (!reminders) return null;
  const target = (r) => {
    if (r.target?.kind === "habit") return habits.find((x) => x.id === r.target.habit_id)?.name || WORDS.habit;
    if (r.target?.kind === "program") return programs.find((p) => p.id === r.target.program_id)?.title || WORDS.program;
    if (r.target?.kind === "review") return WORDS.review;
    if (r.target?.kind === "measure") return WORDS.measure;
    return WORDS.general;
  };
  const box = h("div", { hidden: true });
  const propose = disclosure(
    box,
    () => {
      replace(
        box,
        reminderForm({
          programs: programs.filter((p) => !p.archived_at),
          habits,
          path: `${base}/reminders`,
          proposing: true,
          cancelHref: `#/patients/${encodeURIComponent(person.id)}`,
          after: () => navigate(`/patients/${person.id}`),
        }),
      );
      box.querySelector("input, select")?.focus();
    },
    WORDS.propose,
  );
  return h(
    "div",
    { class: "card" },
    h("h2", {}, WORDS.title),
    reminders.length
      ? h(
          "ul",
          { class: "list" },
          reminders.map((r) => {
            // what the dispatcher decided each time, on the patient's clock
            const history = historyToggle({
              path: `${base}/reminders/${encodeURIComponent(r.id)}/history`,
              timeZone: person.timezone,
              title: r.label || target(r),
              level: "h3",
            });
            return h(
              "li",
              {},
              h("strong", {}, r.label || target(r)),
              h("div", { class: "small muted" }, [target(r), ruleText(r.rule), r.proposed_by_therapist ? WORDS.fromYou : null].filter(Boolean).join(" · ")),
              r.paused_until ? h("span", { class: "badge badge-warn" }, WORDS.paused(r.paused_until, r.pause_reason)) : null,
              h("div", { class: "row" }, history.button),
              history.box,
            );
          }),
        )
      : h("p", { class: "muted" }, WORDS.none),
    propose,
    box,
  );
}
