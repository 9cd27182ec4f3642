// One patient: adherence and pain charts, the care team, discharge, programs (edit, end,
// archive, history, templates), habits, reminders (with what happened to each), recent
// check-ins and the edit trail, and a sign-in link for a locked-out patient. Every read here
// lands in the patient's access log.

import { api } from "../api.js";
import { h, toast } from "../dom.js";
import { addDays, dateTime, isoDay, shortDay, todayIn } from "../dates.js";
import { REGIONS, percentText, habitTargetText, HABIT_KINDS } from "../labels.js";
import { habitStrips } from "../charts.js";
import { navigate } from "../router.js";
import { adherenceSection, habitSeries, strengthNote } from "../components/adherence.js";
import { describeCheckIn, diffText, subjectNames } from "../components/check-in-text.js";
import { habitForm } from "../components/habit-form.js";
import { inviteBox } from "../components/invite-box.js";
import { careTeamSection } from "../components/care-team.js";
import { dischargePanel } from "../components/discharge.js";
import { programsSection } from "../components/patient-programs.js";
import { signInLink } from "../components/sign-in-link.js";
import { historyToggle } from "../components/reminder-history.js";
import { ruleText } from "../components/rule-text.js";
import { conversationSections } from "../components/patient-conversation.js";

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
  const names = subjectNames(programs, habits);
  const nameOf = (c) => names.get(c.item_key || c.habit_id) || "Removed item";
  const byId = new Map(checkIns.map((c) => [c.id, nameOf(c)]));
  const days = adherence.daily.map((d) => isoDay(d.date));

  return h(
    "section",
    { class: "page" },
    h("p", {}, h("a", { href: "#/patients" }, "← Patients")),
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
        h("h2", {}, "Adherence and pain"),
        adherenceSection(adherence, { who: person.name }),
        subjectsTable(adherence),
        habits.length
          ? h("div", { class: "card" }, h("h2", {}, "Lifestyle habits"), habitStrips({ days, series: habitSeries(habits, checkIns, days) }))
          : null,
        painSection(pain),
      ),
      h(
        "div",
        {},
        team,
        programsSection(person, programs, templates, today),
        habitsSection(person, base, habits, starters),
        remindersSection(person, base, reminders, programs, habits),
        checkInsSection(checkIns, nameOf),
        editsSection(edits, byId),
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
    "Re-send invite",
  );
  return h(
    "div",
    { class: "card" },
    h(
      "div",
      { class: "row spread" },
      person.invite_accepted
        ? h("span", { class: "badge badge-ok" }, "Using hep")
        : h("span", { class: "badge badge-warn" }, "Has not accepted the invite yet"),
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
    { class: "card table-wrap", tabindex: "0", role: "region", "aria-label": "Adherence by exercise and habit" },
    h("h2", {}, "By exercise and habit"),
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, ["", "7 days", "4 weeks", "Strength", "Streak (best)"].map((t) => h("th", { scope: "col" }, t)))),
      h(
        "tbody",
        {},
        adherence.subjects.map((s) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, s.name, s.kind === "habit" ? h("span", { class: "muted small" }, " (habit)") : null),
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
    h("h2", {}, "Pain diary"),
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
      : h("p", { class: "muted" }, "No pain diary entries in the last four weeks."),
  );
}

