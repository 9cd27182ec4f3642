// A message thread between a patient and their care team, as either side sees it: the
// messages oldest first (always shown as text, never as markup), a box to write in with the
// server's size cap, and the thread marked read once it is shown.

import { api } from "../api.js";
import { busy, field, h, replace, showErrors, toast } from "../dom.js";
import { dateTime } from "../dates.js";
import { limits } from "../rules.js";
import { t } from "../i18n.js";

function bubble(message) {
  return h(
    "li",
    { class: message.mine ? "message mine" : "message", dataset: { seq: String(message.seq) } },
    h(
      "p",
      { class: "message-meta small muted" },
      h("strong", {}, message.mine ? t("message_thread.you") : message.author),
      ` · ${dateTime(message.created_at)}`,
    ),
    // text, never markup: a message is shown exactly as it was written
    h("p", { class: "message-body" }, message.body),
  );
}

/**
 * The thread at `path` (GET it, PUT a new message under `${path}/<id>`, POST `${path}/read`).
 * `empty` is what an empty thread says; `onRead` hears how many are left unread.
 */
export async function messageThread({ path, title = t("message_thread.messages"), empty, onRead } = {}) {
  let thread = await api.get(path);
  const list = h("ol", { class: "messages", "aria-label": title });
  const status = h("p", { class: "small muted", role: "status", "aria-live": "polite" });

  const render = () => {
    replace(
      list,
      thread.messages.length ? thread.messages.map(bubble) : h("li", { class: "muted" }, empty || t("message_thread.no_messages_yet")),
    );
  };

  const markRead = async () => {
    const newest = thread.messages.at(-1);
    if (!newest || thread.unread === 0) return;
    try {
      const read = await api.post(`${path}/read`, { up_to: newest.seq });
      thread.unread = read.unread;
      onRead?.(read.unread);
    } catch {
      /* read state is kept for next time */
    }
  };

  const box = h("textarea", { name: "body", rows: "3", maxlength: limits("message", "body").maxlength, required: true });
  const counter = h("span", { class: "small muted", "aria-live": "off" });
  const count = () => {
    counter.textContent = t("message_thread.count_of_max_length_characters", { count: box.value.length, max_length: thread.max_length });
  };
  box.addEventListener("input", count);
  count();
  const form = h(
    "form",
    { class: "compose", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(t("message_thread.your_message"), box, { hint: t("message_thread.plain_text_your_care_team") }),
    h("div", { class: "row spread" }, counter, h("button", { type: "submit", class: "btn btn-primary" }, t("message_thread.send"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = box.value;
    if (!body.trim()) {
      showErrors(form, { message: t("message_thread.write_something_first"), fields: { body: [t("message_thread.write_something_first")] } });
      return;
    }
    busy(form, async () => {
      try {
        // the id is made once, so a retry after a lost answer is the same message
        form.dataset.id = form.dataset.id || crypto.randomUUID();
        await api.put(`${path}/${form.dataset.id}`, { body });
        delete form.dataset.id;
        box.value = "";
        count();
        thread = await api.get(path);
        render();
        status.textContent = t("message_thread.sent");
        await markRead();
      } catch (error) {
        if (error.status === 429) {
          toast(t("message_thread.that_is_per_hour_messages", { per_hour: thread.per_hour }), "error");
        } else if (error.offline) {
          toast(t("message_thread.you_are_offline_message_was"), "error");
        } else {
          showErrors(form, error);
        }
      }
    });
  });

  render();
  await markRead();
  return h(
    "div",
    { class: "thread" },
    list,
    thread.can_write
      ? form
      : h("p", { class: "banner" }, t("message_thread.you_have_no_therapist_in")),
    status,
  );
}
