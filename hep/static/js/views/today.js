// Today (and filling in a recent day): what is due as cards, how much of the day is done, the
// way to other days within the server's edit window, and an older day shown as it was logged.

import { h, replace } from "../dom.js";
import { addDays, clockTime, longDay, todayIn } from "../dates.js";
import { currentUser } from "../session.js";
import { habitProgress, itemProgress, loadDay } from "../day.js";
import { navigate } from "../router.js";
import { permission, pushSupported } from "../push.js";
import { editDays } from "../rules.js";
import { pastWindowNote } from "../components/edit-window.js";
import { exerciseCard } from "../cards/exercise-card.js";
import { habitCard } from "../cards/habit-card.js";
import { promptCards } from "../cards/prompts.js";
import { pauseCard } from "../cards/pause.js";
import { changesCard } from "../cards/changes.js";
import { mediaOfDay } from "../components/media.js";
import { t } from "../i18n.js";

const PROMPT_DISMISSED = "hep.notifications.prompt-dismissed";

export async function today(ctx) {
  const user = currentUser();
  const todayDate = todayIn(user.timezone);
  const oldest = addDays(todayDate, -editDays());
  let day = ctx.params.date || todayDate;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || day > todayDate) day = todayDate;
  const isToday = day === todayDate;
  const readOnly = day < oldest;
  const state = await loadDay(user, day);
  state.media = await mediaOfDay(state.entries);

  const notice = h("div");
  const care = h("div");
  const summary = h("div", { class: "summary" });
  const lists = h("div");
  const view = h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, isToday ? t("route.today") : longDay(day)),
    h("p", { class: "subtitle" }, isToday ? longDay(day) : readOnly ? t("today.as_it_was_logged") : t("today.filling_in_an_earlier_day")),
    dayNav(day, todayDate, oldest),
    readOnly ? pastWindowNote() : null,
    notice,
    isToday ? notificationPrompt() : null,
    isToday ? care : null,
    isToday && !state.savedAt ? promptCards() : null,
    summary,
    lists,
  );

  const render = () => {
    replace(
      notice,
      state.savedAt
        ? h("p", { class: "banner warn" }, t("today.offline_showing_what_was_loaded", { time: clockTime(state.savedAt) }))
        : null,
    );
    if (isToday && !state.savedAt) replace(care, pauseCard(state, () => refresh()), changesCard(state.changes));
    const label = isToday ? t("today.done_today") : t("today.done_that_day");
    renderSummary(summary, state, label);
    replace(lists, renderLists(state, { user, isToday, readOnly, onChange: () => renderSummary(summary, state, label) }));
  };
  render();

  // after an offline replay or a notification action, show the server's view
  const refresh = async () => {
    if (!view.isConnected) {
      window.removeEventListener("hep:synced", refresh);
      return;
    }
    try {
      const fresh = await loadDay(user, day);
      state.entries = fresh.entries;
      state.checkIns = fresh.checkIns;
      state.savedAt = fresh.savedAt;
      Object.assign(state, { pause: fresh.pause, pausedItems: fresh.pausedItems, changes: fresh.changes, care: fresh.care });
      render();
    } catch {
      /* keep what is shown */
    }
  };
  window.addEventListener("hep:synced", refresh);
  return view;
}

function dayNav(day, todayDate, oldest) {
  const picker = h("input", {
    type: "date",
    name: "day",
    min: oldest,
    max: todayDate,
    value: day >= oldest ? day : "",
    "aria-label": t("today.pick_a_day_to_fill_in"),
    onchange: (event) => {
      const chosen = event.target.value;
      if (chosen) navigate(chosen === todayDate ? "/today" : `/day/${chosen}`);
    },
  });
  const prev = addDays(day, -1);
  const next = addDays(day, 1);
  return h(
    "nav",
    { class: "row", "aria-label": t("today.days") },
    prev >= oldest ? h("a", { class: "btn btn-small", href: `#/day/${prev}` }, t("today.earlier_day")) : null,
    day < todayDate
      ? h(
          "a",
          { class: "btn btn-small", href: next === todayDate ? "#/today" : `#/day/${next < oldest ? oldest : next}` },
          next < oldest ? t("today.back_to_days_you_can_fill_in") : t("today.later_day"),
        )
      : null,
    h("span", { class: "grow" }, picker),
    h("a", { class: "btn btn-small btn-quiet", href: "#/history" }, t("route.history")),
  );
}

function notificationPrompt() {
  if (!pushSupported() || permission() !== "default") return null;
  if (localStorage.getItem(PROMPT_DISMISSED)) return null;
  const box = h(
    "div",
    { class: "banner" },
    h("strong", {}, t("today.get_reminders_on_this_phone")),
    " ",
    t("today.hep_only_reminds_you_about"),
    h(
      "div",
      { class: "actions" },
      h("a", { class: "btn btn-primary btn-small", href: "#/notifications" }, t("today.set_up_reminders")),
      h(
        "button",
        {
          type: "button",
          class: "btn btn-small",
          onclick: () => {
            localStorage.setItem(PROMPT_DISMISSED, "1");
            box.remove();
          },
        },
        t("today.not_now"),
      ),
    ),
  );
  return box;
}

function renderSummary(box, state, label) {
  let due = 0;
  let done = 0;
  for (const entry of state.entries) {
    if (entry.kind === "item") {
      const p = itemProgress(state, entry);
      due += entry.sessions_due;
      done += Math.min(p.done, entry.sessions_due);
    } else if (!entry.week_target) {
      due += 1;
      done += habitProgress(state, entry).done ? 1 : 0;
    }
  }
  if (!due) {
    replace(box);
    return;
  }
  replace(
    box,
    h("progress", { max: String(due), value: String(done), "aria-label": label }),
    h("span", { class: "muted" }, t("today.done_of_due", { done, due })),
  );
}

function renderLists(state, { user, isToday, readOnly, onChange }) {
  const items = state.entries.filter((e) => e.kind === "item");
  const habits = state.entries.filter((e) => e.kind === "habit");
  if (!items.length && !habits.length) {
    return h(
      "div",
      { class: "empty" },
      h("p", {}, isToday ? t("today.nothing_is_due_today") : t("today.nothing_was_due_that_day")),
      h("p", {}, withLink("today.link_to_track_on_your_own", h("a", { href: "#/habits" }, t("today.add_a_daily_habit")))),
      h("p", { class: "small" }, h("a", { href: "#/messages" }, t("messages.messages_with_your_care_team"))),
    );
  }
  const ctx = { state, user, onChange, readOnly };
  return h(
    "div",
    {},
    items.length
      ? h(
          "section",
          { "aria-labelledby": "today-exercises" },
          h("h2", { id: "today-exercises" }, t("template.exercises")),
          items.map((entry) => exerciseCard(entry, ctx)),
        )
      : null,
    habits.length
      ? h(
          "section",
          { "aria-labelledby": "today-habits" },
          h("h2", { id: "today-habits" }, t("route.habits")),
          habits.map((entry) => habitCard(entry, ctx)),
        )
      : null,
    h(
      "p",
      { class: "muted small" },
      h("a", { href: "#/pain" }, t("today.how_is_your_pain_today")),
      " · ",
      h("a", { href: "#/habits" }, t("today.manage_habits")),
      " · ",
      h("a", { href: "#/messages" }, t("route.messages")),
    ),
  );
}

/** A catalogue sentence with an element (a link) where its {link} place is. */
function withLink(key, link) {
  const [before, after = ""] = t(key, { link: "\u0000" }).split("\u0000");
  return [before, link, after];
}
