// The parts every Today card shares: the panel under it that opens one form at a time (its
// buttons say which is open), the Skip button, and a fresh rendering that keeps focus.

import { h, nextId, replace } from "../dom.js";
import { t } from "../i18n.js";

export function panelBox() {
  return h("div", { class: "entry-more", hidden: true, id: nextId("panel") });
}

/**
 * Open `content()` in the card's panel under the button marked `role`, or close it when that
 * one is open already. Focus moves into the form.
 */
export function togglePanel(card, panel, content, role) {
  const opening = panel.hidden || panel.dataset.role !== role;
  panel.dataset.role = role;
  panel.hidden = !opening;
  card.querySelectorAll("[aria-controls]").forEach((b) => {
    b.setAttribute("aria-expanded", String(opening && b.dataset.role === role));
  });
  if (opening) {
    replace(panel, content());
    panel.querySelector("input, select, textarea, button")?.focus();
  }
}

/** Replace a card with a fresh rendering and put focus back where the person was. */
export function rerender(card, build, focusRole) {
  const fresh = build();
  card.replaceWith(fresh);
  const target = (focusRole && fresh.querySelector(`[data-role="${focusRole}"]`)) || fresh.querySelector("h3");
  target?.focus();
  return fresh;
}

// "Skip" for an exercise or a habit: opens the skip form in the card's panel
export function skipButton(panel, name, onclick) {
  return h(
    "button",
    {
      type: "button",
      class: "btn btn-small",
      "data-role": "skip",
      "aria-controls": panel.id,
      "aria-expanded": "false",
      onclick,
    },
    t("panel.skip"),
    h("span", { class: "visually-hidden" }, ` ${name}`),
  );
}
