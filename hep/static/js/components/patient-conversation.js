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

function totals(title, found, words) {
  const rows = Object.entries(found).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  return h(
    "div",
    {},
    h("h3", {}, title),
    rows.length
      ? h("ul", { class: "inline-list" }, rows.map(([code, n]) => h("li", {}, `${words[code] || code}: ${n}`)))
      : h("p", { class: "small muted" }, "None."),
  );
}

function reviewsSection(data) {
  const reviews = data.reviews;
  const share = (r) => (r.sessions_planned ? (100 * r.sessions_logged) / r.sessions_planned : null);
  return h(
    "div",
    { class: "card" },
    h("h2", {}, "Weekly check-ins"),
    reviews.length
      ? [
          timeChart({
            title: "Logged share of the plan and confidence, week by week",
            days: reviews.map((r) => r.week_end),
            bars: reviews.map(share),
            line: reviews.map((r) => r.confidence),
            barLabel: "Sessions logged of planned",
            lineLabel: "Confidence (0–10)",
            height: 140,
          }),
          h(
            "div",
            { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Weekly check-ins, week by week" },
            h(
              "table",
              {},
              h("thead", {}, h("tr", {}, ["Week to", "Sessions", "Habits", "Confidence", "In the way"].map((t) => h("th", { scope: "col" }, t)))),
              h(
                "tbody",
                {},
                [...reviews].reverse().map((r) =>
                  h(
                    "tr",
                    {},
                    h("td", {}, shortDay(r.week_end)),
                    h("td", {}, `${r.sessions_done} said, ${r.sessions_logged} logged, of ${r.sessions_planned}`),
                    h("td", {}, `${r.habits_met} of ${r.habits_planned}`),
                    h("td", {}, `${r.confidence}/10`),
                    h("td", {}, [r.barriers.map((b) => BARRIERS[b] || b).join(", "), r.barrier_note].filter(Boolean).join(": ") || "–"),
                  ),
                ),
              ),
            ),
          ),
        ]
      : h("p", { class: "muted" }, "No weekly check-ins in the last 12 weeks."),
    totals("Named as getting in the way", data.barrier_counts, BARRIERS),
    totals("Sessions skipped, by reason", data.skip_reasons, SKIP_REASONS),
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
    h("h3", {}, "Schedule a measure"),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field("Measure", h("select", { name: "instrument" }, options), { name: "instrument" }),
    field("Every how many weeks", { type: "number", name: "every_weeks", value: "2", inputmode: "numeric", ...limits("measure_plan", "every_weeks") }),
    field("First due (the baseline)", { type: "date", name: "first_due" }, { hint: "Leave empty: the program's start, or today." }),
    h("button", { type: "submit", class: "btn" }, "Schedule"),
    h("p", { class: "small" }, h("a", { href: "#/questionnaires" }, "Build your own questionnaire")),
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
        toast("Scheduled: the patient is asked on the day it is due.", "success");
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
          const sure = await confirmDialog({ title: `Stop ${plan.measure.title}?`, body: "Its answers stay.", confirm: "Stop it" });
          if (!sure) return;
          await api.del(`${base}/measures/${encodeURIComponent(plan.id)}`);
          reload();
        },
      },
      "Stop",
      h("span", { class: "visually-hidden" }, ` ${plan.measure.title}`),
    );
  return h(
    "div",
    { class: "card" },
    h("h2", {}, "Outcome measures"),
    data.plans.length
      ? data.plans.map((plan) =>
          h(
            "div",
            { class: "measure" },
            h("h3", {}, plan.measure.title, h("span", { class: "muted small" }, ` · every ${plan.every_weeks} weeks · ${dueText(plan)}`)),
            scoreChart({ title: `${plan.measure.title} beside the dose done`, weeks: data.weeks, responses: plan.responses, scoreLabel: plan.measure.score_label }),
            answersTable(plan),
            plan.ended ? null : stop(plan),
          ),
        )
      : h("p", { class: "muted" }, "None scheduled."),
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
    const thread = await messageThread({ path: `${base}/messages`, title: `Messages with ${person.name}`, empty: `No messages yet. ${person.name} sees what you write here.` });
    box.replaceChildren(
      h("div", { class: "grid-2" }, h("div", {}, reviewsSection(reviews)), h("div", {}, measuresSection(base, measures, library, load))),
      h("div", { class: "card" }, h("h2", {}, "Messages"), thread),
      h("p", {}, h("a", { class: "btn", href: `#/patients/${encodeURIComponent(person.id)}/summary` }, "Progress summary to print")),
    );
  };
  await load();
  return box;
}
