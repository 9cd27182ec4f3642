// Pausing everything for a while: a flare-up (only the gentle exercises stay), unwell or away
// (nothing is due, no reminders, scores wait), a busy week (only the minimum dose), until a
// day or until it is over; the pause in force and the ones before.

import { api } from "../api.js";
import { busy, field, h, nextId, showErrors, toast } from "../dom.js";
import { addDays, longDay, todayIn } from "../dates.js";
import { navigate } from "../router.js";
import { currentUser } from "../session.js";
import { limits, pauseModes } from "../rules.js";

const WHAT = {
  flare_up: "Only the exercises your therapist marked as gentle stay on Today. Your care team is told.",
  unwell: "Nothing is due and no reminders come. Your scores and streaks wait for you.",
  away: "Nothing is due and no reminders come. Your scores and streaks wait for you.",
  busy: "Only your minimum dose stays on Today, and your habits.",
};

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
    h("h2", {}, current ? "Change the pause" : "Pause for a while"),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    h(
      "fieldset",
      { "data-field": "mode", "aria-labelledby": legendId },
      h("legend", { id: legendId }, "What is going on?"),
      pauseModes().map((m) =>
        h(
          "label",
          { class: "choice" },
          h("input", { type: "radio", name: "mode", value: m.mode, checked: m.mode === chosen }),
          h("span", {}, h("strong", {}, m.words), h("br"), h("span", { class: "small muted" }, WHAT[m.mode] || "")),
        ),
      ),
    ),
    field("Last day (optional)", { type: "date", name: "last_day", min: today, max: addDays(today, 365) }, { hint: "Leave it empty to say when it is over." }),
    field("A note for your care team (optional)", { type: "text", name: "note", ...limits("pause", "note") }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary" }, "Pause from today")),
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
        toast("Paused. Today shows what is still due.", "success");
        navigate("/today");
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return h(
    "section",
    { class: "page" },
    h("p", {}, h("a", { href: "#/today" }, "← Today")),
    h("h1", { class: "page-title", tabindex: "-1" }, "Pause"),
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
          toast("Welcome back. Everything is due again from today.", "success");
          navigate("/today");
        } catch (error) {
          end.disabled = false;
          toast(error.message, "error");
        }
      },
    },
    "It's over",
  );
  return h(
    "div",
    { class: "card", "data-role": "current-pause" },
    h("h2", {}, `Now: ${label(pause.mode)}`),
    h("p", {}, `Since ${longDay(pause.first_day)}${pause.last_day ? `, to ${longDay(pause.last_day)}` : ", until you say it is over"}.`),
    pause.note ? h("p", { class: "small" }, pause.note) : null,
    h("div", { class: "actions" }, end),
  );
}

function history(pauses) {
  if (!pauses.length) return null;
  return h(
    "div",
    { class: "card" },
    h("h2", {}, "Earlier and planned"),
    h(
      "ul",
      { class: "list" },
      pauses.map((p) =>
        h(
          "li",
          {},
          h("strong", {}, label(p.mode)),
          " ",
          p.dropped ? `${longDay(p.first_day)}, called off` : `${longDay(p.first_day)}${p.last_day ? ` – ${longDay(p.last_day)}` : ""}`,
          p.note ? h("div", { class: "small muted" }, p.note) : null,
        ),
      ),
    ),
  );
}
