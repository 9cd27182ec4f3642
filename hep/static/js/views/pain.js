// The pain diary: a day's score 0–10, where it hurts, a note; and the last four weeks.

import { api } from "../api.js";
import { busy, field, h, nextId, showErrors, toast } from "../dom.js";
import { addDays, longDay, shortDay, todayIn } from "../dates.js";
import { REGIONS } from "../labels.js";
import { currentUser } from "../session.js";
import { timeChart } from "../charts.js";
import { editDays, limits } from "../rules.js";
import { painScale } from "../components/scales.js";
import { showGuidance } from "../components/pain-guidance.js";
import { t } from "../i18n.js";

const svg = (tag, attrs, ...c) => h(`svg:${tag}`, attrs, ...c);

/** Front and back outlines; the regions light up as they are ticked (the ticks are the input). */
export function bodyMap(selected) {
  const part = (region, shape, attrs) =>
    svg(shape, { class: `part${selected.has(region) ? " on" : ""}`, "data-region": region, ...attrs });
  const plain = (shape, attrs) => svg(shape, { class: "part", ...attrs });
  const figure = (dx, back) => [
    plain("circle", { cx: 50 + dx, cy: 16, r: 11 }),
    part("neck", "rect", { x: 44 + dx, y: 27, width: 12, height: 10, rx: 3 }),
    part("shoulders", "ellipse", { cx: 30 + dx, cy: 44, rx: 11, ry: 7 }),
    part("shoulders", "ellipse", { cx: 70 + dx, cy: 44, rx: 11, ry: 7 }),
    back
      ? part("upper_back", "rect", { x: 36 + dx, y: 40, width: 28, height: 28, rx: 6 })
      : part("chest", "rect", { x: 36 + dx, y: 40, width: 28, height: 26, rx: 6 }),
    back
      ? part("low_back", "rect", { x: 38 + dx, y: 70, width: 24, height: 22, rx: 5 })
      : plain("rect", { x: 38 + dx, y: 68, width: 24, height: 24, rx: 5 }),
    plain("rect", { x: 18 + dx, y: 50, width: 9, height: 56, rx: 4 }),
    plain("rect", { x: 73 + dx, y: 50, width: 9, height: 56, rx: 4 }),
    part("hips_glutes", "rect", { x: 36 + dx, y: 94, width: 28, height: 20, rx: 8 }),
    part("legs", "rect", { x: 37 + dx, y: 116, width: 12, height: 66, rx: 5 }),
    part("legs", "rect", { x: 51 + dx, y: 116, width: 12, height: 66, rx: 5 }),
    part("feet", "ellipse", { cx: 42 + dx, cy: 190, rx: 8, ry: 5 }),
    part("feet", "ellipse", { cx: 58 + dx, cy: 190, rx: 8, ry: 5 }),
    svg("text", { x: 50 + dx, y: 210, "text-anchor": "middle" }, back ? t("pain.back") : t("pain.front")),
  ];
  return svg(
    "svg",
    { class: "body-map chart", viewBox: "0 0 210 215", "aria-hidden": "true" },
    ...figure(0, false),
    ...figure(110, true),
  );
}

