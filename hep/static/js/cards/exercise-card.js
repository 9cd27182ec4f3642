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

function statusOf(p) {
  if (p.complete) return h("span", { class: "status status-done" }, "✓ Done for the day");
  if (p.skipped) return h("span", { class: "status status-skipped" }, "Skipped");
  if (p.partial) return h("span", { class: "status status-partial" }, "Partly done");
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
    "How to · timer",
    h("span", { class: "visually-hidden" }, ` for ${name}`),
  );
  const heading = h(
    "div",
    { class: "entry-title" },
    thumbnailFor(entry, ctx.state.media),
    h("h3", { id: headingId, tabindex: "-1" }, name),
    h("p", {}, doseText(entry.dose)),
    h("p", {}, `${Math.min(p.done, p.due)} of ${p.due} session${p.due === 1 ? "" : "s"}`, dots, " ", statusOf(p)),
  );
  const notes = entry.dose.notes ? h("p", { class: "small" }, h("strong", {}, "From your therapist: "), entry.dose.notes) : null;
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
            { successText: `${name}: session ${Math.min(p.done + 1, p.due)} of ${p.due} done.` },
          );
          card = rerender(card, () => exerciseCard(entry, ctx, result.id), "feel");
        } catch (error) {
          errorToast(error);
          again("done");
        }
      },
    },
    p.complete ? "Once more" : "Done",
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
      h("span", { class: "visually-hidden" }, ` for ${name}`),
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
          "How did it feel?",
          panelButton("feel", "Add pain and effort", () => detailsForm(entry, ctx, () => again(null), justLogged)),
        )
      : null,
    h(
      "div",
      { class: "row" },
      panelButton("details", "Partly done / details", () => detailsForm(entry, ctx, () => again(null), null)),
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
                  toast(`${name}: last session removed.`);
                  again("done");
                } catch (error) {
                  errorToast(error);
                }
              },
            },
            "Undo last",
            h("span", { class: "visually-hidden" }, ` session of ${name}`),
          )
        : null,
    ),
    panel,
  );
  return card;
}
