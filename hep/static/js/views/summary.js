// A progress summary to print, for a patient over a date range: the dose done and pain week by
// week, questionnaire scores, the weekly check-ins with what got in the way, and skipped
// sessions by reason. The print stylesheet leaves out everything but the summary.

import { api, query } from "../api.js";
import { h } from "../dom.js";
import { addDays, shortDay, todayIn } from "../dates.js";
import { navigate } from "../router.js";
import { currentUser } from "../session.js";
import { BARRIERS, SKIP_REASONS, percentText } from "../labels.js";
import { timeChart } from "../charts.js";
import { weeklyScores } from "../components/scores.js";

function table(caption, headers, rows) {
  return h(
    "div",
    { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption },
    h(
      "table",
      {},
      h("caption", { class: "visually-hidden" }, caption),
      h("thead", {}, h("tr", {}, headers.map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c ?? "–"))))),
    ),
  );
}

function counts(title, found, words) {
  const named = Object.entries(found).filter(([, n]) => n > 0);
  return h(
    "div",
    { class: "summary-block" },
    h("h3", {}, title),
    named.length
      ? h("ul", { class: "inline-list" }, named.map(([code, n]) => h("li", {}, `${words[code] || code}: ${n}`)))
      : h("p", { class: "muted" }, "None."),
  );
}

function rangeForm(start, end, base) {
  const form = h(
    "form",
    { class: "row no-print", "aria-label": "Dates" },
    h("label", {}, "From ", h("input", { type: "date", name: "start", value: start })),
    h("label", {}, "to ", h("input", { type: "date", name: "end", value: end })),
    h("button", { type: "submit", class: "btn btn-small" }, "Show"),
    h("button", { type: "button", class: "btn btn-primary btn-small", onclick: () => window.print() }, "Print"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    navigate(`${base}${query({ start: data.get("start"), end: data.get("end") })}`);
  });
  return form;
}

export async function summary({ params, query: args }) {
  const therapist = Boolean(params.id);
  const base = therapist ? `/patients/${encodeURIComponent(params.id)}/summary` : "/summary";
  const today = todayIn(currentUser().timezone);
  const end = args.get("end") || today;
  const start = args.get("start") || addDays(end, -83);
  const data = await api.get(`/api${base}${query({ start, end })}`);
  const weeks = data.adherence.weeks;
  const days = weeks.map((w) => w.week_start);
  return h(
    "section",
    { class: "page summary-page" },
    therapist ? h("p", { class: "no-print" }, h("a", { href: `#/patients/${encodeURIComponent(params.id)}` }, "← Back to the patient")) : null,
    h("h1", { class: "page-title", tabindex: "-1" }, `Progress summary: ${data.patient.name}`),
    h("p", { class: "subtitle" }, `${shortDay(data.start)} to ${shortDay(data.end)} · made ${shortDay(data.generated_at.slice(0, 10))}`),
    rangeForm(data.start, data.end, base),
    h(
      "section",
      { class: "summary-block" },
      h("h2", {}, "Program done, week by week"),
      h(
        "p",
        {},
        data.adherence.percent === null
          ? "Nothing prescribed in this range could be counted yet."
          : `Over the whole range: ${percentText(data.adherence.percent)} of the prescribed dose done.`,
      ),
      weeks.length
        ? timeChart({ title: "Dose done and pain, week by week", days, bars: weeks.map((w) => w.percent), line: weeks.map((w) => w.pain), barLabel: "Dose done", lineLabel: "Pain (0–10)" })
        : null,
      table("Week by week", ["Week of", "Dose done", "Pain"], weeks.map((w) => [shortDay(w.week_start), percentText(w.percent), w.pain])),
    ),
    h(
      "section",
      { class: "summary-block" },
      h("h2", {}, "Questionnaires"),
      data.measures.length
        ? data.measures.map((m) =>
            h(
              "div",
              {},
              h("h3", {}, m.title),
              m.score_label ? h("p", { class: "small muted" }, m.score_label) : null,
              m.score_label && m.points.length
                ? timeChart({ title: `${m.title} beside the dose done`, days, bars: weeks.map((w) => w.percent), line: weeklyScores(weeks, m.points), barLabel: "Dose done", lineLabel: "Score" })
                : null,
              table(m.title, ["Due", "Answered", "Score"], m.points.map((p) => [shortDay(p.due_on), shortDay(p.answered_on), p.score])),
            ),
          )
        : h("p", { class: "muted" }, "No questionnaires answered in this range."),
    ),
    h(
      "section",
      { class: "summary-block" },
      h("h2", {}, "Weekly check-ins"),
      data.reviews.length
        ? table(
            "Weekly check-ins",
            ["Week to", "Sessions (logged / said / planned)", "Habit days (met / planned)", "Confidence", "In the way"],
            data.reviews.map((r) => [
              shortDay(r.week_end),
              `${r.sessions_logged} / ${r.sessions_done} / ${r.sessions_planned}`,
              `${r.habits_met} / ${r.habits_planned}`,
              `${r.confidence}/10`,
              [r.barriers.map((b) => BARRIERS[b] || b).join(", "), r.barrier_note].filter(Boolean).join(": "),
            ]),
          )
        : h("p", { class: "muted" }, "No weekly check-ins in this range."),
      counts("What got in the way, in all", data.barrier_counts, BARRIERS),
      counts("Sessions skipped, by reason", data.skip_reasons, SKIP_REASONS),
    ),
  );
}
