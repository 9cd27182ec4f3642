// Habits: the ones you keep (some suggested by your therapist), changed or stopped; one-tap
// starters; your own.

import { api } from "../api.js";
import { confirmDialog, h, replace, toast } from "../dom.js";
import { maskLabel } from "../dates.js";
import { HABIT_KINDS, habitTargetText } from "../labels.js";
import { navigate } from "../router.js";
import { habitForm } from "../components/habit-form.js";

const WORDS = {
  change: "Change",
  save: "Save habit",
};

export async function habits() {
  const [mine, starters] = await Promise.all([api.get("/api/habits"), api.get("/api/habits/starters")]);
  const names = new Set(mine.map((hb) => hb.name));
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, "Habits"),
    h("p", { class: "subtitle" }, "Small daily habits — sleep, water, movement breaks — ease muscle tension."),
    h("h2", {}, "Your habits"),
    mine.length
      ? h("ul", { class: "list card" }, mine.map((habit) => habitRow(habit)))
      : h("p", { class: "muted" }, "No habits yet. Pick a starter below or make your own."),
    h("h2", {}, "Starters"),
    h(
      "ul",
      { class: "list card" },
      starters.map((s) =>
        h(
          "li",
          { class: "row spread" },
          h("span", {}, h("strong", {}, s.name), h("br"), h("span", { class: "small muted" }, describe(s))),
          names.has(s.name)
            ? h("span", { class: "badge badge-ok" }, "Added")
            : h(
                "button",
                {
                  type: "button",
                  class: "btn btn-small",
                  "aria-label": `Add ${s.name}`,
                  onclick: async (event) => {
                    event.currentTarget.disabled = true;
                    try {
                      await api.post(`/api/habits/starters/${encodeURIComponent(s.slug)}`);
                      toast(`Added: ${s.name}`, "success");
                      navigate("/habits");
                    } catch (error) {
                      toast(error.message, "error");
                      event.currentTarget.disabled = false;
                    }
                  },
                },
                "Add",
              ),
        ),
      ),
    ),
    h("h2", {}, "Make your own"),
    habitForm({ path: "/api/habits", after: () => navigate("/habits") }),
  );
}

function describe(habit) {
  const target = habitTargetText(habit);
  const when = habit.per_week ? `${habit.per_week}× a week` : maskLabel(habit.weekdays ?? 127);
  return [HABIT_KINDS[habit.kind] || habit.kind, target, when].filter(Boolean).join(" · ");
}

function habitRow(habit) {
  const box = h("div", { class: "grow-full", hidden: true });
  const change = h(
    "button",
    {
      type: "button",
      class: "btn btn-small",
      "aria-expanded": "false",
      onclick: () => {
        box.hidden = !box.hidden;
        change.setAttribute("aria-expanded", String(!box.hidden));
        if (!box.hidden) {
          const path = `/api/habits/${encodeURIComponent(habit.id)}`;
          replace(box, habitForm({ path, current: habit, submitLabel: WORDS.save, after: () => navigate("/habits") }));
          box.querySelector("input")?.focus();
        }
      },
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
      habit.suggested ? h("span", { class: "badge" }, " suggested by your therapist") : null,
      h("br"),
      h("span", { class: "small muted" }, describe(habit)),
    ),
    change,
    h(
      "button",
      {
        type: "button",
        class: "btn btn-small btn-quiet",
        "aria-label": `Stop tracking ${habit.name}`,
        onclick: async () => {
          const ok = await confirmDialog({
            title: `Stop tracking “${habit.name}”?`,
            body: "Its history stays in your records and charts.",
            confirm: "Stop tracking",
          });
          if (!ok) return;
          try {
            await api.del(`/api/habits/${habit.id}`);
            toast("Habit stopped.");
            navigate("/habits");
          } catch (error) {
            toast(error.message, "error");
          }
        },
      },
      "Stop",
    ),
    box,
  );
}
