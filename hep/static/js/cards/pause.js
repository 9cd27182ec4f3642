// Today's word on pauses: the pause in force (what it takes off, until when) with "It's over",
// or the way to pause: a flare-up in one tap, the other modes on their own screen.

import { api } from "../api.js";
import { h, toast } from "../dom.js";
import { longDay } from "../dates.js";
import { pauseModes } from "../rules.js";
import { t } from "../i18n.js";

const wordsOf = (mode) => pauseModes().find((m) => m.mode === mode)?.words || mode;

function pausedText(pause, pausedItems) {
  const params = { mode: wordsOf(pause.mode), first: longDay(pause.first_day), last: pause.last_day ? longDay(pause.last_day) : "" };
  const key = pause.last_day
    ? (pause.active ? "pause_card.paused_since_to_last" : "pause_card.paused_from_to_last")
    : (pause.active ? "pause_card.paused_since_until_over" : "pause_card.paused_from_until_over");
  const said = t(key, params);
  return pausedItems ? `${said} ${t("pause_card.exercises_paused_today", { count: pausedItems })}` : said;
}

/** `state`: the day (pause, pausedItems); `reload()` shows the server's view again. */
export function pauseCard(state, reload) {
  const pause = state.pause;
  if (pause) {
    const end = h(
      "button",
      {
        type: "button",
        class: "btn btn-small",
        "data-role": "end-pause",
        onclick: async () => {
          end.disabled = true;
          try {
            await api.post(`/api/pauses/${encodeURIComponent(pause.id)}/end`);
            toast(pause.active ? t("pause.welcome_back_everything_is_due") : t("pause_card.that_pause_is_cancelled"), "success");
            await reload();
          } catch (error) {
            end.disabled = false;
            toast(error.message, "error");
          }
        },
      },
      pause.active ? t("pause.its_over") : t("pause_card.cancel_this_pause"),
    );
    return h(
      "div",
      { class: "banner", "data-role": "pause" },
      h("p", {}, h("strong", {}, pausedText(pause, state.pausedItems))),
      pause.note ? h("p", { class: "small" }, pause.note) : null,
      h("div", { class: "actions" }, end, h("a", { class: "btn btn-small btn-quiet", href: "#/pause" }, t("habits.change"))),
    );
  }
  const flare = h(
    "button",
    {
      type: "button",
      class: "btn btn-small",
      "data-role": "flare-up",
      onclick: async () => {
        flare.disabled = true;
        try {
          await api.post("/api/pauses", { mode: "flare_up" });
          toast(t("pause_card.flare_up_noted"), "success");
          await reload();
        } catch (error) {
          flare.disabled = false;
          toast(error.message, "error");
        }
      },
    },
    t("pause_card.im_having_a_flare_up"),
  );
  return h(
    "div",
    { class: "row pause-row", "data-role": "pause" },
    h("span", { class: "muted small" }, t("pause_card.not_up_to_it")),
    flare,
    h("a", { class: "btn btn-small btn-quiet", href: "#/pause" }, t("pause_card.other_pauses")),
  );
}
