// The conversation between visits, on the therapist's page for one patient: the weekly
// check-ins with barrier counts over time beside adherence and the skip reasons summed up,
// outcome measures (their scores beside adherence, scheduling and stopping them), the message
// thread, and the printable summary. Each read is one request, made one after another.

import { api } from "../api.js";
import { busy, confirmDialog, field, h, showErrors, toast } from "../dom.js";
import { shortDay } from "../dates.js";
import { BARRIERS, SKIP_REASONS } from "../labels.js";
import { timeChart } from "../charts.js";
import { limits } from "../rules.js";
import { messageThread } from "./message-thread.js";
import { answersTable, dueText, scoreChart } from "./scores.js";
import { t } from "../i18n.js";

function totals(title, found, words) {
  const rows = Object.entries(found).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  return h(
    "div",
    {},
    h("h3", {}, title),
    rows.length
      ? h("ul", { class: "inline-list" }, rows.map(([code, n]) => h("li", {}, `${words[code] || code}: ${n}`)))
      : h("p", { class: "small muted" }, t("patient_conversation.none")),
  );
}

function reviewsSection(data) {
  const reviews = data.reviews;
  const share = (r) => (r.sessions_planned ? (100 * r.sessions_logged) / r.sessions_planned : null);
  return h(
    "div",
    { class: "card" },
    h("h2", {}, t("patient_conversation.weekly_check_ins")),
    reviews.length
      ? [
          timeChart({
            title: t("patient_conversation.logged_share_of_plan_and"),
            days: reviews.map((r) => r.week_end),
            bars: reviews.map(share),
            line: reviews.map((r) => r.confidence),
            barLabel: t("patient_conversation.sessions_logged_of_planned"),
            lineLabel: "Confidence (0–10)",
            height: 140,
          }),
          h(
            "div",
            { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("patient_conversation.weekly_check_ins_week_by") },
            h(
              "table",
              {},
              h("thead", {}, h("tr", {}, [t("patient_conversation.week_to"), t("patient_conversation.sessions"), t("patient_conversation.habits"), t("patient_conversation.confidence"), t("patient_conversation.in_way")].map((item) => h("th", { scope: "col" }, item)))),
              h(
                "tbody",
                {},
                [...reviews].reverse().map((r) =>
                  h(
                    "tr",
                    {},
                    h("td", {}, shortDay(r.week_end)),
                    h("td", {}, t("patient_conversation.sessions_done_said_sessions_logged", { sessions_done: r.sessions_done, sessions_logged: r.sessions_logged, sessions_planned: r.sessions_planned })),
                    h("td", {}, t("patient_conversation.habits_met_of_habits_planned", { habits_met: r.habits_met, habits_planned: r.habits_planned })),
                    h("td", {}, `${r.confidence}/10`),
                    h("td", {}, [r.barriers.map((b) => BARRIERS[b] || b).join(", "), r.barrier_note].filter(Boolean).join(": ") || "–"),
                  ),
                ),
              ),
            ),
          ),
        ]
      : h("p", { class: "muted" }, t("patient_conversation.no_weekly_check_ins_in")),
    totals(t("patient_conversation.named_as_getting_in_way"), data.barrier_counts, BARRIERS),
    totals(t("patient_conversation.sessions_skipped_by_reason"), data.skip_reasons, SKIP_REASONS),
  );
}

function scheduleForm(base, library, onDone) {
  const options = [
    ...library.built_in.map((m) => h("option", { value: m.instrument }, m.title)),
    ...library.own.map((q) => h("option", { value: `custom:${q.id}` }, q.title)),
  ];
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h3", {}, t("patient_conversation.schedule_measure")),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(t("patient_conversation.measure"), h("select", { name: "instrument" }, options), { name: "instrument" }),
    field(t("patient_conversation.every_how_many_weeks"), { type: "number", name: "every_weeks", value: "2", inputmode: "numeric", ...limits("measure_plan", "every_weeks") }),
    field(t("patient_conversation.first_due_baseline"), { type: "date", name: "first_due" }, { hint: t("patient_conversation.leave_empty_programs_start_or") }),
    h("button", { type: "submit", class: "btn" }, t("patient_conversation.schedule")),
    h("p", { class: "small" }, h("a", { href: "#/questionnaires" }, t("patient_conversation.build_your_own_questionnaire"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const [instrument, id] = String(data.get("instrument")).split(":");
    busy(form, async () => {
      try {
        await api.post(`${base}/measures`, {
          instrument,
          questionnaire_id: id || null,
          every_weeks: Number(data.get("every_weeks")),
          first_due: data.get("first_due") || null,
        });
        toast(t("patient_conversation.scheduled_patient_is_asked_on"), "success");
        onDone();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}

function measuresSection(base, data, library, reload) {
  const stop = (plan) =>
    h(
      "button",
      {
        type: "button",
        class: "btn btn-small btn-quiet",
        onclick: async () => {
          const sure = await confirmDialog({ title: t("patient_conversation.stop_title", { title: plan.measure.title }), body: t("patient_conversation.its_answers_stay"), confirm: t("patient_conversation.stop_it") });
          if (!sure) return;
          await api.del(`${base}/measures/${encodeURIComponent(plan.id)}`);
          reload();
        },
      },
      t("patient_conversation.stop"),
      h("span", { class: "visually-hidden" }, ` ${plan.measure.title}`),
    );
  return h(
    "div",
    { class: "card" },
    h("h2", {}, t("patient_conversation.outcome_measures")),
    data.plans.length
      ? data.plans.map((plan) =>
          h(
            "div",
            { class: "measure" },
            h("h3", {}, plan.measure.title, h("span", { class: "muted small" }, ` · ${t("patient_conversation.every_weeks", { count: plan.every_weeks })} · ${dueText(plan)}`)),
            scoreChart({ title: t("patient_conversation.title_beside_dose_done", { title: plan.measure.title }), weeks: data.weeks, responses: plan.responses, scoreLabel: plan.measure.score_label }),
            answersTable(plan),
            plan.ended ? null : stop(plan),
          ),
        )
      : h("p", { class: "muted" }, t("patient_conversation.none_scheduled")),
    scheduleForm(base, library, reload),
  );
}

/** The sections, loaded one request after another (each read is in the access log). */
export async function conversationSections(person, base) {
  const box = h("div", { class: "conversation" });
  const load = async () => {
    const reviews = await api.get(`${base}/weekly-reviews`);
    const measures = await api.get(`${base}/measures`);
    const library = await api.get("/api/questionnaires");
    const thread = await messageThread({ path: `${base}/messages`, title: t("patient_conversation.messages_with_name", { name: person.name }), empty: t("patient_conversation.no_messages_yet_name_sees", { name: person.name }) });
    box.replaceChildren(
      h("div", { class: "grid-2" }, h("div", {}, reviewsSection(reviews)), h("div", {}, measuresSection(base, measures, library, load))),
      h("div", { class: "card" }, h("h2", {}, t("patient_conversation.messages")), thread),
      h("p", {}, h("a", { class: "btn", href: `#/patients/${encodeURIComponent(person.id)}/summary` }, t("patient_conversation.progress_summary_to_print"))),
    );
  };
  await load();
  return box;
}
