// One template: its current exercises, its versions (each with what changed), and for its
// author a rename or re-share (no new version), an edit (a new version) and deletion.

import { api } from "../api.js";
import { busy, clearErrors, confirmDialog, field, h, replace, showErrors, toast } from "../dom.js";
import { dateTime } from "../dates.js";
import { doseText } from "../labels.js";
import { navigate } from "../router.js";
import { limits } from "../rules.js";
import { ownership, shareField } from "../components/sharing.js";
import { t } from "../i18n.js";

async function namesOf(ids) {
  const names = new Map();
  for (const id of new Set(ids)) {
    const found = await api.get(`/api/exercises/${encodeURIComponent(id)}`).catch(() => null);
    names.set(id, found ? found.name : t("template.exercise_no_longer_in_library"));
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
        h("h3", {}, t("template.version_version", { version: v.version })),
        v.change_note ? h("p", {}, h("strong", {}, t("template.change"), " "), v.change_note) : null,
        v.notes ? h("p", {}, v.notes) : null,
        itemList(v.items, names),
      ),
    );
  return h(
    "section",
    { class: "page" },
    h("p", {}, h("a", { href: "#/templates" }, t("template.templates"))),
    h("h1", { class: "page-title", tabindex: "-1" }, found.title),
    h("p", { class: "subtitle" }, t("template.ownership_version_version_about_minutes", { ownership: ownership(found, clinics), version: found.version, minutes_per_session: found.minutes_per_session })),
    h(
      "div",
      { class: "grid-2" },
      h(
        "div",
        {},
        h(
          "div",
          { class: "card" },
          h("h2", {}, t("template.exercises")),
          found.notes ? h("p", {}, found.notes) : null,
          itemList(found.items, names),
          found.editable ? h("a", { class: "btn btn-primary", href: `#/templates/${found.id}/edit` }, t("template.edit_exercises")) : null,
        ),
        h(
          "div",
          { class: "card" },
          h("h2", {}, t("template.versions")),
          h(
            "ol",
            { class: "list", reversed: true },
            versions.map((v) =>
              h(
                "li",
                { class: "row spread" },
                h("span", {}, h("strong", {}, t("template.version_version", { version: v.version })), h("br"), h("span", { class: "small muted" }, `${dateTime(v.created_at)}${v.change_note ? ` · ${v.change_note}` : ""}`)),
                h(
                  "span",
                  { class: "row" },
                  h("button", { type: "button", class: "btn btn-small", onclick: () => show(v) }, t("template.show"), h("span", { class: "visually-hidden" }, " ", t("template.version_version_2", { version: v.version }))),
                  // a hep program file another hep (or clinic) imports as a template
                  h("a", { class: "btn btn-small", href: `${base}/export?version=${v.version}`, download: "" }, t("program_history.export_as_file"), h("span", { class: "visually-hidden" }, " ", t("template.version_version_2", { version: v.version }))),
                ),
              ),
            ),
          ),
          shown,
        ),
      ),
      found.editable
        ? h("div", {}, settingsForm(found, clinics), deleteCard(found))
        : h("p", { class: "card muted" }, t("template.only_its_author_changes_this")),
    ),
  );
}

function settingsForm(found, clinics) {
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("h2", {}, t("template.name_and_sharing")),
    h("p", { class: "small muted" }, t("template.changing_these_makes_no_new")),
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(t("template.title"), { type: "text", name: "title", value: found.title, required: true, ...limits("template", "title") }),
    shareField(clinics, found.clinic_id),
    h("button", { type: "submit", class: "btn" }, t("common.save")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    busy(form, async () => {
      try {
        await api.patch(`/api/templates/${found.id}`, { title: data.get("title").trim(), clinic_id: data.get("clinic_id") || null });
        clearErrors(form);
        toast(t("template.template_saved"), "success");
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
          title: t("template.delete_title", { title: found.title }),
          body: found.clinic_id
            ? t("template.it_goes_for_you_and")
            : t("template.programs_already_made_from_it"),
          confirm: t("common.delete"),
          danger: true,
        });
        if (!ok) return;
        button.disabled = true;
        try {
          await api.del(`/api/templates/${found.id}`);
          toast(t("template.deleted_title", { title: found.title }), "success");
          navigate("/templates");
        } catch (error) {
          toast(error.message, "error");
          button.disabled = false;
        }
      },
    },
    t("template.delete_template"),
  );
  return h("div", { class: "card" }, h("h2", { class: "danger-title" }, t("common.delete")), button);
}
