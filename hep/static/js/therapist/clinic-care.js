// A clinic's defaults for its patients' attention thresholds, and its words for a patient who
// logs high pain: read by its members, set by its admins.

import { api } from "../api.js";
import { busy, field, h, showErrors, toast } from "../dom.js";
import { limits } from "../rules.js";
import { currentUser } from "../session.js";
import { thresholdFields, thresholdValues } from "../components/thresholds.js";
import { t } from "../i18n.js";

export async function clinicCare({ params }) {
  const clinic = await api.get(`/api/clinics/${encodeURIComponent(params.id)}`);
  const path = `/api/clinics/${encodeURIComponent(params.id)}/care-rules`;
  const found = await api.get(path);
  const manage = currentUser().role === "admin" || clinic.my_role === "admin";
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    manage ? null : h("p", { class: "banner" }, t("clinic_care.clinics_admins_set_these")),
    h("h2", {}, t("clinic_care.when_patient_needs_look")),
    thresholdFields(found.own, found.defaults, "thresholds.empty_value_heps"),
    h("h2", {}, t("clinic_care.what_patient_logging_high_pain_is_told")),
    field(
      t("clinic_care.your_clinics_words_optional"),
      h("textarea", { name: "pain_advice", rows: "5", ...limits("clinic_care", "pain_advice") }, found.pain_advice),
      { hint: t("clinic_care.empty_heps_words_advice", { advice: found.default_advice }) },
    ),
    manage ? h("button", { type: "submit", class: "btn btn-primary" }, t("common.save")) : null,
  );
  if (!manage) form.querySelectorAll("input, textarea").forEach((control) => (control.readOnly = true));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form, async () => {
      try {
        await api.put(path, {
          thresholds: thresholdValues(form),
          pain_advice: (new FormData(form).get("pain_advice") || "").trim(),
        });
        toast(t("clinic_care.saved_clinics_patients_follow_these"), "success");
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return h(
    "section",
    { class: "page" },
    h("p", {}, h("a", { href: `#/clinics/${clinic.id}` }, `← ${clinic.name}`)),
    h("h1", { class: "page-title", tabindex: "-1" }, t("clinic_care.attention_thresholds")),
    h("p", { class: "subtitle" }, t("clinic_care.defaults_for_patients_your_clinics")),
    form,
  );
}