export async function pain({ query }) {
  const user = currentUser();
  const todayDate = todayIn(user.timezone);
  const start = addDays(todayDate, -27);
  const entries = await api.get(`/api/pain?start=${start}&end=${todayDate}`);
  const byDay = new Map(entries.map((e) => [e.local_date, e]));
  let day = query.get("date") || todayDate;
  if (day > todayDate || day < addDays(todayDate, -editDays())) day = todayDate;

  const formBox = h("div");
  const renderForm = () => formBox.replaceChildren(painForm(day, byDay, todayDate, (saved) => {
    byDay.set(saved.local_date, saved);
    refreshHistory();
  }, (next) => {
    day = next;
    renderForm();
  }));
  renderForm();

  const historyBox = h("div");
  function refreshHistory() {
    const days = Array.from({ length: 28 }, (_, i) => addDays(start, i));
    historyBox.replaceChildren(
      h("h2", {}, t("pain.the_last_four_weeks")),
      byDay.size
        ? h(
            "div",
            { class: "card" },
            timeChart({
              title: t("pain.pain_over_the_last_four"),
              days,
              line: days.map((d) => byDay.get(d)?.score ?? null),
              lineLabel: t("pain.pain_0_10"),
            }),
          )
        : h("p", { class: "muted" }, t("pain.nothing_recorded_yet")),
      h(
        "ul",
        { class: "list card" },
        [...byDay.values()]
          .sort((a, b) => b.local_date.localeCompare(a.local_date))
          .map((e) =>
            h(
              "li",
              {},
              h("strong", {}, t("pain.day_score", { day: shortDay(e.local_date), score: e.score })),
              e.regions.length ? ` · ${e.regions.map((r) => REGIONS[r] || r).join(", ")}` : "",
              e.note ? h("p", { class: "muted small" }, e.note) : null,
            ),
          ),
      ),
    );
  }
  refreshHistory();

  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, t("route.pain_diary")),
    h("p", { class: "subtitle" }, t("pain.quick_daily_note_of_your")),
    formBox,
    historyBox,
  );
}

function painForm(day, byDay, todayDate, onSaved, onDay) {
  const existing = byDay.get(day);
  const selected = new Set(existing?.regions || []);
  const map = h("div", {}, bodyMap(selected));
  const dayId = nextId("day");
  const form = h(
    "form",
    { class: "card", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    field(
      t("charts.day"),
      h(
        "select",
        { id: dayId, name: "day", onchange: (e) => onDay(e.target.value), value: day },
        Array.from({ length: editDays() + 1 }, (_, i) => addDays(todayDate, -i)).map((d) =>
          h("option", { value: d }, d === todayDate ? t("pain.today_day", { day: longDay(d) }) : longDay(d)),
        ),
      ),
    ),
    painScale(existing?.score, t("pain.pain_right_now_or_at")),
    h(
      "fieldset",
      { "data-field": "regions" },
      h("legend", {}, t("pain.where_tick_all_that_apply")),
      map,
      h(
        "div",
        { class: "chips" },
        Object.entries(REGIONS).map(([value, label]) =>
          h(
            "label",
            { class: "chip" },
            h("input", {
              type: "checkbox",
              name: "regions",
              value,
              checked: selected.has(value),
              onchange: (e) => {
                if (e.target.checked) selected.add(value);
                else selected.delete(value);
                map.replaceChildren(bodyMap(selected));
              },
            }),
            h("span", {}, label),
          ),
        ),
      ),
    ),
    field(t("check_in_forms.note_optional"), h("textarea", { name: "note", rows: "2", ...limits("pain", "note") }, existing?.note || ""), {
      hint: t("pain.what_made_it_better_or"),
    }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary" }, existing ? t("pain.update") : t("common.save"))),
  );
  // a tap on the body picture ticks the matching box
  map.addEventListener("click", (event) => {
    const region = event.target.closest?.("[data-region]")?.dataset.region;
    const box = region && form.querySelector(`input[name="regions"][value="${region}"]`);
    if (box) {
      box.checked = !box.checked;
      box.dispatchEvent(new Event("change"));
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    if (data.get("pain") === null) {
      showErrors(form, { message: t("pain.choose_a_pain_score"), fields: { pain: [t("weekly_review.choose_number_from_0_to")] } });
      return;
    }
    busy(form, async () => {
      try {
        const saved = await api.put(`/api/pain/${day}`, {
          score: Number(data.get("pain")),
          regions: data.getAll("regions"),
          note: (data.get("note") || "").trim(),
        });
        toast(t("pain.pain_diary_saved"), "success");
        onSaved(saved);
        if (saved.guidance) showGuidance(saved.guidance);
      } catch (error) {
        if (error.fields?.score) error.fields = { pain: error.fields.score };
        showErrors(form, error);
      }
    });
  });
  return form;
}
