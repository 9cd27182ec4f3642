// A clinic's defaults for its patients' attention thresholds, and its words for a patient who
// logs high pain: read by its members, set by its admins.

import { api } from "../api.js";
import { busy, field, h, showErrors, toast } from "../dom.js";
import { limits } from "../rules.js";
import { currentUser } from "../session.js";
import { thresholdFields, thresholdValues } from "../components/thresholds.js";

export async function clinicCare({ params }) {
  const clinic = await api.get(`/api/clinics/${encodeURIComponent(params.id)}`);
  const path = `/api/clinics/${encodeURIComponent(params.id)}/care-rules`;
  const found = await api.get(path);
  const manage = currentUser().role === "admin" || clinic.my_role === "admin";
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    manage ? null : h("p", { class: "banner" }, "The clinic's admins set these."),
    h("h2", {}, "When a patient needs a look"),
    thresholdFields(found.own, found.defaults, "hep's"),
    h("h2", {}, "What a patient logging high pain is told"),
    field(
      "Your clinic's words (optional)",
      h("textarea", { name: "pain_advice", rows: "5", ...limits("clinic_care", "pain_advice") }, found.pain_advice),
      { hint: `Empty: hep's words. “${found.default_advice}” A program can have its own.` },
    ),
    manage ? h("button", { type: "submit", class: "btn btn-primary" }, "Save") : null,
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
        toast("Saved. The clinic's patients follow these from now on.", "success");
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return h(
    "section",
    { class: "page" },
    h("p", {}, h("a", { href: `#/clinics/${clinic.id}` }, `← ${clinic.name}`)),
    h("h1", { class: "page-title", tabindex: "-1" }, "Attention thresholds"),
    h("p", { class: "subtitle" }, "Defaults for the patients your clinic's therapists lead; a patient's care team can set their own."),
    form,
  );
}
