// A patient's habits on their therapist's page: what each is and who chose it; the habits the
// care team suggested can be changed or stopped there, new ones suggested from the starters or
// made from scratch. A habit the patient chose stays theirs alone.

import { api } from "../api.js";
import { confirmDialog, disclosure, h, replace, toast } from "../dom.js";
import { HABIT_KINDS, habitTargetText } from "../labels.js";
import { navigate } from "../router.js";
import { habitForm } from "./habit-form.js";
import { t, words } from "../i18n.js";

const WORDS = words({
  title: "patient_habits.habits",
  none: "patient_habits.no_habits_yet",
  suggest: "patient_habits.suggest_habit",
  suggestThis: (name) => t("patient_habits.suggest_name", { name }),
  suggested: (name) => t("patient_habits.suggested_name", { name }),
  suggestButton: "patient_habits.suggest",
  submit: "patient_habits.suggest_habit_2",
  byTeam: "patient_habits.suggested_by_care_team",
  byPatient: "patient_habits.chosen_by_patient",
  change: "patient_habits.change",
  changeThis: (name) => ` ${name}`, // the button says "Change" and, to a screen reader, which habit
  save: "patient_habits.save_habit",
  stop: "patient_habits.stop",
  stopTitle: (name) => t("patient_habits.stop_name_for_this_patient", { name }),
  stopBody: "patient_habits.it_leaves_their_today_screen",
  stopped: (name) => t("patient_habits.stopped_name", { name }),
});

export function patientHabits(person, base, habits, starters) {
  const back = () => navigate(`/patients/${person.id}`);
  const have = new Set(habits.map((x) => x.name));
  const suggest = h("div", { hidden: true });
  const toggle = disclosure(suggest, null, WORDS.suggest);
  suggest.append(
    h(
      "ul",
      { class: "list card" },
      starters
        .filter((s) => !have.has(s.name))
        .map((s) =>
          h(
            "li",
            { class: "row spread" },
            h("span", {}, s.name),
            h(
              "button",
              {
                type: "button",
                class: "btn btn-small",
                "aria-label": WORDS.suggestThis(s.name),
                onclick: async () => {
                  const body = Object.fromEntries(
                    Object.entries(s).filter(([k, v]) => k !== "slug" && v !== null && v !== undefined),
                  );
                  try {
                    await api.post(`${base}/habits`, body);
                    toast(WORDS.suggested(s.name), "success");
                    back();
                  } catch (error) {
                    toast(error.message, "error");
                  }
                },
              },
              WORDS.suggestButton,
            ),
          ),
        ),
    ),
    habitForm({ path: `${base}/habits`, submitLabel: WORDS.submit, after: back }),
  );
  return h(
    "div",
    {},
    h("h2", {}, WORDS.title),
    habits.length ? h("ul", { class: "list card" }, habits.map((x) => habitRow(x, base, back))) : h("p", { class: "muted" }, WORDS.none),
    toggle,
    suggest,
  );
}

function habitRow(habit, base, back) {
  const box = h("div", { hidden: true });
  const path = `${base}/habits/${encodeURIComponent(habit.id)}`;
  const change = disclosure(
    box,
    () => {
      replace(box, habitForm({ path, current: habit, submitLabel: WORDS.save, after: back }));
      box.querySelector("input")?.focus();
    },
    WORDS.change,
    h("span", { class: "visually-hidden" }, WORDS.changeThis(habit.name)),
  );
  const stop = h(
    "button",
    {
      type: "button",
      class: "btn btn-small btn-quiet",
      onclick: async () => {
        const ok = await confirmDialog({ title: WORDS.stopTitle(habit.name), body: WORDS.stopBody, confirm: WORDS.stop });
        if (!ok) return;
        try {
          await api.del(path);
          toast(WORDS.stopped(habit.name));
          back();
        } catch (error) {
          toast(error.message, "error");
        }
      },
    },
    WORDS.stop,
    h("span", { class: "visually-hidden" }, WORDS.changeThis(habit.name)),
  );
  return h(
    "li",
    {},
    h("strong", {}, habit.name),
    h("br"),
    h(
      "span",
      { class: "small muted" },
      [HABIT_KINDS[habit.kind], habitTargetText(habit), habit.suggested ? WORDS.byTeam : WORDS.byPatient].filter(Boolean).join(" · "),
    ),
    habit.suggested ? h("div", { class: "row" }, change, stop) : null,
    box,
  );
}
