// Discharge and re-admission on a therapist's page of a patient: discharge with a note (the
// programs end, their reminders stop, the patient moves to the discharged list and keeps their
// own habits), re-admit (the programs run to their old end dates again), and earlier ones.

import { api } from "../api.js";
import { busy, clearErrors, confirmDialog, field, h, showErrors, toast } from "../dom.js";
import { dateTime } from "../dates.js";
import { navigate } from "../router.js";
import { limits } from "../rules.js";
import { t } from "../i18n.js";

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
        h("summary", {}, t("discharge.earlier_discharges")),
        h(
          "ul",
          { class: "list" },
          past.map((d) =>
            h(
              "li",
              {},
              t("discharge.discharged_datetime_by_discharged_by", { dateTime: dateTime(d.discharged_at), discharged_by: d.discharged_by, dateTime2: dateTime(d.readmitted_at), readmitted_by: d.readmitted_by }),
              d.note ? h("div", { class: "muted" }, `“${d.note}”`) : null,
            ),
          ),
        ),
      )
    : null;
  if (open) {
    return { banner: h("div", { class: "card", "data-role": "discharge" }, h("h2", {}, t("discharge.discharged")), openDischarge(person, base, open), earlier), card: null };
  }
  return {
    banner: null,
    card: h(
      "div",
      { class: "card", "data-role": "discharge" },
      h("h2", {}, t("discharge.discharge")),
      h("details", {}, h("summary", {}, t("discharge.discharge_name", { name: person.name })), dischargeForm(person, base)),
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
          title: t("discharge.re_admit_name", { name: person.name }),
          body: t("discharge.they_come_back_on_your"),
          confirm: t("discharge.re_admit"),
        });
        if (!ok) return;
        button.disabled = true;
        try {
          await api.post(`${base}/readmission`);
          toast(t("discharge.name_is_re_admitted", { name: person.name }), "success");
          navigate(`/patients/${person.id}`);
        } catch (error) {
          toast(error.message, "error");
          button.disabled = false;
        }
      },
    },
    t("discharge.re_admit"),
  );
  return [
    h(
      "p",
      { class: "banner warn" },
      h("strong", {}, t("discharge.discharged_on_by", { when: dateTime(d.discharged_at), by: d.discharged_by })),
      " ",
      t("discharge.their_programs_ended_and_reminders"),
    ),
    d.note ? h("p", {}, h("strong", {}, t("discharge.note"), " "), d.note) : null,
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
      t("discharge.discharging_ends_name_s_programs", { name: person.name, name2: person.name }),
    ),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(t("discharge.discharge_note_optional"), h("textarea", { name: "note", rows: "3", ...limits("discharge", "note") }), {
      hint: t("discharge.for_care_team_and_patient"),
    }),
    h("button", { type: "submit", class: "btn" }, t("discharge.discharge")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const note = new FormData(form).get("note").trim();
    const ok = await confirmDialog({
      title: t("discharge.discharge_name_2", { name: person.name }),
      body: t("discharge.their_programs_end_nothing_more"),
      confirm: t("discharge.discharge"),
      danger: true,
    });
    if (!ok) return;
    busy(form, async () => {
      try {
        await api.post(`${base}/discharge`, { note });
        clearErrors(form);
        toast(t("discharge.name_is_discharged", { name: person.name }), "success");
        navigate(`/patients/${person.id}`);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
