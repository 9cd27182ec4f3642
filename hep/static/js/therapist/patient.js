// One patient: adherence and pain charts, the care team, discharge, programs (edit, end,
// archive, history, templates), habits (suggest, change, stop), reminders (with what happened
// to each; propose one), check-ins by day and corrections, and a sign-in link for a
// locked-out patient. Every read here
// lands in the patient's access log.

import { api } from "../api.js";
import { h, toast } from "../dom.js";
import { addDays, isoDay, shortDay, todayIn } from "../dates.js";
import { REGIONS, percentText } from "../labels.js";
import { habitStrips } from "../charts.js";
import { adherenceSection, habitSeries, strengthNote } from "../components/adherence.js";
import { subjectNames } from "../components/check-in-text.js";
import { patientHabits } from "../components/patient-habits.js";
import { patientReminders } from "../components/patient-reminders.js";
import { corrections, recentCheckIns } from "../components/recent-check-ins.js";
import { inviteBox } from "../components/invite-box.js";
import { careTeamSection } from "../components/care-team.js";
import { dischargePanel } from "../components/discharge.js";
import { programsSection } from "../components/patient-programs.js";
import { signInLink } from "../components/sign-in-link.js";
import { conversationSections } from "../components/patient-conversation.js";
import { attentionPanel } from "../components/attention-panel.js";
import { proposalsPanel } from "../components/proposals.js";
import { careSettings } from "../components/care-settings.js";
import { t } from "../i18n.js";

async function inSequence(paths) {
  const results = [];
  for (const path of paths) results.push(await api.get(path));
  return results;
}

export async function patient({ params }) {
  const id = params.id;
  const base = `/api/patients/${encodeURIComponent(id)}`;
  const person = await api.get(base);
  const today = todayIn(person.timezone);
  const start = addDays(today, -27);
  // One at a time on purpose: each of these reads writes an access-log row, and on SQLite
  // parallel read-then-write requests can fail with "database is locked" (reported upstream).
  const [adherence, programs, habits, checkIns, edits, pain, templates, starters] = await inSequence([
    `${base}/adherence`,
    `${base}/programs`,
    `${base}/habits`,
    `${base}/check-ins?start=${start}&end=${today}`,
    `${base}/check-ins/edits?start=${start}&end=${today}`,
    `${base}/pain?start=${start}&end=${today}`,
    "/api/templates",
    "/api/habits/starters",
  ]);
  const reminders = await api.get(`${base}/reminders`).catch(() => null);
  const conversation = await conversationSections(person, base);
  const team = await careTeamSection(person);
  const discharge = await dischargePanel(person);
  // why they need a look, hep's proposed steps, their thresholds (each read is access-logged)
  const attention = await attentionPanel(base);
  const proposals = await proposalsPanel(base);
  const thresholds = await careSettings(base);
  const names = subjectNames(programs, habits);
  const nameOf = (c) => names.get(c.item_key || c.habit_id) || t("patient.removed_item");
  const days = adherence.daily.map((d) => isoDay(d.date));

  return h(
    "section",
    { class: "page" },
    h("p", {}, h("a", { href: "#/patients" }, t("patient.patients"))),
    h("h1", { class: "page-title", tabindex: "-1" }, person.name),
    h("p", { class: "subtitle" }, `${person.email} · ${person.timezone.replace(/_/g, " ")}`),
    inviteSection(person, base),
    discharge.banner,
    h(
      "div",
      { class: "grid-2" },
      h(
        "div",
        {},
        attention,
        proposals,
        h("h2", {}, t("patient.adherence_and_pain")),
        adherenceSection(adherence, { who: person.name }),
        subjectsTable(adherence),
        habits.length
          ? h("div", { class: "card" }, h("h2", {}, t("patient.lifestyle_habits")), habitStrips({ days, series: habitSeries(habits, checkIns, days) }))
          : null,
        painSection(pain),
      ),
      h(
        "div",
        {},
        team,
        programsSection(person, programs, templates, today),
        patientHabits(person, base, habits, starters),
        patientReminders(person, base, reminders, programs, habits),
        recentCheckIns(checkIns, nameOf),
        corrections(edits),
        thresholds,
        discharge.card,
      ),
    ),
    conversation,
  );
}

function inviteSection(person, base) {
  const box = h("div");
  const resend = h(
    "button",
    {
      type: "button",
      class: "btn btn-small",
      onclick: async () => {
        resend.disabled = true;
        try {
          const invite = await api.post(`${base}/invite`);
          box.replaceChildren(inviteBox(person.name, person.email, invite, person.id));
          box.querySelector("input")?.focus();
        } catch (error) {
          toast(error.message, "error");
        } finally {
          resend.disabled = false;
        }
      },
    },
    t("patient.re_send_invite"),
  );
  return h(
    "div",
    { class: "card" },
    h(
      "div",
      { class: "row spread" },
      person.invite_accepted
        ? h("span", { class: "badge badge-ok" }, t("patient.using_hep"))
        : h("span", { class: "badge badge-warn" }, t("patient.has_not_accepted_invite_yet")),
      person.invite_accepted ? null : resend,
    ),
    box,
    person.invite_accepted
      ? signInLink({
          name: person.name,
          path: `${base}/sign-in-link`,
          mailPath: `${base}/sign-in-link/email`,
          to: person.email,
        })
      : null,
  );
}

function subjectsTable(adherence) {
  if (!adherence.subjects.length) return null;
  return h(
    "div",
    // a scrollable box must be reachable by keyboard
    { class: "card table-wrap", tabindex: "0", role: "region", "aria-label": t("patient.adherence_by_exercise_and_habit") },
    h("h2", {}, t("patient.by_exercise_and_habit")),
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, ["", "7 days", "4 weeks", t("patient.strength"), "Streak (best)"].map((item) => h("th", { scope: "col" }, item)))),
      h(
        "tbody",
        {},
        adherence.subjects.map((s) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, s.name, s.kind === "habit" ? h("span", { class: "muted small" }, " ", t("patient.habit")) : null),
            h("td", {}, percentText(s.percent_7_days)),
            h("td", {}, percentText(s.percent_28_days)),
            h("td", {}, `${Math.round(s.strength)}%`),
            h("td", {}, `${s.current_streak} (${s.best_streak})`),
          ),
        ),
      ),
    ),
    strengthNote(),
  );
}

function painSection(pain) {
  return h(
    "div",
    { class: "card" },
    h("h2", {}, t("patient.pain_diary")),
    pain.length
      ? h(
          "ul",
          { class: "list" },
          pain.slice(0, 10).map((e) =>
            h(
              "li",
              {},
              h("strong", {}, `${shortDay(e.local_date)}: ${e.score}/10`),
              e.regions.length ? ` · ${e.regions.map((r) => REGIONS[r] || r).join(", ")}` : "",
              e.note ? h("div", { class: "small muted" }, e.note) : null,
            ),
          ),
        )
      : h("p", { class: "muted" }, t("patient.no_pain_diary_entries_in")),
  );
}
