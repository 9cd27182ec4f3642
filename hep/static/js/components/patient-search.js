// The therapist's patient list, searched and filtered on the server: a part of a name or an
// email, and an attention reason that holds; pages in the server's order (who needs attention
// first), with more loaded on request.

import { api, query } from "../api.js";
import { field, h, nextId, toast } from "../dom.js";
import { careRules, pageSizeMax } from "../rules.js";
import { t, words } from "../i18n.js";
import { reasonName } from "./attention.js";

const WORDS = words({
  search: "patient_search.find_patient",
  searchHint: "patient_search.part_of_name_or_email",
  reason: "patient_search.needing_attention_for",
  anyReason: "patient_search.any_reason_or_none",
  more: "patient_search.show_more_patients",
  found: (count) => t("patient_search.patients_shown", { count }),
});
const PAGE = 50;
const WAIT_MS = 250;

/** `row` draws one patient; `words`: the list's label, and what to say with none to show. */
export async function patientSearch({ row, label, none, empty }) {
  const size = Math.min(PAGE, pageSizeMax());
  const reasons = (careRules()?.reasons || []).map((r) => r.name);
  const search = h("input", { type: "search", name: "q", autocomplete: "off" });
  const reason = h(
    "select",
    { name: "reason" },
    h("option", { value: "" }, WORDS.anyReason),
    reasons.map((r) => h("option", { value: r }, reasonName(r))),
  );
  const listBox = h("div");
  const status = h("p", { class: "visually-hidden", role: "status" });
  const more = h("button", { type: "button", class: "btn btn-small", hidden: true }, WORDS.more);
  let page = 1;
  let shown = [];
  let asked = 0;

  const load = async (next) => {
    const mine = ++asked;
    const wanted = next ? page + 1 : 1;
    const found = await api.get(`/api/patients${query({ q: search.value.trim(), reason: reason.value, page: wanted, page_size: size })}`);
    if (mine !== asked) return; // a newer search has started
    page = wanted;
    shown = next ? [...shown, ...found] : found;
    const narrowed = search.value.trim() || reason.value;
    listBox.replaceChildren(
      shown.length ? h("ul", { class: "list card", "aria-label": label }, shown.map(row)) : h("p", { class: "empty" }, narrowed ? none : empty),
    );
    more.hidden = found.length < size;
    status.textContent = WORDS.found(shown.length);
  };
  const reload = () => load(false).catch((error) => toast(error.message, "error"));
  let timer = null;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(reload, WAIT_MS);
  });
  reason.addEventListener("change", reload);
  more.addEventListener("click", () => load(true).catch((error) => toast(error.message, "error")));
  await load(false);
  return h(
    "div",
    {},
    h(
      "div",
      { class: "dose-grid", role: "search" },
      field(WORDS.search, search, { hint: WORDS.searchHint, name: nextId("q") }),
      field(WORDS.reason, reason),
    ),
    status,
    listBox,
    more,
  );
}
