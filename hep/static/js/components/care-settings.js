// One patient's own thresholds (else the clinic's) and whether hep may move their exercises
// on, or step them back at once, by itself: on their page, set by their care team.

import { api } from "../api.js";
import { busy, h, showErrors, toast } from "../dom.js";
import { thresholdFields, thresholdValues } from "./thresholds.js";
import { t } from "../i18n.js";

export async function careSettings(base) {
  const found = await api.get(`${base}/care-rules`);
  const check = (name, label, checked) =>
    h("label", { class: "check" }, h("input", { type: "checkbox", name, checked }), h("span", {}, label));
  const form = h(
    "form",
    { class: "card", novalidate: true, "data-role": "care-settings" },
    h("h2", {}, t("care_settings.thresholds_and_automatic_steps")),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    h("details", {}, h("summary", {}, t("care_settings.thresholds_for_this_patient")), thresholdFields(found.own, found.clinic, "thresholds.empty_value_clinics")),
    check("auto_progress", t("care_settings.hep_may_move_exercises_on"), found.auto_progress),
    check("auto_regress", t("care_settings.hep_steps_exercises_back_at_once"), found.auto_regress),
    h("button", { type: "submit", class: "btn" }, t("common.save")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    busy(form, async () => {
      try {
        await api.put(`${base}/care-rules`, {
          thresholds: thresholdValues(form),
          auto_progress: data.get("auto_progress") === "on",
          auto_regress: data.get("auto_regress") === "on",
        });
        toast(t("care_settings.saved"), "success");
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
