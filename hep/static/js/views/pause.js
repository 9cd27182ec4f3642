// Pausing everything for a while: a flare-up (only the gentle exercises stay), unwell or away
// (nothing is due, no reminders, scores wait), a busy week (only the minimum dose), until a
// day or until it is over; the pause in force and the ones before.

import { api } from "../api.js";
import { busy, field, h, nextId, showErrors, toast } from "../dom.js";
import { addDays, longDay, todayIn } from "../dates.js";
import { navigate } from "../router.js";
import { currentUser } from "../session.js";
import { limits, pauseModes } from "../rules.js";
import { t, words } from "../i18n.js";

const WHAT = words({
  flare_up: "pause.only_gentle_exercises_stay",
  unwell: "pause.nothing_is_due_no_reminders",
  away: "pause.nothing_is_due_no_reminders",
  busy: "pause.only_minimum_dose_stays",
});

export async function pause({ query }) {
  const user = currentUser();
  const today = todayIn(user.timezone);
  const pauses = await api.get("/api/pauses");
  const current = pauses.find((p) => p.active) || null;
  const chosen = query.get("mode") || "flare_up";
  const legendId = nextId("mode");
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, current ? t("pause.change_the_pause") : t("pause.pause_for_a_while")),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    h(
      "fieldset",
      { "data-field": "mode", "aria-labelledby": legendId },
      h("legend", { id: legendId }, t("pause.what_is_going_on")),
      pauseModes().map((m) =>
        h(
          "label",
          { class: "choice" },
          h("input", { type: "radio", name: "mode", value: m.mode, checked: m.mode === chosen }),
          h("span", {}, h("strong", {}, m.words), h("br"), h("span", { class: "small muted" }, WHAT[m.mode] || "")),
        ),
      ),
    ),
    field(t("pause.last_day_optional"), { type: "date", name: "last_day", min: today, max: addDays(today, 365) }, { hint: t("pause.leave_it_empty_to_say") }),
    field(t("pause.note_for_your_care_team"), { type: "text", name: "note", ...limits("pause", "note") }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary" }, t("pause.pause_from_today"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    busy(form, async () => {
      try {
        await api.post("/api/pauses", {
          mode: data.get("mode"),
          last_day: data.get("last_day") || null,
          note: (data.get("note") || "").trim(),
        });
        toast(t("pause.paused_today_shows_what"), "success");
        navigate("/today");
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return h(
    "section",
    { class: "page" },
    h("p", {}, h("a", { href: "#/today" }, t("exercise.today"))),
    h("h1", { class: "page-title", tabindex: "-1" }, t("app.pause")),
    current ? currentCard(current) : null,
    form,
    history(pauses.filter((p) => p !== current)),
  );
}

function label(mode) {
  return pauseModes().find((m) => m.mode === mode)?.words || mode;
}

function currentCard(pause) {
  const end = h(
    "button",
    {
      type: "button",
      class: "btn btn-primary",
      onclick: async () => {
        end.disabled = true;
        try {
          await api.post(`/api/pauses/${encodeURIComponent(pause.id)}/end`);
          toast(t("pause.welcome_back_everything_is_due"), "success");
          navigate("/today");
        } catch (error) {
          end.disabled = false;
          toast(error.message, "error");
        }
      },
    },
    t("pause.its_over"),
  );
  return h(
    "div",
    { class: "card", "data-role": "current-pause" },
    h("h2", {}, t("pause.now_mode", { mode: label(pause.mode) })),
    h(
      "p",
      {},
      pause.last_day
        ? t("pause.since_first_to_last", { first: longDay(pause.first_day), last: longDay(pause.last_day) })
        : t("pause.since_first_until_over", { first: longDay(pause.first_day) }),
    ),
    pause.note ? h("p", { class: "small" }, pause.note) : null,
    h("div", { class: "actions" }, end),
  );
}

function history(pauses) {
  if (!pauses.length) return null;
  return h(
    "div",
    { class: "card" },
    h("h2", {}, t("pause.earlier_and_planned")),
    h(
      "ul",
      { class: "list" },
      pauses.map((p) =>
        h(
          "li",
          {},
          h("strong", {}, label(p.mode)),
          " ",
          p.dropped ? t("pause.first_called_off", { first: longDay(p.first_day) }) : `${longDay(p.first_day)}${p.last_day ? ` – ${longDay(p.last_day)}` : ""}`,
          p.note ? h("div", { class: "small muted" }, p.note) : null,
        ),
      ),
    ),
  );
}
