// Messages with the care team: the thread, newest at the bottom, and a box to answer in.

import { h } from "../dom.js";
import { messageThread } from "../components/message-thread.js";

export async function messages() {
  const thread = await messageThread({
    path: "/api/messages",
    title: "Messages with your care team",
    empty: "No messages yet. Your therapist can write to you here, and you can answer.",
  });
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, "Messages"),
    h("p", { class: "subtitle" }, "Between visits, with your care team. For an emergency, call for help instead."),
    thread,
  );
}
