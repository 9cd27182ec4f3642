// The exercise library for therapists: search the built-ins, your own and those shared in your
// clinics; copy any to adapt it; add, edit, share, archive and bring back your own.

import { api } from "../api.js";
import { busy, clearErrors, confirmDialog, field, h, replace, showErrors, toast } from "../dom.js";
import { CATEGORIES, EQUIPMENT, REGIONS, SIDES } from "../labels.js";
import { navigate } from "../router.js";
import { limits } from "../rules.js";
import { librarySearch } from "../components/library-search.js";
import { gallery, uploadControl } from "../components/media.js";
import { shareField } from "../components/sharing.js";
import { t } from "../i18n.js";

export async function library() {
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, t("library.exercise_library")),
    h("p", { class: "subtitle" }, t("library.built_in_corrective_exercises_written")),
    h("div", { class: "actions" }, h("a", { class: "btn btn-primary", href: "#/library/new" }, t("library.add_your_own_exercise"))),
    librarySearch(null, { title: t("library.search") }),
  );
}

function checkboxes(name, legend, options, selected) {
  return h(
    "fieldset",
    { "data-field": name },
    h("legend", {}, legend),
    h(
      "div",
      { class: "chips" },
      Object.entries(options).map(([value, label]) =>
        h(
          "label",
          { class: "chip" },
          h("input", { type: "checkbox", name, value, checked: selected.includes(value) }),
          h("span", {}, label),
        ),
      ),
    ),
  );
}

export async function exerciseForm({ params }) {
  const existing = params.id ? await api.get(`/api/exercises/${encodeURIComponent(params.id)}`) : null;
  const clinics = new Map((await api.get("/api/clinics")).map((c) => [c.id, c.name]));
  const dose = existing?.dose || { sets: 1, side: "both", times_per_day: 1 };
  const equipment = { ...EQUIPMENT };
  delete equipment.none;
  const num = (label, name) =>
    field(label, { type: "number", name, value: dose[name] ?? "", inputmode: "numeric", ...limits("exercise_dose", name) });
  const side = field(t("library.side"), h("select", { name: "side", value: dose.side || "both" }, Object.entries(SIDES).map(([v, l]) => h("option", { value: v }, l))));
  side.classList.add("field-wide");
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(t("common.name"), { type: "text", name: "name", required: true, value: existing?.name || "", ...limits("exercise", "name") }),
    field(t("library.summary"), { type: "text", name: "summary", value: existing?.summary || "", ...limits("exercise", "summary") }, { hint: t("library.one_line_what_it_is") }),
    checkboxes("regions", t("library.body_regions"), REGIONS, existing?.regions || []),
    field(
      t("library.kind"),
      h("select", { name: "category", value: existing?.category || "stretch" }, Object.entries(CATEGORIES).map(([v, l]) => h("option", { value: v }, l))),
    ),
    checkboxes("equipment", t("library.equipment"), equipment, existing?.equipment || []),
    h(
      "fieldset",
      { "data-field": "dose" },
      h("legend", {}, t("library.default_dose")),
      h(
        "div",
        { class: "dose-grid" },
        num(t("library.sets"), "sets"),
        num(t("library.reps"), "reps"),
        num("Hold (s)", "hold_seconds"),
        num("Duration (s)", "duration_seconds"),
        num("Rest (s)", "rest_seconds"),
        num(t("library.times_day"), "times_per_day"),
        side,
      ),
    ),
    field(t("library.steps"), h("textarea", { name: "instructions", rows: "5" }, (existing?.instructions || []).join("\n")), { hint: t("library.one_step_per_line") }),
    field(t("library.cautions"), h("textarea", { name: "cautions", rows: "3" }, (existing?.cautions || []).join("\n")), { hint: t("library.one_per_line_when_to") }),
    field(t("library.video_or_picture_link_https"), { type: "url", name: "media_url", value: existing?.media_url || "" }),
    shareField(clinics, existing?.clinic_id),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "btn btn-primary" }, existing ? t("library.save_exercise") : t("library.add_exercise")),
      h("a", { class: "btn btn-quiet", href: "#/library" }, t("common.cancel")),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const lines = (name) => (data.get(name) || "").split("\n").map((s) => s.trim()).filter(Boolean);
    const number = (name) => (data.get(name) === "" ? null : Number(data.get(name)));
    const body = {
      name: data.get("name").trim(),
      summary: data.get("summary").trim(),
      regions: data.getAll("regions"),
      category: data.get("category"),
      equipment: data.getAll("equipment"),
      dose: {
        sets: number("sets") || 1,
        reps: number("reps"),
        hold_seconds: number("hold_seconds"),
        duration_seconds: number("duration_seconds"),
        rest_seconds: number("rest_seconds"),
        side: data.get("side"),
        times_per_day: number("times_per_day") || 1,
      },
      instructions: lines("instructions"),
      cautions: lines("cautions"),
      media_url: (data.get("media_url") || "").trim() || null,
      clinic_id: data.get("clinic_id") || null,
    };
    busy(form, async () => {
      try {
        if (existing) await api.patch(`/api/exercises/${existing.id}`, body);
        else await api.post("/api/exercises", body);
        clearErrors(form);
        toast(existing ? t("library.exercise_saved") : t("library.exercise_added_to_your_library"), "success");
        navigate("/library");
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return h(
    "section",
    { class: "page" },
    h("p", {}, h("a", { href: "#/library" }, t("library.library"))),
    h("h1", { class: "page-title", tabindex: "-1" }, existing ? t("library.edit_name", { name: existing.name }) : t("library.new_exercise")),
    form,
    existing ? await exerciseMedia(existing) : null,
    existing ? archiveCard(existing) : null,
  );
}

// the exercise's own photos and videos: every patient whose program has it sees them
async function exerciseMedia(exercise) {
  const media = await api.get(`/api/exercises/${encodeURIComponent(exercise.id)}/media`);
  const shown = h("div", {}, gallery(media, exercise.name));
  return h(
    "div",
    { class: "card" },
    h("h2", {}, t("library.photos_and_videos")),
    h("p", { class: "hint" }, t("library.patients_whose_program_has_this")),
    shown,
    uploadControl(`/api/exercises/${exercise.id}/media`, exercise.name, (added) => {
      media.push(added);
      replace(shown, gallery(media, exercise.name));
    }),
  );
}

// archived: kept in the programs that use it, gone from search and new prescriptions
function archiveCard(exercise) {
  const button = h(
    "button",
    {
      type: "button",
      class: "btn",
      onclick: async () => {
        if (!exercise.archived) {
          const ok = await confirmDialog({
            title: t("library.archive_name", { name: exercise.name }),
            body: t("library.programs_that_have_it_keep"),
            confirm: t("library.archive"),
          });
          if (!ok) return;
        }
        button.disabled = true;
        try {
          await api.patch(`/api/exercises/${exercise.id}`, { archived: !exercise.archived });
          toast(exercise.archived ? t("library.name_is_back_in_library", { name: exercise.name }) : t("library.name_is_archived", { name: exercise.name }), "success");
          navigate("/library");
        } catch (error) {
          toast(error.message, "error");
          button.disabled = false;
        }
      },
    },
    exercise.archived ? t("library.bring_back_to_library") : t("library.archive_exercise"),
  );
  return h(
    "div",
    { class: "card" },
    h("h2", {}, exercise.archived ? t("library.archived") : t("library.archive")),
    h(
      "p",
      { class: "small muted" },
      exercise.archived
        ? t("library.programs_that_have_it_keep_2")
        : t("library.no_longer_prescribing_it_archive"),
    ),
    button,
  );
}
