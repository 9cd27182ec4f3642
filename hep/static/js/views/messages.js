// Messages with the care team: the thread, newest at the bottom, and a box to answer in.

import { h } from "../dom.js";
import { messageThread } from "../components/message-thread.js";
import { t } from "../i18n.js";

export async function messages() {
  const thread = await messageThread({
    path: "/api/messages",
    title: t("messages.messages_with_your_care_team"),
    empty: t("messages.no_messages_yet_your_therapist"),
  });
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, t("messages.messages")),
    h("p", { class: "subtitle" }, t("messages.between_visits_with_your_care")),
    thread,
  );
}
