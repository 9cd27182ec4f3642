// One exercise: how to do it, its cautions, and a hold timer / rep counter whose count is
// logged as the dose done.

import { api } from "../api.js";
import { busy, h, nextId, showErrors, toast } from "../dom.js";
import { addDays, longDay, todayIn } from "../dates.js";
import { doseTarget, doseText, CATEGORIES } from "../labels.js";
import { currentUser } from "../session.js";
import { loadDay, remember, itemProgress } from "../day.js";
import { newId, saveCheckIn } from "../checkins.js";
import { holdTimer, repCounter } from "../timer.js";
import { navigate } from "../router.js";
import { editDays, limits } from "../rules.js";
import { pastWindowNote } from "../components/edit-window.js";
import { difficultyScale, painScale } from "../components/scales.js";
import { gallery, illustration, mediaFor, mediaOfDay } from "../components/media.js";
import { t } from "../i18n.js";

async function findEntry(user, key, day) {
  const state = await loadDay(user, day);
  const entry = state.entries.find((e) => e.kind === "item" && e.item_key === key);
  if (entry) return { state, entry };
  // not due that day: still show how to do it, from the program itself
  for (const program of await api.get("/api/programs")) {
    const item = program.items.find((i) => i.item_key === key);
    if (item) {
      return {
        state,
        entry: {
          kind: "item",
          item_key: key,
          program_id: program.id,
          exercise: item.exercise,
          dose: item,
          sessions_due: item.times_per_day,
        },
        notDue: true,
      };
    }
  }
  const error = new Error("This exercise is not in your program.");
  error.status = 404;
  throw error;
}

export async function exercise({ params, query }) {
  const user = currentUser();
  const todayDate = todayIn(user.timezone);
  const day = query.get("date") && query.get("date") <= todayDate ? query.get("date") : todayDate;
  // a day past the server's edit window: how to do it, and the timer, but nothing to log
  const readOnly = day < addDays(todayDate, -editDays());
  const { state, entry, notDue } = await findEntry(user, params.key, day);
  const media = entry.program_id ? await mediaOfDay([entry]) : null;
  const ex = entry.exercise;
  const dose = entry.dose;
  const target = doseTarget(dose);
  const back = day === todayDate ? "/today" : `/day/${day}`;
  const live = h("p", { class: "visually-hidden", "aria-live": "assertive" });
  const announce = (text) => {
    live.textContent = text;
  };

  const counted = { reps: 0, seconds: 0 };
  let holdsSeen = 0;
  const hold = dose.hold_seconds || dose.duration_seconds;
  const counter =
    target.unit === "reps"
      ? repCounter({
          target: target.amount,
          onChange: (n) => {
            counted.reps = n;
            syncAmount();
          },
        })
      : null;
  const timer = hold
    ? holdTimer({
        holdSeconds: hold,
        countsReps: Boolean(dose.reps),
        announce,
        onChange: ({ seconds, holds }) => {
          counted.seconds = seconds;
          // each finished hold is a rep; taps on the counter still count too
          if (counter && holds > holdsSeen) counter.set(counter.count + holds - holdsSeen);
          holdsSeen = holds;
          syncAmount();
        },
      })
    : null;

  const amountId = nextId("amount");
  const amount = h("input", {
    id: amountId,
    type: "number",
    name: "value",
    inputmode: "numeric",
    value: "0",
    ...limits("check_in", "value"),
  });
  function syncAmount() {
    amount.value = String(target.unit === "reps" ? counted.reps : counted.seconds);
  }

  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, t("exercise.log_this_session")),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    target.unit
      ? h(
          "div",
          { class: "field", "data-field": "value" },
          h("label", { for: amountId }, target.unit === "reps" ? t("exercise.reps_done") : t("exercise.seconds_done")),
          h("p", { class: "hint" }, t(target.unit === "reps" ? "exercise.counted_by_counter" : "exercise.counted_by_timer", { amount: target.amount })),
          amount,
        )
      : null,
    painScale(null),
    difficultyScale(null),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary" }, t("exercise.save_session"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form, async () => {
      const data = new FormData(form);
      const value = target.unit ? Number(data.get("value") || 0) : null;
      const body = {
        item_key: entry.item_key,
        local_date: day,
        state: target.amount && value !== null && value < target.amount ? "partial" : "done",
        value,
        pain: data.get("pain") === null ? null : Number(data.get("pain")),
        difficulty: data.get("difficulty") === null ? null : Number(data.get("difficulty")),
        source: "app",
      };
      try {
        const result = await saveCheckIn(newId(), body);
        remember(user, state, result.checkIn, { pending: result.queued });
        toast(
          body.state === "done" ? t("exercise.name_session_logged", { name: ex.name }) : t(target.unit === "reps" ? "exercise.partial_session_reps" : "exercise.partial_session_seconds", { name: ex.name, count: value }),
          "success",
        );
        navigate(back);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });

  const progress = notDue ? null : itemProgress(state, entry);
  return h(
    "section",
    { class: "page" },
    h("p", {}, h("a", { href: `#${back}` }, day === todayDate ? t("exercise.today") : t("exercise.back_to_day", { day: longDay(day) }))),
    h("h1", { class: "page-title", tabindex: "-1" }, ex.name),
    h("p", { class: "subtitle" }, doseText(dose), ex.category ? ` · ${CATEGORIES[ex.category] || ex.category}` : ""),
    progress
      ? h("p", {}, t(day === todayDate ? "exercise.sessions_done_today" : "exercise.sessions_done_that_day", { done: Math.min(progress.done, progress.due), count: progress.due }))
      : null,
    notDue ? h("p", { class: "banner" }, t("exercise.this_exercise_is_not_due")) : null,
    dose.notes ? h("p", { class: "banner" }, h("strong", {}, t("exercise.from_your_therapist"), " "), dose.notes) : null,
    ex.cautions?.length
      ? h(
          "div",
          { class: "cautions", role: "note" },
          h("strong", {}, t("exercise.take_care")),
          h("ul", {}, ex.cautions.map((c) => h("li", {}, c))),
        )
      : null,
    illustration(ex.illustration, ex.name),
    gallery(mediaFor(entry, media), ex.name),
    h("h2", {}, t("exercise.how_to_do_it")),
    ex.instructions?.length ? h("ol", { class: "steps" }, ex.instructions.map((s) => h("li", {}, s))) : h("p", { class: "muted" }, t("exercise.your_therapist_will_show_you")),
    ex.media_url
      ? h("p", {}, h("a", { href: ex.media_url, target: "_blank", rel: "noopener noreferrer" }, t("exercise.watch_demonstration_opens_another_site")))
      : null,
    timer || counter
      ? h(
          "div",
          { class: "card" },
          h("h2", {}, timer ? (dose.reps ? t("exercise.hold_timer_and_rep_counter") : t("exercise.timer")) : t("exercise.rep_counter")),
          timer ? timer.element : null,
          counter ? counter.element : null,
        )
      : null,
    readOnly ? pastWindowNote() : form,
    live,
  );
}