function habitsSection(person, base, habits, starters) {
  const have = new Set(habits.map((x) => x.name));
  const suggest = h("div", { hidden: true });
  const toggle = h(
    "button",
    {
      type: "button",
      class: "btn btn-small",
      "aria-expanded": "false",
      onclick: () => {
        suggest.hidden = !suggest.hidden;
        toggle.setAttribute("aria-expanded", String(!suggest.hidden));
      },
    },
    "Suggest a habit",
  );
  suggest.append(
    h(
      "ul",
      { class: "list card" },
      starters
        .filter((s) => !have.has(s.name))
        .map((s) =>
          h(
            "li",
            { class: "row spread" },
            h("span", {}, s.name),
            h(
              "button",
              {
                type: "button",
                class: "btn btn-small",
                "aria-label": `Suggest ${s.name}`,
                onclick: async () => {
                  const body = Object.fromEntries(
                    Object.entries(s).filter(([k, v]) => k !== "slug" && v !== null && v !== undefined),
                  );
                  try {
                    await api.post(`${base}/habits`, body);
                    toast(`Suggested: ${s.name}`, "success");
                    navigate(`/patients/${person.id}`);
                  } catch (error) {
                    toast(error.message, "error");
                  }
                },
              },
              "Suggest",
            ),
          ),
        ),
    ),
    habitForm({ path: `${base}/habits`, submitLabel: "Suggest habit", after: () => navigate(`/patients/${person.id}`) }),
  );
  return h(
    "div",
    {},
    h("h2", {}, "Habits"),
    habits.length
      ? h(
          "ul",
          { class: "list card" },
          habits.map((x) =>
            h(
              "li",
              {},
              h("strong", {}, x.name),
              h("br"),
              h("span", { class: "small muted" }, [HABIT_KINDS[x.kind], habitTargetText(x), x.suggested ? "suggested by you" : "chosen by the patient"].filter(Boolean).join(" · ")),
            ),
          ),
        )
      : h("p", { class: "muted" }, "No habits yet."),
    toggle,
    suggest,
  );
}

function remindersSection(person, base, reminders, programs, habits) {
  if (!reminders) return null;
  const target = (r) => {
    if (r.target?.kind === "habit") return habits.find((x) => x.id === r.target.habit_id)?.name || "a habit";
    if (r.target?.kind === "program") return programs.find((p) => p.id === r.target.program_id)?.title || "a program";
    if (r.target?.kind === "review") return "weekly check-in";
    if (r.target?.kind === "measure") return "questionnaires";
    return "general";
  };
  return h(
    "div",
    { class: "card" },
    h("h2", {}, "Reminders"),
    reminders.length
      ? h(
          "ul",
          { class: "list" },
          reminders.map((r) => {
            // what the dispatcher decided each time, on the patient's clock
            const history = historyToggle({
              path: `${base}/reminders/${encodeURIComponent(r.id)}/history`,
              timeZone: person.timezone,
              title: r.label || target(r),
              level: "h3",
            });
            return h(
              "li",
              {},
              h("strong", {}, r.label || target(r)),
              h("div", { class: "small muted" }, `${target(r)} · ${ruleText(r.rule)}`),
              r.paused_until
                ? h("span", { class: "badge badge-warn" }, `Paused until ${r.paused_until}${r.pause_reason ? ` — ${r.pause_reason}` : ""}`)
                : null,
              h("div", { class: "row" }, history.button),
              history.box,
            );
          }),
        )
      : h("p", { class: "muted" }, "The patient has no reminders set."),
  );
}

function checkInsSection(checkIns, nameOf) {
  return h(
    "div",
    { class: "card" },
    h("h2", {}, "Recent check-ins"),
    checkIns.length
      ? h(
          "ul",
          { class: "list" },
          checkIns.slice(0, 30).map((c) =>
            h(
              "li",
              {},
              h("strong", {}, nameOf(c)),
              h("span", { class: "muted small" }, ` · ${shortDay(c.local_date)}`),
              h("br"),
              h("span", { class: "small" }, describeCheckIn(c)),
              c.source !== "app" ? h("span", { class: "badge" }, c.source === "offline" ? "sent later" : "from notification") : null,
              c.note ? h("div", { class: "small muted" }, `“${c.note}”`) : null,
            ),
          ),
        )
      : h("p", { class: "muted" }, "No check-ins in the last four weeks."),
  );
}

function editsSection(edits, byId) {
  const changes = edits.filter((e) => e.action !== "create");
  return h(
    "div",
    { class: "card" },
    h("h2", {}, "Corrections"),
    h("p", { class: "small muted" }, "Check-ins the patient changed or removed after logging them."),
    changes.length
      ? h(
          "ul",
          { class: "list diff" },
          changes.slice(0, 30).map((e) =>
            h("li", {}, h("strong", {}, byId.get(e.check_in_id) || "A check-in"), ` — ${diffText(e)}`, h("br"), h("span", { class: "small muted" }, dateTime(e.at))),
          ),
        )
      : h("p", { class: "muted" }, "No corrections."),
  );
}
