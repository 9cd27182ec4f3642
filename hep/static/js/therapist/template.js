// One template: its current exercises, its versions (each with what changed), and for its
// author a rename or re-share (no new version), an edit (a new version) and deletion.

import { api } from "../api.js";
import { busy, clearErrors, confirmDialog, field, h, replace, showErrors, toast } from "../dom.js";
import { dateTime } from "../dates.js";
import { doseText } from "../labels.js";
import { navigate } from "../router.js";
import { limits } from "../rules.js";
import { ownership, shareField } from "../components/sharing.js";

async function namesOf(ids) {
  const names = new Map();
  for (const id of new Set(ids)) {
    const found = await api.get(`/api/exercises/${encodeURIComponent(id)}`).catch(() => null);
    names.set(id, found ? found.name : "An exercise no longer in the library");
  }
  return names;
}

function itemList(items, names) {
  return h("ul", { class: "list" }, items.map((i) => h("li", {}, h("strong", {}, names.get(i.exercise_id)), h("br"), h("span", { class: "small muted" }, doseText(i)))));
}

export async function template({ params }) {
  const base = `/api/templates/${encodeURIComponent(params.id)}`;
  const found = await api.get(base);
  const versions = await api.get(`${base}/versions`);
  const clinics = new Map((await api.get("/api/clinics")).map((c) => [c.id, c.name]));
  const names = await namesOf(versions.flatMap((v) => v.items.map((i) => i.exercise_id)));
  const shown = h("div", { "aria-live": "polite" });
  const show = (v) =>
    replace(
      shown,
      h(
        "div",
        { class: "card", "data-role": "version" },
        h("h3", {}, `Version ${v.version}`),
        v.change_note ? h("p", {}, h("strong", {}, "Change: "), v.change_note) : null,
        v.notes ? h("p", {}, v.notes) : null,
        itemList(v.items, names),
      ),
    );
  return h(
    "section",
    { class: "page" },
    h("p", {}, h("a", { href: "#/templates" }, "← Templates")),
    h("h1", { class: "page-title", tabindex: "-1" }, found.title),
    h("p", { class: "subtitle" }, `${ownership(found, clinics)} · version ${found.version} · about ${found.minutes_per_session} min per session`),
    h(
      "div",
      { class: "grid-2" },
      h(
        "div",
        {},
        h(
          "div",
          { class: "card" },
          h("h2", {}, "Exercises"),
          found.notes ? h("p", {}, found.notes) : null,
          itemList(found.items, names),
          found.editable ? h("a", { class: "btn btn-primary", href: `#/templates/${found.id}/edit` }, "Edit exercises") : null,
        ),
        h(
          "div",
          { class: "card" },
          h("h2", {}, "Versions"),
          h(
            "ol",
            { class: "list", reversed: true },
            versions.map((v) =>
              h(
                "li",
                { class: "row spread" },
                h("span", {}, h("strong", {}, `Version ${v.version}`), h("br"), h("span", { class: "small muted" }, `${dateTime(v.created_at)}${v.change_note ? ` · ${v.change_note}` : ""}`)),
                h("button", { type: "button", class: "btn btn-small", onclick: () => show(v) }, "Show", h("span", { class: "visually-hidden" }, ` version ${v.version}`)),
              ),
            ),
          ),
          shown,
        ),
      ),
      found.editable
        ? h("div", {}, settingsForm(found, clinics), deleteCard(found))
        : h("p", { class: "card muted" }, "Only its author changes this template. Prescribe it from Templates, or save a program built from it as a template of your own."),
    ),
  );
}

function settingsForm(found, clinics) {
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, "Name and sharing"),
    h("p", { class: "small muted" }, "Changing these makes no new version."),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field("Title", { type: "text", name: "title", value: found.title, required: true, ...limits("template", "title") }),
    shareField(clinics, found.clinic_id),
    h("button", { type: "submit", class: "btn" }, "Save"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    busy(form, async () => {
      try {
        await api.patch(`/api/templates/${found.id}`, { title: data.get("title").trim(), clinic_id: data.get("clinic_id") || null });
        clearErrors(form);
        toast("Template saved.", "success");
        navigate(`/templates/${found.id}`);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}

function deleteCard(found) {
  const button = h(
    "button",
    {
      type: "button",
      class: "btn btn-danger",
      onclick: async () => {
        const ok = await confirmDialog({
          title: `Delete ${found.title}?`,
          body: found.clinic_id
            ? "It goes for you and your colleagues. Programs already made from it keep their exercises."
            : "Programs already made from it keep their exercises.",
          confirm: "Delete",
          danger: true,
        });
        if (!ok) return;
        button.disabled = true;
        try {
          await api.del(`/api/templates/${found.id}`);
          toast(`Deleted ${found.title}.`, "success");
          navigate("/templates");
        } catch (error) {
          toast(error.message, "error");
          button.disabled = false;
        }
      },
    },
    "Delete template",
  );
  return h("div", { class: "card" }, h("h2", { class: "danger-title" }, "Delete"), button);
}
