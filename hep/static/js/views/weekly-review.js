// The weekly check-in, on one screen: the week against the plan (counted from what was logged,
// and correctable), what got in the way, and confidence for next week; then when hep asks.

import { api } from "../api.js";
import { busy, field, h, nextId, replace, showErrors, toast } from "../dom.js";
import { WEEKDAYS_LONG, shortDay } from "../dates.js";
import { BARRIERS } from "../labels.js";
import { conversationRules, limits } from "../rules.js";
import { t } from "../i18n.js";

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
  return sessions === whole ? String(whole) : t("weekly_review.whole_and_half", { whole });
}

function confidenceScale(selected) {
  const words = { 0: t("weekly_review.not_at_all_sure"), 5: t("weekly_review.fairly_sure"), 10: t("weekly_review.completely_sure") };
  return h(
    "fieldset",
    { "data-field": "confidence" },
    h("legend", {}, t("weekly_review.how_sure_are_you_that")),
    h("p", { class: "hint" }, t("weekly_review.0_not_sure_at_all")),
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
    h("legend", {}, t("weekly_review.what_got_in_way_tick")),
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
    h("h2", {}, t("weekly_review.week_against_plan")),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    figures.sessions_planned
      ? countField(
          "sessions_done",
          t("weekly_review.exercise_sessions_you_did_sessions", { sessions_planned: figures.sessions_planned }),
          review ? review.sessions_done : logged,
          figures.sessions_planned,
          t("weekly_review.you_ticked_off_sessionstext_change", { sessionsText: sessionsText(figures.sessions_logged) }),
        )
      : null,
    figures.habits_planned
      ? countField(
          "habits_met",
          t("weekly_review.days_you_kept_to_your", { habits_planned: figures.habits_planned }),
          review ? review.habits_met : figures.habits_met,
          figures.habits_planned,
          t("weekly_review.you_ticked_off_habits_met", { habits_met: figures.habits_met }),
        )
      : null,
    barrierPicker(ticked),
    field(t("weekly_review.anything_to_add_optional"), note, { name: "barrier_note" }),
    confidenceScale(review ? review.confidence : null),
    h("button", { type: "submit", class: "btn btn-primary btn-block" }, review ? t("weekly_review.save_changes") : t("weekly_review.send_to_my_therapist")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    if (!data.get("confidence")) {
      showErrors(form, { message: t("weekly_review.choose_how_sure_you_are"), fields: { confidence: [t("weekly_review.choose_number_from_0_to")] } });
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
    h("h2", {}, t("weekly_review.when_hep_asks")),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    h(
      "div",
      { class: "field", dataset: { field: "weekday" } },
      h("label", { for: dayId }, t("weekly_review.day")),
      h(
        "select",
        { id: dayId, name: "weekday", value: String(schedule.weekday) },
        WEEKDAYS_LONG.map((name, i) => h("option", { value: String(i + 1) }, name)),
      ),
    ),
    field(t("weekly_review.time"), { type: "time", name: "time", value: schedule.time, required: true }),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "remind", checked: schedule.remind }), " ", t("weekly_review.remind_me_then")),
    h("button", { type: "submit", class: "btn" }, t("common.save")),
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
        toast(t("weekly_review.saved"), "success");
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
      h("p", {}, h("strong", {}, t("weekly_review.thank_you")), " ", t("weekly_review.your_therapist_will_see_how")),
      review.barriers.length ? h("p", { class: "small" }, t("weekly_review.talking_over_what_got_in")) : null,
    );
  const show = (saved) => {
    replace(body, saved ? thanks(saved) : null, reviewForm({ ...current, review: saved || current.review }, show));
    if (saved) body.querySelector(".banner")?.focus?.();
  };
  if (current.figures.planned) show(null);
  else replace(body, h("p", { class: "empty" }, t("weekly_review.nothing_was_planned_that_week")));
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, t("weekly_review.your_week")),
    h("p", { class: "subtitle" }, t("weekly_review.shortday_to_shortday2", { shortDay: shortDay(current.week_start), shortDay2: shortDay(current.week_end) })),
    current.review ? h("p", { class: "small muted" }, t("weekly_review.you_answered_this_week_already")) : null,
    body,
    scheduleForm(current.schedule),
  );
}
