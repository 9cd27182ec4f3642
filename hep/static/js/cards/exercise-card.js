// An exercise on Today: the dose, sessions done as dots, one tap "done as prescribed", the
// dose actually done with pain and effort, skip with a reason, undo. On a day past the edit
// window the card shows what was logged and offers nothing to change.

import { h, nextId, toast } from "../dom.js";
import { doseText } from "../labels.js";
import { newId } from "../checkins.js";
import { itemProgress } from "../day.js";
import { detailsForm, skipForm } from "./check-in-forms.js";
import { panelBox, rerender, skipButton, togglePanel } from "./panel.js";
import { errorToast, save, undo } from "./saving.js";
import { thumbnailFor } from "../components/media.js";
import { t } from "../i18n.js";

function statusOf(p) {
  if (p.complete) return h("span", { class: "status status-done" }, t("exercise_card.done_for_day"));
  if (p.skipped) return h("span", { class: "status status-skipped" }, t("exercise_card.skipped"));
  if (p.partial) return h("span", { class: "status status-partial" }, t("exercise_card.partly_done"));
  return null;
}

/** ctx: {state, user, onChange, readOnly}; `justLoggedId` asks how the session felt. */
export function exerciseCard(entry, ctx, justLoggedId = null) {
  const name = entry.exercise.name;
  const p = itemProgress(ctx.state, entry);
  const headingId = nextId("item");
  let card;
  const again = (focusRole) => {
    card = rerender(card, () => exerciseCard(entry, ctx), focusRole);
  };
  const dots = h(
    "span",
    { class: "dots", "aria-hidden": "true" },
    Array.from({ length: p.due }, (_, i) => h("i", { class: i < p.done ? "on" : "" })),
  );
  const howTo = h(
    "a",
    { class: "btn btn-small btn-quiet", href: `#/exercise/${entry.item_key}?date=${ctx.state.day}` },
    t("exercise_card.how_to_timer"),
    h("span", { class: "visually-hidden" }, " ", t("exercise_card.for_name", { name })),
  );
  const heading = h(
    "div",
    { class: "entry-title" },
    thumbnailFor(entry, ctx.state.media),
    h("h3", { id: headingId, tabindex: "-1" }, name),
    h("p", {}, doseText(entry.dose)),
    h("p", {}, t("exercise_card.sessions_done", { done: Math.min(p.done, p.due), count: p.due }), dots, " ", statusOf(p)),
  );
  const notes = entry.dose.notes ? h("p", { class: "small" }, h("strong", {}, t("exercise_card.from_your_therapist"), " "), entry.dose.notes) : null;
  const classes = `card entry${p.complete ? " is-done" : ""}${p.skipped ? " is-skipped" : ""}`;

  if (ctx.readOnly) {
    return h(
      "article",
      { class: classes, "aria-labelledby": headingId },
      h("div", { class: "entry-head" }, heading),
      notes,
      h("div", { class: "row" }, howTo),
    );
  }

  const doneButton = h(
    "button",
    {
      type: "button",
      class: p.complete ? "btn btn-small" : "btn btn-done",
      "data-role": "done",
      onclick: async (event) => {
        event.currentTarget.disabled = true;
        try {
          const result = await save(
            ctx,
            newId(),
            { item_key: entry.item_key, local_date: ctx.state.day, state: "done", source: "app" },
            { successText: t("exercise_card.name_session_min_of_due", { name, min: Math.min(p.done + 1, p.due), due: p.due }) },
          );
          card = rerender(card, () => exerciseCard(entry, ctx, result.id), "feel");
        } catch (error) {
          errorToast(error);
          again("done");
        }
      },
    },
    p.complete ? t("exercise_card.once_more") : t("exercise_card.done"),
    h("span", { class: "visually-hidden" }, `: ${name}`),
  );

  const panel = panelBox();
  const open = (content, role) => togglePanel(card, panel, content, role);
  const last = p.list.filter((c) => c.state !== "skipped").at(-1);
  const justLogged = justLoggedId && ctx.state.checkIns.get(justLoggedId);
  const panelButton = (role, label, content) =>
    h(
      "button",
      {
        type: "button",
        class: "btn btn-small",
        "data-role": role,
        "aria-controls": panel.id,
        "aria-expanded": "false",
        onclick: () => open(content, role),
      },
      label,
      h("span", { class: "visually-hidden" }, " ", t("exercise_card.for_name", { name })),
    );

  card = h(
    "article",
    { class: classes, "aria-labelledby": headingId },
    h("div", { class: "entry-head" }, heading, doneButton),
    notes,
    justLogged
      ? h(
          "p",
          { class: "row small" },
          t("exercise_card.how_did_it_feel"),
          panelButton("feel", t("exercise_card.add_pain_and_effort"), () => detailsForm(entry, ctx, () => again(null), justLogged)),
        )
      : null,
    h(
      "div",
      { class: "row" },
      panelButton("details", t("exercise_card.partly_done_details"), () => detailsForm(entry, ctx, () => again(null), null)),
      p.complete
        ? null
        : skipButton(panel, name, () => open(() => skipForm({ item_key: entry.item_key }, name, ctx, () => again(null)), "skip")),
      howTo,
      last
        ? h(
            "button",
            {
              type: "button",
              class: "btn btn-small btn-quiet",
              onclick: async () => {
                try {
                  await undo(ctx, last);
                  toast(t("exercise_card.name_last_session_removed", { name }));
                  again("done");
                } catch (error) {
                  errorToast(error);
                }
              },
            },
            t("exercise_card.undo_last"),
            h("span", { class: "visually-hidden" }, " ", t("exercise_card.session_of_name", { name })),
          )
        : null,
    ),
    panel,
  );
  return card;
}
