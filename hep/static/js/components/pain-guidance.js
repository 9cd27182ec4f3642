// What a patient sees the moment they log high pain: stop, and what to do, in the words their
// therapist or clinic wrote (hep's otherwise), that their care team was told, and a way to
// pause for a flare-up. The server says so in the answer to the write; offline, Today's `care`.

import { h, nextId } from "../dom.js";
import { t } from "../i18n.js";

/** The guidance for `pain` from Today's `care` (threshold and words), when no answer came. */
export function offlineGuidance(care, pain) {
  if (!care || pain === null || pain === undefined || pain < care.high_pain) return null;
  return { title: t("pain_guidance.stop_for_now"), advice: care.advice, team_told: null, threshold: care.high_pain };
}

/** Show the guidance in a dialog that keeps focus until it is read and closed. */
export function showGuidance(guidance) {
  const titleId = nextId("guidance");
  const adviceId = nextId("advice");
  const close = () => {
    dialog.close();
    dialog.remove();
  };
  const dialog = h(
    "dialog",
    { class: "dialog", role: "alertdialog", "aria-labelledby": titleId, "aria-describedby": adviceId, "data-role": "pain-guidance" },
    h("h2", { id: titleId }, guidance.title),
    h("p", { id: adviceId }, guidance.advice),
    guidance.team_told ? h("p", { class: "muted" }, guidance.team_told) : null,
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "btn btn-primary", onclick: close }, t("common.ok")),
      h("a", { class: "btn", href: "#/pause?mode=flare_up", onclick: close }, t("pain_guidance.pause_for_flare_up")),
    ),
  );
  dialog.addEventListener("cancel", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}
