// Habits: the ones you keep (some suggested by your therapist), changed or stopped; one-tap
// starters; your own.

import { api } from "../api.js";
import { confirmDialog, disclosure, h, replace, toast } from "../dom.js";
import { maskLabel } from "../dates.js";
import { HABIT_KINDS, habitTargetText } from "../labels.js";
import { navigate } from "../router.js";
import { habitForm } from "../components/habit-form.js";
import { t, words } from "../i18n.js";

const WORDS = words({
  change: "habits.change",
  save: "habits.save_habit",
});

export async function habits() {
  const [mine, starters] = await Promise.all([api.get("/api/habits"), api.get("/api/habits/starters")]);
  const names = new Set(mine.map((hb) => hb.name));
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, t("habits.habits")),
    h("p", { class: "subtitle" }, t("habits.small_daily_habits_sleep_water")),
    h("h2", {}, t("habits.your_habits")),
    mine.length
      ? h("ul", { class: "list card" }, mine.map((habit) => habitRow(habit)))
      : h("p", { class: "muted" }, t("habits.no_habits_yet_pick_starter")),
    h("h2", {}, t("habits.starters")),
    h(
      "ul",
      { class: "list card" },
      starters.map((s) =>
        h(
          "li",
          { class: "row spread" },
          h("span", {}, h("strong", {}, s.name), h("br"), h("span", { class: "small muted" }, describe(s))),
          names.has(s.name)
            ? h("span", { class: "badge badge-ok" }, t("habits.added"))
            : h(
                "button",
                {
                  type: "button",
                  class: "btn btn-small",
                  "aria-label": t("habits.add_name", { name: s.name }),
                  onclick: async (event) => {
                    event.currentTarget.disabled = true;
                    try {
                      await api.post(`/api/habits/starters/${encodeURIComponent(s.slug)}`);
                      toast(t("habits.added_name", { name: s.name }), "success");
                      navigate("/habits");
                    } catch (error) {
                      toast(error.message, "error");
                      event.currentTarget.disabled = false;
                    }
                  },
                },
                t("common.add"),
              ),
        ),
      ),
    ),
    h("h2", {}, t("habits.make_your_own")),
    habitForm({ path: "/api/habits", after: () => navigate("/habits") }),
  );
}

function describe(habit) {
  const target = habitTargetText(habit);
  const when = habit.per_week ? t("habits.per_week_week", { per_week: habit.per_week }) : maskLabel(habit.weekdays ?? 127);
  return [HABIT_KINDS[habit.kind] || habit.kind, target, when].filter(Boolean).join(" · ");
}

function habitRow(habit) {
  const box = h("div", { class: "grow-full", hidden: true });
  const change = disclosure(
    box,
    () => {
      const path = `/api/habits/${encodeURIComponent(habit.id)}`;
      replace(box, habitForm({ path, current: habit, submitLabel: WORDS.save, after: () => navigate("/habits") }));
      box.querySelector("input")?.focus();
    },
    WORDS.change,
    h("span", { class: "visually-hidden" }, ` ${habit.name}`),
  );
  return h(
    "li",
    { class: "row spread" },
    h(
      "span",
      {},
      h("strong", {}, habit.name),
      habit.suggested ? h("span", { class: "badge" }, " ", t("habits.suggested_by_your_therapist")) : null,
      h("br"),
      h("span", { class: "small muted" }, describe(habit)),
    ),
    change,
    h(
      "button",
      {
        type: "button",
        class: "btn btn-small btn-quiet",
        "aria-label": t("habits.stop_tracking_name", { name: habit.name }),
        onclick: async () => {
          const ok = await confirmDialog({
            title: t("habits.stop_tracking_name_2", { name: habit.name }),
            body: t("habits.its_history_stays_in_your"),
            confirm: t("habits.stop_tracking"),
          });
          if (!ok) return;
          try {
            await api.del(`/api/habits/${habit.id}`);
            toast(t("habits.habit_stopped"));
            navigate("/habits");
          } catch (error) {
            toast(error.message, "error");
          }
        },
      },
      t("habits.stop"),
    ),
    box,
  );
}
