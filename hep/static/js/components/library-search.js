// The exercise library's search: filters, paged results, each exercise's instructions; an
// "Add" button per result in the program builder; in the library an "Edit" link to your own,
// a copy to adapt of any other, and the archived ones on request.

import { api, query } from "../api.js";
import { field, h, replace, toast } from "../dom.js";
import { CATEGORIES, EQUIPMENT, REGIONS, doseText } from "../labels.js";
import { navigate } from "../router.js";
import { limits, pageSizeMax } from "../rules.js";
import { currentUser } from "../session.js";
import { t } from "../i18n.js";

/** The search box, its filters and the results; `onAdd(exercise)` adds a result (builder only). */
export function librarySearch(onAdd, { title = t("library_search.library") } = {}) {
  const results = h("div", { class: "results", "aria-live": "polite" });
  const more = h("button", { type: "button", class: "btn btn-small", hidden: true }, t("library_search.more_results"));
  const pageSize = Math.min(20, pageSizeMax());
  let page = 1;
  let timer = null;
  const form = h(
    "form",
    { role: "search", class: "stack", onsubmit: (e) => e.preventDefault() },
    field(t("library_search.search_exercises"), { type: "search", name: "q", placeholder: t("library_search.chin_tuck_hip_band"), ...limits("exercise_search", "q") }),
    h(
      "div",
      { class: "dose-grid" },
      field(t("library_search.body_region"), h("select", { name: "region" }, h("option", { value: "" }, t("library_search.any")), Object.entries(REGIONS).map(([v, l]) => h("option", { value: v }, l)))),
      field(t("library_search.kind"), h("select", { name: "category" }, h("option", { value: "" }, t("library_search.any")), Object.entries(CATEGORIES).map(([v, l]) => h("option", { value: v }, l)))),
      field(t("library_search.equipment"), h("select", { name: "equipment" }, h("option", { value: "" }, t("library_search.any")), Object.entries(EQUIPMENT).map(([v, l]) => h("option", { value: v }, l)))),
    ),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "mine" }), t("library_search.only_my_own_exercises")),
    // an archived exercise is prescribed no more: the builder never offers one
    onAdd ? null : h("label", { class: "check" }, h("input", { type: "checkbox", name: "archived" }), t("library_search.archived_exercises_instead")),
  );
  const load = async (append) => {
    const data = new FormData(form);
    const params = {
      q: (data.get("q") || "").trim(),
      region: data.get("region"),
      category: data.get("category"),
      equipment: data.get("equipment"),
      mine: data.get("mine") ? "true" : "",
      archived: data.get("archived") ? "true" : "",
      page,
      page_size: pageSize,
    };
    try {
      const found = await api.get(`/api/exercises${query(params)}`);
      const rows = found.map((exercise) => exerciseRow(exercise, onAdd));
      if (append) results.querySelector("ul")?.append(...rows);
      else replace(results, found.length ? h("ul", { class: "list", "aria-label": t("library_search.search_results") }, rows) : h("p", { class: "muted" }, t("library_search.no_exercise_matches")));
      more.hidden = found.length < pageSize;
    } catch (error) {
      replace(results, h("p", { class: "form-alert" }, error.message));
    }
  };
  let lastQuery = null;
  const search = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      // a blur fires "change" after "input": the same query must not reload (and jump) the list
      const wanted = new URLSearchParams(new FormData(form)).toString();
      if (wanted === lastQuery) return;
      lastQuery = wanted;
      page = 1;
      load(false);
    }, 250);
  };
  form.addEventListener("input", search);
  form.addEventListener("change", search);
  more.addEventListener("click", () => {
    page += 1;
    load(true);
  });
  lastQuery = new URLSearchParams(new FormData(form)).toString();
  load(false);
  return h("div", { class: "card" }, h("h2", {}, title), form, results, more);
}

async function copy(exercise) {
  try {
    const mine = await api.post(`/api/exercises/${encodeURIComponent(exercise.id)}/copy`);
    toast(t("library_search.copied_name_adapt_it_and", { name: mine.name }), "success");
    navigate(`/library/${mine.id}/edit`);
  } catch (error) {
    toast(error.message, "error");
  }
}

function origin(exercise, own) {
  if (own) return h("span", { class: "badge" }, exercise.clinic_id ? t("library_search.yours_shared") : t("library_search.yours"));
  if (exercise.built_in) return null;
  return h("span", { class: "badge" }, t("library_search.colleagues"));
}

function exerciseRow(exercise, onAdd) {
  const own = exercise.owner_id === currentUser().id;
  return h(
    "li",
    {},
    h(
      "div",
      { class: "row spread" },
      h(
        "div",
        { class: "grow" },
        h("strong", {}, exercise.name),
        origin(exercise, own),
        exercise.archived ? h("span", { class: "badge badge-warn" }, t("library_search.archived")) : null,
        h("div", { class: "small muted" }, [CATEGORIES[exercise.category], exercise.regions.map((r) => REGIONS[r]).join(", "), doseText(exercise.dose)].filter(Boolean).join(" · ")),
      ),
      onAdd
        ? h("button", { type: "button", class: "btn btn-small", "aria-label": t("library_search.add_name", { name: exercise.name }), "data-role": "add-exercise", onclick: () => onAdd(exercise) }, t("common.add"))
        : own
          ? h("a", { class: "btn btn-small", href: `#/library/${exercise.id}/edit` }, t("common.edit"), h("span", { class: "visually-hidden" }, ` ${exercise.name}`))
          : h("button", { type: "button", class: "btn btn-small", onclick: () => copy(exercise) }, t("library_search.copy_to_adapt"), h("span", { class: "visually-hidden" }, ` ${exercise.name}`)),
    ),
    h(
      "details",
      { class: "small" },
      h("summary", {}, t("library_search.instructions"), h("span", { class: "visually-hidden" }, " ", t("library_search.for_name", { name: exercise.name }))),
      exercise.summary ? h("p", {}, exercise.summary) : null,
      h("ol", { class: "steps" }, (exercise.instructions || []).map((s) => h("li", {}, s))),
      exercise.cautions?.length ? h("div", { class: "cautions" }, h("strong", {}, t("library_search.cautions")), h("ul", {}, exercise.cautions.map((c) => h("li", {}, c)))) : null,
    ),
  );
}

