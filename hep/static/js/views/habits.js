// Habits: the ones you keep (some suggested by your therapist), one-tap starters, your own.

import { api } from "../api.js";
import { busy, confirmDialog, field, h, nextId, showErrors, toast } from "../dom.js";
import { WEEKDAYS, WEEKDAYS_LONG, maskLabel } from "../dates.js";
import { HABIT_KINDS, habitTargetText } from "../labels.js";
import { navigate } from "../router.js";

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
  );
}

export function weekdayPicker(name, mask = 127, legend = "Which days?") {
  return h(
    "fieldset",
    { "data-field": name },
    h("legend", {}, legend),
    h(
      "div",
      { class: "weekdays" },
      WEEKDAYS.map((label, i) =>
        h(
          "label",
          { class: "chip" },
          h("input", {
            type: "checkbox",
            name,
            value: String(1 << i),
            checked: Boolean(mask & (1 << i)),
            "aria-label": WEEKDAYS_LONG[i],
          }),
          h("span", { "aria-hidden": "true" }, label),
        ),
      ),
    ),
  );
}

export function maskFrom(form, name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].reduce((m, el) => m | Number(el.value), 0);
}

/** The habit form, for a patient's own habits or a therapist's suggestion (path decides). */
export function habitForm({ path, after, submitLabel = "Add habit" }) {
  const kindId = nextId("kind");
  const typeName = nextId("type");
  const scheduleName = nextId("schedule");
  const numeric = h(
    "div",
    { class: "dose-grid", hidden: true },
    field("Target", { type: "number", name: "target", min: "0", step: "0.5", inputmode: "decimal" }),
    field("Unit", { type: "text", name: "unit", maxlength: "24", placeholder: "glasses" }),
  );
  const weekly = field("Times per week", { type: "number", name: "per_week", min: "1", max: "7", value: "3" });
  weekly.hidden = true;
  const days = weekdayPicker("weekdays");
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field("Name", { type: "text", name: "name", required: true, maxlength: "120", placeholder: "Stretch break after lunch" }),
    field(
      "Kind",
      h("select", { id: kindId, name: "kind" }, Object.entries(HABIT_KINDS).map(([v, l]) => h("option", { value: v }, l))),
    ),
    h(
      "fieldset",
      { "data-field": "direction" },
      h("legend", {}, "How do you track it?"),
      h(
        "div",
        { class: "chips" },
        [
          ["yes", "Done / not done"],
          ["at_least", "At least an amount"],
          ["at_most", "At most an amount"],
        ].map(([value, label]) =>
          h("label", { class: "chip" }, h("input", { type: "radio", name: typeName, value, checked: value === "yes" }), h("span", {}, label)),
        ),
      ),
    ),
    numeric,
    h(
      "fieldset",
      {},
      h("legend", {}, "When?"),
      h(
        "div",
        { class: "chips" },
        [
          ["days", "On chosen days"],
          ["weekly", "Some times a week"],
        ].map(([value, label]) =>
          h("label", { class: "chip" }, h("input", { type: "radio", name: scheduleName, value, checked: value === "days" }), h("span", {}, label)),
        ),
      ),
    ),
    days,
    weekly,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary" }, submitLabel)),
  );
  form.addEventListener("change", () => {
    const type = form.querySelector(`input[name="${typeName}"]:checked`).value;
    numeric.hidden = type === "yes";
    const schedule = form.querySelector(`input[name="${scheduleName}"]:checked`).value;
    days.hidden = schedule !== "days";
    weekly.hidden = schedule !== "weekly";
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const type = data.get(typeName);
    const body = { kind: data.get("kind"), name: (data.get("name") || "").trim() };
    if (type !== "yes") {
      body.direction = type;
      body.target = data.get("target") === "" ? null : Number(data.get("target"));
      body.unit = (data.get("unit") || "").trim();
    }
    if (data.get(scheduleName) === "weekly") body.per_week = Number(data.get("per_week"));
    else body.weekdays = maskFrom(form, "weekdays");
    busy(form, async () => {
      try {
        const habit = await api.post(path, body);
        toast(`Added: ${habit.name}`, "success");
        after(habit);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
