// The care team on a therapist's page of a patient: who is on it and who leads; adding a
// colleague of the clinic you care under, handing the lead over, leaving the team, and (a
// clinic admin) removing one of the clinic's therapists. Access ends at once for whoever goes.

import { api } from "../api.js";
import { busy, clearErrors, confirmDialog, field, h, showErrors, toast } from "../dom.js";
import { dateTime } from "../dates.js";
import { navigate } from "../router.js";
import { pageSizeMax } from "../rules.js";
import { currentUser } from "../session.js";
import { teamHistory } from "./team-history.js";
import { t } from "../i18n.js";

/** Loads the team (a read the patient's access log records) and the clinics you work in. */
export async function careTeamSection(person) {
  const base = `/api/patients/${encodeURIComponent(person.id)}/team`;
  const team = await api.get(base);
  const clinics = await api.get("/api/clinics");
  const me = currentUser().id;
  const mine = team.members.find((m) => m.therapist_id === me);
  const adminOf = new Set(clinics.filter((c) => c.my_role === "admin").map((c) => c.id));
  const colleagues = mine?.clinic_id
    ? (await api.get(`/api/clinics/${encodeURIComponent(mine.clinic_id)}/members?page_size=${pageSizeMax()}`)).filter(
        (c) => c.is_active && !team.members.some((m) => m.therapist_id === c.id),
      )
    : [];
  const ctx = { person, base, team, mine, me, adminOf };
  return h(
    "div",
    { class: "card", "data-role": "care-team" },
    h("h2", {}, t("care_team.care_team")),
    h("ul", { class: "list" }, team.members.map((m) => memberRow(m, ctx))),
    colleagues.length ? addColleagueForm(ctx, colleagues) : h("p", { class: "small muted" }, t("care_team.every_therapist_of_your_clinic")),
    teamHistory(team.history),
  );
}

function memberRow(m, ctx) {
  const you = m.therapist_id === ctx.me;
  const actions = [];
  if (you) {
    actions.push(h("button", { type: "button", class: "btn btn-small btn-quiet", onclick: () => leave(ctx) }, t("care_team.leave_team")));
  } else {
    if (ctx.mine?.lead) {
      actions.push(
        h("button", { type: "button", class: "btn btn-small", onclick: () => handOver(ctx, m) }, t("care_team.make_lead"), h("span", { class: "visually-hidden" }, `: ${m.name}`)),
      );
    }
    if (ctx.adminOf.has(m.clinic_id)) {
      actions.push(
        h("button", { type: "button", class: "btn btn-small btn-quiet", onclick: () => removeOne(ctx, m) }, t("common.remove"), h("span", { class: "visually-hidden" }, " ", t("care_team.name_from_team", { name: m.name }))),
      );
    }
  }
  return h(
    "li",
    { "data-member": m.name },
    h("strong", {}, you ? t("care_team.name_you", { name: m.name }) : m.name),
    m.lead ? h("span", { class: "badge badge-ok" }, t("care_team.lead")) : null,
    h("div", { class: "small muted" }, t("care_team.clinic_since", { clinic: m.clinic_name || t("care_team.no_clinic"), since: dateTime(m.since) })),
    actions.length ? h("div", { class: "row" }, actions) : null,
  );
}

async function act(work, done) {
  try {
    await work();
    toast(done, "success");
    return true;
  } catch (error) {
    toast(error.message, "error");
    return false;
  }
}

async function handOver(ctx, m) {
  const ok = await confirmDialog({
    title: t("care_team.make_name_lead", { name: m.name }),
    body: t("care_team.name_leads_name2_s_care", { name: m.name, name2: ctx.person.name }),
    confirm: t("care_team.hand_over_lead"),
  });
  if (!ok) return;
  const put = () => api.put(`${ctx.base}/lead`, { therapist_id: m.therapist_id });
  if (await act(put, t("care_team.name_leads_team_now", { name: m.name }))) navigate(`/patients/${ctx.person.id}`);
}

async function removeOne(ctx, m) {
  const ok = await confirmDialog({
    title: t("care_team.remove_name_from_name2_s", { name: m.name, name2: ctx.person.name }),
    body: t(m.lead ? "care_team.remove_lead_body" : "care_team.remove_body", { name: m.name, patient: ctx.person.name }),
    confirm: t("common.remove"),
    danger: true,
  });
  if (!ok) return;
  const del = () => api.del(`${ctx.base}/${encodeURIComponent(m.therapist_id)}`);
  if (await act(del, t("care_team.name_is_off_team", { name: m.name }))) navigate(`/patients/${ctx.person.id}`);
}

async function leave(ctx) {
  const others = ctx.team.members.filter((m) => m.therapist_id !== ctx.me);
  const lead = ctx.mine?.lead && others.length ? t("care_team.lead_passes_to", { name: others[0].name }) : "";
  const alone = others.length ? "" : t("care_team.name_will_have_no_therapist", { name: ctx.person.name });
  const ok = await confirmDialog({
    title: t("care_team.leave_name_s_care_team", { name: ctx.person.name }),
    body: [t("care_team.you_stop_seeing_name_s", { name: ctx.person.name }), lead, alone, t("care_team.colleague_can_add_you_again")]
      .filter(Boolean)
      .join(" "),
    confirm: t("care_team.leave_team"),
    danger: true,
  });
  if (!ok) return;
  const del = () => api.del(`${ctx.base}/${encodeURIComponent(ctx.me)}`);
  if (await act(del, t("care_team.you_left_name_s_care", { name: ctx.person.name }))) navigate("/patients");
}

function addColleagueForm(ctx, colleagues) {
  const form = h(
    "form",
    { class: "stack", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(
      t("care_team.add_colleague"),
      h("select", { name: "therapist_id" }, colleagues.map((c) => h("option", { value: c.id }, c.name))),
      { hint: t("care_team.add_colleague_hint", { clinic: ctx.mine.clinic_name || t("care_team.your_clinic"), patient: ctx.person.name }) },
    ),
    h("button", { type: "submit", class: "btn btn-small" }, t("care_team.add_to_team")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const id = new FormData(form).get("therapist_id");
    busy(form, async () => {
      try {
        await api.post(ctx.base, { therapist_id: id });
        clearErrors(form);
        toast(t("care_team.joined_the_team", { name: colleagues.find((c) => c.id === id)?.name || t("care_team.your_colleague") }), "success");
        navigate(`/patients/${ctx.person.id}`);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
