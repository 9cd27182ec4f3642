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
    h("h2", {}, "Care team"),
    h("ul", { class: "list" }, team.members.map((m) => memberRow(m, ctx))),
    colleagues.length ? addColleagueForm(ctx, colleagues) : h("p", { class: "small muted" }, "Every therapist of your clinic is on this team already."),
    teamHistory(team.history),
  );
}

function memberRow(m, ctx) {
  const you = m.therapist_id === ctx.me;
  const actions = [];
  if (you) {
    actions.push(h("button", { type: "button", class: "btn btn-small btn-quiet", onclick: () => leave(ctx) }, "Leave the team"));
  } else {
    if (ctx.mine?.lead) {
      actions.push(
        h("button", { type: "button", class: "btn btn-small", onclick: () => handOver(ctx, m) }, "Make lead", h("span", { class: "visually-hidden" }, `: ${m.name}`)),
      );
    }
    if (ctx.adminOf.has(m.clinic_id)) {
      actions.push(
        h("button", { type: "button", class: "btn btn-small btn-quiet", onclick: () => removeOne(ctx, m) }, "Remove", h("span", { class: "visually-hidden" }, ` ${m.name} from the team`)),
      );
    }
  }
  return h(
    "li",
    { "data-member": m.name },
    h("strong", {}, you ? `${m.name} (you)` : m.name),
    m.lead ? h("span", { class: "badge badge-ok" }, "Lead") : null,
    h("div", { class: "small muted" }, `${m.clinic_name || "No clinic"} · since ${dateTime(m.since)}`),
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
    title: `Make ${m.name} the lead?`,
    body: `${m.name} leads ${ctx.person.name}'s care from now on; you stay on the team.`,
    confirm: "Hand over the lead",
  });
  if (!ok) return;
  const put = () => api.put(`${ctx.base}/lead`, { therapist_id: m.therapist_id });
  if (await act(put, `${m.name} leads the team now.`)) navigate(`/patients/${ctx.person.id}`);
}

async function removeOne(ctx, m) {
  const ok = await confirmDialog({
    title: `Remove ${m.name} from ${ctx.person.name}'s care team?`,
    body: `${m.name} stops seeing ${ctx.person.name}'s records at once.${m.lead ? " The longest-serving therapist left on the team becomes the lead." : ""} ${ctx.person.name} sees the change in their access log.`,
    confirm: "Remove",
    danger: true,
  });
  if (!ok) return;
  const del = () => api.del(`${ctx.base}/${encodeURIComponent(m.therapist_id)}`);
  if (await act(del, `${m.name} is off the team.`)) navigate(`/patients/${ctx.person.id}`);
}

async function leave(ctx) {
  const others = ctx.team.members.filter((m) => m.therapist_id !== ctx.me);
  const lead = ctx.mine?.lead && others.length ? ` The lead passes to ${others[0].name}.` : "";
  const alone = others.length ? "" : ` ${ctx.person.name} will have no therapist in hep; they keep their history, habits and reminders.`;
  const ok = await confirmDialog({
    title: `Leave ${ctx.person.name}'s care team?`,
    body: `You stop seeing ${ctx.person.name}'s records at once, and they leave your patient list.${lead}${alone} A colleague can add you again.`,
    confirm: "Leave the team",
    danger: true,
  });
  if (!ok) return;
  const del = () => api.del(`${ctx.base}/${encodeURIComponent(ctx.me)}`);
  if (await act(del, `You left ${ctx.person.name}'s care team.`)) navigate("/patients");
}

function addColleagueForm(ctx, colleagues) {
  const form = h(
    "form",
    { class: "stack", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(
      "Add a colleague",
      h("select", { name: "therapist_id" }, colleagues.map((c) => h("option", { value: c.id }, c.name))),
      { hint: `Therapists of ${ctx.mine.clinic_name || "your clinic"}. They see ${ctx.person.name}'s records from then on.` },
    ),
    h("button", { type: "submit", class: "btn btn-small" }, "Add to the team"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const id = new FormData(form).get("therapist_id");
    busy(form, async () => {
      try {
        await api.post(ctx.base, { therapist_id: id });
        clearErrors(form);
        toast(`${colleagues.find((c) => c.id === id)?.name || "Your colleague"} joined the team.`, "success");
        navigate(`/patients/${ctx.person.id}`);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
