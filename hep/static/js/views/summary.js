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
import { t } from "../i18n.js";

function table(caption, headers, rows) {
  return h(
    "div",
    { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption },
    h(
      "table",
      {},
      h("caption", { class: "visually-hidden" }, caption),
      h("thead", {}, h("tr", {}, headers.map((item) => h("th", { scope: "col" }, item)))),
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
      : h("p", { class: "muted" }, t("summary.none")),
  );
}

function rangeForm(start, end, base) {
  const form = h(
    "form",
    { class: "row no-print", "aria-label": t("summary.dates") },
    h("label", {}, t("summary.from"), " ", h("input", { type: "date", name: "start", value: start })),
    h("label", {}, t("summary.to"), " ", h("input", { type: "date", name: "end", value: end })),
    h("button", { type: "submit", class: "btn btn-small" }, t("summary.show")),
    h("button", { type: "button", class: "btn btn-primary btn-small", onclick: () => window.print() }, t("summary.print")),
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
    therapist ? h("p", { class: "no-print" }, h("a", { href: `#/patients/${encodeURIComponent(params.id)}` }, t("summary.back_to_patient"))) : null,
    h("h1", { class: "page-title", tabindex: "-1" }, t("summary.progress_summary_name", { name: data.patient.name })),
    h("p", { class: "subtitle" }, t("summary.shortday_to_shortday2_made_shortday3", { shortDay: shortDay(data.start), shortDay2: shortDay(data.end), shortDay3: shortDay(data.generated_at.slice(0, 10)) })),
    rangeForm(data.start, data.end, base),
    h(
      "section",
      { class: "summary-block" },
      h("h2", {}, t("summary.program_done_week_by_week")),
      h(
        "p",
        {},
        data.adherence.percent === null
          ? t("summary.nothing_prescribed_in_this_range")
          : t("summary.over_whole_range_percenttext_of", { percentText: percentText(data.adherence.percent) }),
      ),
      weeks.length
        ? timeChart({ title: t("summary.dose_done_and_pain_week"), days, bars: weeks.map((w) => w.percent), line: weeks.map((w) => w.pain), barLabel: t("summary.dose_done"), lineLabel: "Pain (0–10)" })
        : null,
      table(t("summary.week_by_week"), [t("summary.week_of"), t("summary.dose_done"), t("summary.pain")], weeks.map((w) => [shortDay(w.week_start), percentText(w.percent), w.pain])),
    ),
    h(
      "section",
      { class: "summary-block" },
      h("h2", {}, t("summary.questionnaires")),
      data.measures.length
        ? data.measures.map((m) =>
            h(
              "div",
              {},
              h("h3", {}, m.title),
              m.score_label ? h("p", { class: "small muted" }, m.score_label) : null,
              m.score_label && m.points.length
                ? timeChart({ title: t("summary.title_beside_dose_done", { title: m.title }), days, bars: weeks.map((w) => w.percent), line: weeklyScores(weeks, m.points), barLabel: t("summary.dose_done"), lineLabel: t("summary.score") })
                : null,
              table(m.title, [t("summary.due"), t("summary.answered"), t("summary.score")], m.points.map((p) => [shortDay(p.due_on), shortDay(p.answered_on), p.score])),
            ),
          )
        : h("p", { class: "muted" }, t("summary.no_questionnaires_answered_in_this")),
    ),
    h(
      "section",
      { class: "summary-block" },
      h("h2", {}, t("summary.weekly_check_ins")),
      data.reviews.length
        ? table(
            t("summary.weekly_check_ins"),
            [t("summary.week_to"), "Sessions (logged / said / planned)", t("summary.habit_days_met_planned"), t("summary.confidence"), t("summary.in_way")],
            data.reviews.map((r) => [
              shortDay(r.week_end),
              `${r.sessions_logged} / ${r.sessions_done} / ${r.sessions_planned}`,
              `${r.habits_met} / ${r.habits_planned}`,
              `${r.confidence}/10`,
              [r.barriers.map((b) => BARRIERS[b] || b).join(", "), r.barrier_note].filter(Boolean).join(": "),
            ]),
          )
        : h("p", { class: "muted" }, t("summary.no_weekly_check_ins_in")),
      counts(t("summary.what_got_in_way_in"), data.barrier_counts, BARRIERS),
      counts(t("summary.sessions_skipped_by_reason"), data.skip_reasons, SKIP_REASONS),
    ),
  );
}
