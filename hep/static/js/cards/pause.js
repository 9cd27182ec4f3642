// Today's word on pauses: the pause in force (what it takes off, until when) with "It's over",
// or the way to pause: a flare-up in one tap, the other modes on their own screen.

import { api } from "../api.js";
import { h, toast } from "../dom.js";
import { longDay } from "../dates.js";
import { pauseModes } from "../rules.js";

const wordsOf = (mode) => pauseModes().find((m) => m.mode === mode)?.words || mode;

function pausedText(pause, pausedItems) {
  const until = pause.last_day ? ` to ${longDay(pause.last_day)}` : ", until you say it is over";
  const since = pause.active ? `since ${longDay(pause.first_day)}` : `from ${longDay(pause.first_day)}`;
  const what = pausedItems ? ` ${pausedItems} exercise${pausedItems === 1 ? " is" : "s are"} paused today.` : "";
  return `${wordsOf(pause.mode)}: paused ${since}${until}.${what}`;
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
            toast(pause.active ? "Welcome back. Everything is due again from today." : "That pause is cancelled.", "success");
            await reload();
          } catch (error) {
            end.disabled = false;
            toast(error.message, "error");
          }
        },
      },
      pause.active ? "It's over" : "Cancel this pause",
    );
    return h(
      "div",
      { class: "banner", "data-role": "pause" },
      h("p", {}, h("strong", {}, pausedText(pause, state.pausedItems))),
      pause.note ? h("p", { class: "small" }, pause.note) : null,
      h("div", { class: "actions" }, end, h("a", { class: "btn btn-small btn-quiet", href: "#/pause" }, "Change")),
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
          toast("Flare-up noted: only the gentle exercises stay. Your care team has been told.", "success");
          await reload();
        } catch (error) {
          flare.disabled = false;
          toast(error.message, "error");
        }
      },
    },
    "I'm having a flare-up",
  );
  return h(
    "div",
    { class: "row pause-row", "data-role": "pause" },
    h("span", { class: "muted small" }, "Not up to it?"),
    flare,
    h("a", { class: "btn btn-small btn-quiet", href: "#/pause" }, "Other pauses"),
  );
}
