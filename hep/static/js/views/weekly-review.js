// The weekly check-in, on one screen: the week against the plan (counted from what was logged,
// and correctable), what got in the way, and confidence for next week; then when hep asks.

import { api } from "../api.js";
import { busy, field, h, nextId, replace, showErrors, toast } from "../dom.js";
import { WEEKDAYS_LONG, shortDay } from "../dates.js";
import { BARRIERS } from "../labels.js";
import { conversationRules, limits } from "../rules.js";

function countField(name, label, value, max, hint) {
  return field(
    label,
    { type: "number", name, inputmode: "numeric", min: "0", max: String(max), step: "1", value: String(value) },
    { hint },
  );
}

/** "3", or "2 and a half" where a session was partly done. */
function sessionsText(sessions) {
  const whole = Math.floor(sessions);
  return sessions === whole ? String(whole) : `${whole} and a half`;
}

function confidenceScale(selected) {
  const words = { 0: "not at all sure", 5: "fairly sure", 10: "completely sure" };
  return h(
    "fieldset",
    { "data-field": "confidence" },
    h("legend", {}, "How sure are you that you can keep to the plan next week?"),
    h("p", { class: "hint" }, "0 = not sure at all · 10 = completely sure"),
    h(
      "div",
      { class: "scale chips" },
      Array.from({ length: 11 }, (_, v) =>
        h(
          "label",
          { class: "chip" },
          h("input", {
            type: "radio",
            name: "confidence",
            value: String(v),
            checked: selected === v,
            "aria-label": words[v] ? `${v}, ${words[v]}` : String(v),
          }),
          h("span", {}, String(v)),
        ),
      ),
    ),
  );
}

function barrierPicker(ticked) {
  return h(
    "fieldset",
    { "data-field": "barriers" },
    h("legend", {}, "What got in the way? (tick any)"),
    h(
      "div",
      { class: "chips" },
      conversationRules().barriers.map((code) =>
        h(
          "label",
          { class: "chip" },
          h("input", { type: "checkbox", name: "barriers", value: code, checked: ticked.has(code), dataset: { multi: "1" } }),
          h("span", {}, BARRIERS[code] || code),
        ),
      ),
    ),
  );
}

function reviewForm(current, onSaved) {
  const { figures, review } = current;
  const logged = Math.round(figures.sessions_logged);
  const ticked = new Set(review ? review.barriers : current.suggested_barriers);
  const note = h("textarea", { name: "barrier_note", rows: "2", maxlength: limits("weekly_review", "barrier_note").maxlength }, review?.barrier_note || "");
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, "The week against the plan"),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    figures.sessions_planned
      ? countField(
          "sessions_done",
          `Exercise sessions you did (${figures.sessions_planned} planned)`,
          review ? review.sessions_done : logged,
          figures.sessions_planned,
          `You ticked off ${sessionsText(figures.sessions_logged)}. Change it if you did more than you ticked off.`,
        )
      : null,
    figures.habits_planned
      ? countField(
          "habits_met",
          `Days you kept to your habits (${figures.habits_planned} planned)`,
          review ? review.habits_met : figures.habits_met,
          figures.habits_planned,
          `You ticked off ${figures.habits_met}.`,
        )
      : null,
    barrierPicker(ticked),
    field("Anything to add? (optional)", note, { name: "barrier_note" }),
    confidenceScale(review ? review.confidence : null),
    h("button", { type: "submit", class: "btn btn-primary btn-block" }, review ? "Save changes" : "Send to my therapist"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    if (!data.get("confidence")) {
      showErrors(form, { message: "Choose how sure you are.", fields: { confidence: ["Choose a number from 0 to 10."] } });
      return;
    }
    const body = {
      sessions_done: Number(data.get("sessions_done") ?? 0),
      habits_met: Number(data.get("habits_met") ?? 0),
      barriers: data.getAll("barriers"),
      barrier_note: data.get("barrier_note") || "",
      confidence: Number(data.get("confidence")),
    };
    busy(form, async () => {
      try {
        onSaved(await api.put(`/api/weekly-reviews/${current.week_end}`, body));
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}

function scheduleForm(schedule) {
  const dayId = nextId("day");
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, "When hep asks"),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    h(
      "div",
      { class: "field", dataset: { field: "weekday" } },
      h("label", { for: dayId }, "Day"),
      h(
        "select",
        { id: dayId, name: "weekday", value: String(schedule.weekday) },
        WEEKDAYS_LONG.map((name, i) => h("option", { value: String(i + 1) }, name)),
      ),
    ),
    field("Time", { type: "time", name: "time", value: schedule.time, required: true }),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "remind", checked: schedule.remind }), " Remind me then"),
    h("button", { type: "submit", class: "btn" }, "Save"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    busy(form, async () => {
      try {
        await api.put("/api/weekly-reviews/schedule", {
          weekday: Number(data.get("weekday")),
          time: data.get("time"),
          remind: data.get("remind") === "on",
        });
        toast("Saved.", "success");
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}

export async function weeklyReview() {
  const current = await api.get("/api/weekly-reviews/current");
  const body = h("div");
  const thanks = (review) =>
    h(
      "div",
      { class: "banner", role: "status" },
      h("p", {}, h("strong", {}, "Thank you."), " Your therapist will see how the week went."),
      review.barriers.length ? h("p", { class: "small" }, "Talking over what got in the way is what helps most.") : null,
    );
  const show = (saved) => {
    replace(body, saved ? thanks(saved) : null, reviewForm({ ...current, review: saved || current.review }, show));
    if (saved) body.querySelector(".banner")?.focus?.();
  };
  if (current.figures.planned) show(null);
  else replace(body, h("p", { class: "empty" }, "Nothing was planned that week, so there is nothing to look back on."));
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, "Your week"),
    h("p", { class: "subtitle" }, `${shortDay(current.week_start)} to ${shortDay(current.week_end)}`),
    current.review ? h("p", { class: "small muted" }, "You answered this week already; you can still change it.") : null,
    body,
    scheduleForm(current.schedule),
  );
}
