// One patient's own thresholds (else the clinic's) and whether hep may move their exercises
// on, or step them back at once, by itself: on their page, set by their care team.

import { api } from "../api.js";
import { busy, h, showErrors, toast } from "../dom.js";
import { thresholdFields, thresholdValues } from "./thresholds.js";

export async function careSettings(base) {
  const found = await api.get(`${base}/care-rules`);
  const check = (name, label, checked) =>
    h("label", { class: "check" }, h("input", { type: "checkbox", name, checked }), h("span", {}, label));
  const form = h(
    "form",
    { class: "card", novalidate: true, "data-role": "care-settings" },
    h("h2", {}, "Thresholds and automatic steps"),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    h("details", {}, h("summary", {}, "Thresholds for this patient"), thresholdFields(found.own, found.clinic, "the clinic's")),
    check("auto_progress", "hep may move exercises on by itself", found.auto_progress),
    check("auto_regress", "hep steps exercises back at once when pain calls for it (you are told)", found.auto_regress),
    h("button", { type: "submit", class: "btn" }, "Save"),
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
        toast("Saved.", "success");
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
