// The patient's care team: therapists asking to join (accept or decline), who is on the team
// and who leads, removing a therapist (the confirmation says what happens), a discharge while
// it lasts, and everyone who was ever on the team.

import { api } from "../api.js";
import { confirmDialog, h, toast } from "../dom.js";
import { dateTime } from "../dates.js";
import { navigate } from "../router.js";
import { teamHistory } from "../components/team-history.js";

export async function careTeam() {
  const requests = await api.get("/api/me/link-requests");
  const team = await api.get("/api/me/care-team");
  const discharges = await api.get("/api/me/discharges");
  const open = discharges.find((d) => !d.readmitted_at);
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, "Your care team"),
    h("p", { class: "subtitle" }, "The therapists who see your programs, check-ins and pain diary. Every time one of them looks, it is written in your access log."),
    requests.length ? h("div", {}, h("h2", {}, "Asking to join"), requests.map(requestCard)) : null,
    open ? dischargedNote(open) : null,
    h(
      "div",
      { class: "card" },
      h("h2", {}, "On your team"),
      team.members.length
        ? h("ul", { class: "list" }, team.members.map((m) => memberRow(m, team.members)))
        : h("p", { class: "muted" }, "No therapist. You track your habits on your own; a therapist who adds your address sends you a request here."),
      teamHistory(team.history),
    ),
    h("p", { class: "small" }, h("a", { href: "#/account" }, "Who looked at my data"), " is under More."),
  );
}

function requestCard(r) {
  const answer = async (accept) => {
    if (accept) {
      const ok = await confirmDialog({
        title: `Let ${r.therapist_name} join your care team?`,
        body: `${r.therapist_name}${r.clinic_name ? ` of ${r.clinic_name}` : ""} sees your programs, check-ins, pain diary and habits from now on, and can prescribe exercises. You can remove them at any time.`,
        confirm: "Accept",
      });
      if (!ok) return;
    }
    try {
      await api.post(`/api/me/link-requests/${encodeURIComponent(r.id)}/${accept ? "accept" : "decline"}`);
      toast(accept ? `${r.therapist_name} joined your care team.` : `You declined ${r.therapist_name}'s request.`, "success");
      navigate("/care-team");
    } catch (error) {
      toast(error.message, "error");
    }
  };
  return h(
    "article",
    { class: "card", "data-role": "link-request" },
    h("h3", {}, `${r.therapist_name} asks to join your care team`),
    h("p", { class: "small muted" }, `${r.clinic_name ? `${r.clinic_name} · ` : ""}asked ${dateTime(r.created_at)}, until ${dateTime(r.expires_at)}`),
    h("p", {}, "Accept only if you know them: they will see your exercise and pain records."),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "btn btn-primary", onclick: () => answer(true) }, "Accept", h("span", { class: "visually-hidden" }, ` ${r.therapist_name}`)),
      h("button", { type: "button", class: "btn", onclick: () => answer(false) }, "Decline", h("span", { class: "visually-hidden" }, ` ${r.therapist_name}`)),
    ),
  );
}

function dischargedNote(d) {
  return h(
    "div",
    { class: "banner", "data-role": "discharged" },
    h("p", {}, h("strong", {}, `You are discharged: ${d.discharged_by} discharged you on ${dateTime(d.discharged_at)}.`)),
    d.note ? h("p", {}, `“${d.note}”`) : null,
    h("p", {}, "Your programs have ended and their reminders stopped. Your history stays under Progress; your own habits and reminders carry on. Your care team can re-admit you."),
  );
}

function memberRow(m, members) {
  const others = members.filter((x) => x.therapist_id !== m.therapist_id);
  const remove = async () => {
    const lead = m.lead && others.length ? ` ${others[0].name} becomes your lead therapist.` : "";
    const last = others.length
      ? ""
      : " You will have no therapist in hep: your programs stay as they are, and you keep your history, habits and reminders.";
    const ok = await confirmDialog({
      title: `Remove ${m.name} from your care team?`,
      body: `${m.name} stops seeing your records at once and cannot change your programs any more.${lead}${last}`,
      confirm: "Remove",
      danger: true,
    });
    if (!ok) return;
    try {
      await api.del(`/api/me/care-team/${encodeURIComponent(m.therapist_id)}`);
      toast(`${m.name} is off your care team.`, "success");
      navigate("/care-team");
    } catch (error) {
      toast(error.message, "error");
    }
  };
  return h(
    "li",
    { "data-member": m.name },
    h("strong", {}, m.name),
    m.lead ? h("span", { class: "badge badge-ok" }, "Lead") : null,
    h("div", { class: "small muted" }, `${m.clinic_name || "Works on their own"} · since ${dateTime(m.since)}`),
    h("div", { class: "row" }, h("button", { type: "button", class: "btn btn-small btn-quiet", onclick: remove }, "Remove", h("span", { class: "visually-hidden" }, ` ${m.name} from your care team`))),
  );
}
