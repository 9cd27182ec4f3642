// Discharge and re-admission on a therapist's page of a patient: discharge with a note (the
// programs end, their reminders stop, the patient moves to the discharged list and keeps their
// own habits), re-admit (the programs run to their old end dates again), and earlier ones.

import { api } from "../api.js";
import { busy, clearErrors, confirmDialog, field, h, showErrors, toast } from "../dom.js";
import { dateTime } from "../dates.js";
import { navigate } from "../router.js";
import { limits } from "../rules.js";

/**
 * Reads the patient's discharges (the access log records it): `banner`, the discharge while it
 * lasts (with re-admission), for the top of the page; `card`, discharging and earlier ones.
 */
export async function dischargePanel(person) {
  const base = `/api/patients/${encodeURIComponent(person.id)}`;
  const all = await api.get(`${base}/discharges`);
  const open = all.find((d) => !d.readmitted_at);
  const past = all.filter((d) => d.readmitted_at);
  const earlier = past.length
    ? h(
        "details",
        { class: "small" },
        h("summary", {}, "Earlier discharges"),
        h(
          "ul",
          { class: "list" },
          past.map((d) =>
            h(
              "li",
              {},
              `Discharged ${dateTime(d.discharged_at)} by ${d.discharged_by}; re-admitted ${dateTime(d.readmitted_at)} by ${d.readmitted_by}`,
              d.note ? h("div", { class: "muted" }, `“${d.note}”`) : null,
            ),
          ),
        ),
      )
    : null;
  if (open) {
    return { banner: h("div", { class: "card", "data-role": "discharge" }, h("h2", {}, "Discharged"), openDischarge(person, base, open), earlier), card: null };
  }
  return {
    banner: null,
    card: h(
      "div",
      { class: "card", "data-role": "discharge" },
      h("h2", {}, "Discharge"),
      h("details", {}, h("summary", {}, `Discharge ${person.name}`), dischargeForm(person, base)),
      earlier,
    ),
  };
}

function openDischarge(person, base, d) {
  const button = h(
    "button",
    {
      type: "button",
      class: "btn btn-primary",
      onclick: async () => {
        const ok = await confirmDialog({
          title: `Re-admit ${person.name}?`,
          body: "They come back on your attention list, and the programs the discharge ended run to their old end dates again (unless someone changed them since). Their reminders for them start again.",
          confirm: "Re-admit",
        });
        if (!ok) return;
        button.disabled = true;
        try {
          await api.post(`${base}/readmission`);
          toast(`${person.name} is re-admitted.`, "success");
          navigate(`/patients/${person.id}`);
        } catch (error) {
          toast(error.message, "error");
          button.disabled = false;
        }
      },
    },
    "Re-admit",
  );
  return [
    h(
      "p",
      { class: "banner warn" },
      h("strong", {}, `Discharged ${dateTime(d.discharged_at)} by ${d.discharged_by}. `),
      "Their programs ended and the reminders for them stopped; their history stays readable here.",
    ),
    d.note ? h("p", {}, h("strong", {}, "Note: "), d.note) : null,
    button,
  ];
}

function dischargeForm(person, base) {
  const form = h(
    "form",
    { class: "stack", novalidate: true },
    h(
      "p",
      { class: "small" },
      `Discharging ends ${person.name}'s programs (nothing of them is due from today) and stops their program reminders. ${person.name} moves from your attention list to the discharged one and keeps their own habits and reminders; their history stays readable here. You can re-admit them later.`,
    ),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field("Discharge note (optional)", h("textarea", { name: "note", rows: "3", ...limits("discharge", "note") }), {
      hint: "For the care team and the patient. It stays out of the audit log.",
    }),
    h("button", { type: "submit", class: "btn" }, "Discharge"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const note = new FormData(form).get("note").trim();
    const ok = await confirmDialog({
      title: `Discharge ${person.name}?`,
      body: "Their programs end (nothing more is due from today) and their program reminders stop.",
      confirm: "Discharge",
      danger: true,
    });
    if (!ok) return;
    busy(form, async () => {
      try {
        await api.post(`${base}/discharge`, { note });
        clearErrors(form);
        toast(`${person.name} is discharged.`, "success");
        navigate(`/patients/${person.id}`);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
