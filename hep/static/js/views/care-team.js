// The patient's care team: therapists asking to join (accept or decline), who is on the team
// and who leads, removing a therapist (the confirmation says what happens), a discharge while
// it lasts, and everyone who was ever on the team.

import { api } from "../api.js";
import { confirmDialog, h, toast } from "../dom.js";
import { dateTime } from "../dates.js";
import { navigate } from "../router.js";
import { teamHistory } from "../components/team-history.js";
import { t } from "../i18n.js";

export async function careTeam() {
  const requests = await api.get("/api/me/link-requests");
  const team = await api.get("/api/me/care-team");
  const discharges = await api.get("/api/me/discharges");
  const open = discharges.find((d) => !d.readmitted_at);
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, t("care_team.your_care_team")),
    h("p", { class: "subtitle" }, t("care_team.therapists_who_see_your_programs")),
    requests.length ? h("div", {}, h("h2", {}, t("care_team.asking_to_join")), requests.map(requestCard)) : null,
    open ? dischargedNote(open) : null,
    h(
      "div",
      { class: "card" },
      h("h2", {}, t("care_team.on_your_team")),
      team.members.length
        ? h("ul", { class: "list" }, team.members.map((m) => memberRow(m, team.members)))
        : h("p", { class: "muted" }, t("care_team.no_therapist_you_track_your")),
      teamHistory(team.history),
    ),
    h("p", { class: "small" }, h("a", { href: "#/account" }, t("care_team.who_looked_at_my_data")), " ", t("care_team.is_under_more")),
  );
}

function requestCard(r) {
  const answer = async (accept) => {
    if (accept) {
      const ok = await confirmDialog({
        title: t("care_team.let_therapist_name_join_your", { therapist_name: r.therapist_name }),
        body: r.clinic_name
          ? t("care_team.request_body_clinic", { name: r.therapist_name, clinic: r.clinic_name })
          : t("care_team.request_body", { name: r.therapist_name }),
        confirm: t("care_team.accept"),
      });
      if (!ok) return;
    }
    try {
      await api.post(`/api/me/link-requests/${encodeURIComponent(r.id)}/${accept ? "accept" : "decline"}`);
      toast(accept ? t("care_team.therapist_name_joined_your_care", { therapist_name: r.therapist_name }) : t("care_team.you_declined_therapist_name_s", { therapist_name: r.therapist_name }), "success");
      navigate("/care-team");
    } catch (error) {
      toast(error.message, "error");
    }
  };
  return h(
    "article",
    { class: "card", "data-role": "link-request" },
    h("h3", {}, t("care_team.therapist_name_asks_to_join", { therapist_name: r.therapist_name })),
    h("p", { class: "small muted" }, [r.clinic_name, t("care_team.asked_until", { asked: dateTime(r.created_at), until: dateTime(r.expires_at) })].filter(Boolean).join(" · ")),
    h("p", {}, t("care_team.accept_only_if_you_know")),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "btn btn-primary", onclick: () => answer(true) }, t("care_team.accept"), h("span", { class: "visually-hidden" }, ` ${r.therapist_name}`)),
      h("button", { type: "button", class: "btn", onclick: () => answer(false) }, t("care_team.decline"), h("span", { class: "visually-hidden" }, ` ${r.therapist_name}`)),
    ),
  );
}

function dischargedNote(d) {
  return h(
    "div",
    { class: "banner", "data-role": "discharged" },
    h("p", {}, h("strong", {}, t("care_team.you_are_discharged_discharged_by", { discharged_by: d.discharged_by, dateTime: dateTime(d.discharged_at) }))),
    d.note ? h("p", {}, `“${d.note}”`) : null,
    h("p", {}, t("care_team.your_programs_have_ended_and")),
  );
}

function memberRow(m, members) {
  const others = members.filter((x) => x.therapist_id !== m.therapist_id);
  const remove = async () => {
    const lead = m.lead && others.length ? t("care_team.becomes_your_lead", { name: others[0].name }) : "";
    const last = others.length ? "" : t("care_team.you_will_have_no_therapist");
    const ok = await confirmDialog({
      title: t("care_team.remove_name_from_your_care", { name: m.name }),
      body: [t("care_team.name_stops_seeing_your_records", { name: m.name }), lead, last].filter(Boolean).join(" "),
      confirm: t("common.remove"),
      danger: true,
    });
    if (!ok) return;
    try {
      await api.del(`/api/me/care-team/${encodeURIComponent(m.therapist_id)}`);
      toast(t("care_team.name_is_off_your_care", { name: m.name }), "success");
      navigate("/care-team");
    } catch (error) {
      toast(error.message, "error");
    }
  };
  return h(
    "li",
    { "data-member": m.name },
    h("strong", {}, m.name),
    m.lead ? h("span", { class: "badge badge-ok" }, t("care_team.lead")) : null,
    h("div", { class: "small muted" }, t("care_team.clinic_since", { clinic: m.clinic_name || t("care_team.works_on_their_own"), since: dateTime(m.since) })),
    h("div", { class: "row" }, h("button", { type: "button", class: "btn btn-small btn-quiet", onclick: remove }, t("common.remove"), h("span", { class: "visually-hidden" }, " ", t("care_team.name_from_your_care_team", { name: m.name })))),
  );
}
