// The therapist's patients in the server's order, who needs attention first (not logging,
// pain rising, adherence falling, low adherence), each with the reasons spelled out; and
// adding a patient with an invite link to send.

import { api } from "../api.js";
import { busy, field, h, nextId, showErrors } from "../dom.js";
import { allZones, browserZone, daysSince, relative } from "../dates.js";
import { percentText } from "../labels.js";
import { limits, pageSizeMax } from "../rules.js";
import { inviteBox } from "../components/invite-box.js";

const known = (value) => value !== null && value !== undefined;

/** The server's attention reasons as badges, with their figures where the server gives them. */
export function attentionBadges(p) {
  if (!p.invite_accepted) return [{ text: "Invite not accepted", kind: "warn" }];
  const badges = (p.attention || []).map((reason) => {
    if (reason === "not logging") {
      const idle = daysSince(p.last_activity_at);
      return idle === Infinity
        ? { text: "No check-ins yet", kind: "warn" }
        : { text: `No check-ins for ${Math.floor(idle)} days`, kind: "alert" };
    }
    if (reason === "pain rising") return { text: "Pain rising", kind: "alert" };
    if (reason === "adherence falling") {
      // the week before, then the last one (either may be null: nothing was due)
      const figures =
        known(p.percent_prev_7_days) && known(p.percent_7_days)
          ? ` (${percentText(p.percent_prev_7_days)} → ${percentText(p.percent_7_days)})`
          : "";
      return { text: `Adherence falling${figures}`, kind: "warn" };
    }
    if (reason === "low adherence") {
      return { text: `Low adherence (${percentText(p.percent_7_days)})`, kind: "warn" };
    }
    return { text: reason.charAt(0).toUpperCase() + reason.slice(1), kind: "warn" };
  });
  return badges.length ? badges : [{ text: "On track", kind: "ok" }];
}

export async function patients() {
  const list = [];
  // the server orders the whole caseload by attention; pages follow one another in that order
  const size = pageSizeMax();
  for (let page = 1; ; page += 1) {
    const chunk = await api.get(`/api/patients?page=${page}&page_size=${size}`);
    list.push(...chunk);
    if (chunk.length < size) break;
  }
  const listBox = h("div");
  const filterId = nextId("filter");
  const render = (text) => {
    const needle = text.trim().toLowerCase();
    const shown = list.filter((p) => !needle || p.name.toLowerCase().includes(needle) || p.email.toLowerCase().includes(needle));
    listBox.replaceChildren(
      shown.length
        ? h("ul", { class: "list card", "aria-label": "Patients, most in need of attention first" }, shown.map(patientRow))
        : h("p", { class: "empty" }, list.length ? "No patient matches." : "No patients yet. Add your first patient below."),
    );
  };
  render("");
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, "Patients"),
    h("p", { class: "subtitle" }, "Who needs attention comes first: not logging, pain rising, adherence falling."),
    list.length > 5
      ? h(
          "div",
          { class: "field" },
          h("label", { for: filterId }, "Find a patient"),
          h("input", { id: filterId, type: "search", oninput: (e) => render(e.target.value) }),
        )
      : null,
    listBox,
    addPatientForm(),
  );
}

function patientRow(p) {
  return h(
    "li",
    { class: "patient-row" },
    h(
      "div",
      { class: "grow" },
      h("a", { class: "name", href: `#/patients/${p.id}` }, p.name),
      h(
        "div",
        { class: "row small" },
        attentionBadges(p).map((r) => h("span", { class: `badge badge-${r.kind}` }, r.text)),
        h("span", { class: "muted" }, p.invite_accepted ? `Last check-in ${relative(p.last_activity_at)}` : `Added ${relative(p.created_at)}`),
      ),
    ),
    h(
      "div",
      { class: "meter" },
      h("strong", {}, percentText(p.percent_7_days)),
      h("div", { class: "small muted" }, "last 7 days"),
      p.percent_7_days !== null && p.percent_7_days !== undefined
        ? h("progress", { max: "100", value: String(p.percent_7_days), "aria-label": `${p.name}: ${percentText(p.percent_7_days)} of the prescription done in the last 7 days` })
        : null,
    ),
  );
}

function addPatientForm() {
  const zone = browserZone();
  const zones = allZones();
  const result = h("div");
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, "Add a patient"),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field("Name", { type: "text", name: "name", required: true, autocomplete: "off", ...limits("sign_up", "name") }),
    field("Email", { type: "email", name: "email", required: true, autocomplete: "off" }),
    field(
      "Patient's time zone",
      h("select", { name: "timezone", value: zone }, zones.map((z) => h("option", { value: z }, z.replace(/_/g, " ")))),
      { hint: "Reminders follow it; the patient's phone sets it when they accept." },
    ),
    h("button", { type: "submit", class: "btn btn-primary" }, "Add and get invite link"),
    result,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = { name: data.get("name").trim(), email: data.get("email").trim(), timezone: data.get("timezone") };
    busy(form, async () => {
      try {
        const created = await api.post("/api/patients", body);
        result.replaceChildren(
          inviteBox(created.patient.name, created.patient.email, created.invite),
          h("p", {}, h("a", { href: `#/patients/${created.patient.id}` }, `Open ${created.patient.name}'s page to build a program`)),
        );
        form.querySelector('input[name="name"]').value = "";
        form.querySelector('input[name="email"]').value = "";
        result.querySelector("input")?.focus();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
