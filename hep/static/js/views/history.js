// History: the recent days' check-ins, corrected or removed within the edit window, and the
// trail of every change (yours, and anything done on your behalf).

import { api } from "../api.js";
import { busy, confirmDialog, field, h, nextId, showErrors, toast } from "../dom.js";
import { addDays, dateTime, longDay, todayIn } from "../dates.js";
import { SKIP_REASONS, STATES } from "../labels.js";
import { currentUser } from "../session.js";
import { deleteCheckIn, saveCheckIn } from "../checkins.js";
import { navigate } from "../router.js";
import { editDays, limits } from "../rules.js";
import { describeCheckIn, diffText, subjectNames } from "../components/check-in-text.js";
import { lastDays } from "../components/edit-window.js";
import { difficultyScale, painScale } from "../components/scales.js";
import { t } from "../i18n.js";

export async function history() {
  const user = currentUser();
  const todayDate = todayIn(user.timezone);
  const start = addDays(todayDate, -editDays());
  const [checkIns, edits, programs, habits] = await Promise.all([
    api.get(`/api/check-ins?start=${start}&end=${todayDate}`),
    api.get(`/api/check-ins/edits?start=${addDays(todayDate, -27)}&end=${todayDate}`),
    api.get("/api/programs"),
    api.get("/api/habits"),
  ]);
  const names = subjectNames(programs, habits);
  const nameOf = (c) => names.get(c.item_key || c.habit_id) || (c.habit_id ? t("history.habit_you_stopped") : t("history.earlier_exercise"));
  const subjectById = new Map(checkIns.map((c) => [c.id, nameOf(c)]));

  const days = Array.from({ length: editDays() + 1 }, (_, i) => addDays(todayDate, -i));
  return h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, t("history.history")),
    h("p", { class: "subtitle" }, t("history.you_can_fill_in_or", { lastDays: lastDays() })),
    days.map((day) => {
      const list = checkIns.filter((c) => c.local_date === day);
      return h(
        "section",
        { class: "card", "aria-label": longDay(day) },
        h(
          "div",
          { class: "row spread" },
          h("h2", {}, day === todayDate ? t("history.today") : longDay(day)),
          h("a", { class: "btn btn-small", href: day === todayDate ? "#/today" : `#/day/${day}` }, t("history.fill_in"), h("span", { class: "visually-hidden" }, ` ${longDay(day)}`)),
        ),
        list.length
          ? h("ul", { class: "list" }, list.map((c) => checkInRow(c, nameOf(c))))
          : h("p", { class: "muted small" }, t("history.nothing_logged")),
      );
    }),
    h("h2", {}, t("history.edit_trail")),
    edits.length
      ? h(
          "ul",
          { class: "list card diff" },
          edits.map((e) =>
            h(
              "li",
              {},
              h("strong", {}, subjectById.get(e.check_in_id) || t("history.check_in")),
              ` — ${diffText(e)}`,
              h("br"),
              h("span", { class: "small muted" }, `${dateTime(e.at)} · ${e.by_patient ? t("history.by_you") : t("history.by_your_care_team")}`),
            ),
          ),
        )
      : h("p", { class: "muted" }, t("history.no_changes_yet")),
  );
}

function checkInRow(c, name) {
  const row = h(
    "li",
    {},
    h("div", { class: "row spread" },
      h(
        "span",
        {},
        h("strong", {}, name),
        h("br"),
        h("span", { class: "small" }, describeCheckIn(c)),
        c.source !== "app" ? h("span", { class: "badge" }, c.source === "offline" ? [" ", t("history.sent_later")] : [" ", t("history.from_notification")]) : null,
        c.note ? h("span", { class: "small muted" }, h("br"), c.note) : null,
      ),
      h(
        "span",
        { class: "row" },
        h("button", { type: "button", class: "btn btn-small", "aria-label": t("history.correct_name", { name }), onclick: () => {
          const existing = row.querySelector("form");
          if (existing) existing.remove();
          else {
            const form = editForm(c);
            row.append(form);
            form.querySelector("input, select")?.focus();
          }
        } }, t("history.correct")),
        h("button", { type: "button", class: "btn btn-small btn-quiet", "aria-label": t("history.remove_name", { name }), onclick: async () => {
          const ok = await confirmDialog({ title: t("history.remove_this_check_in_of", { name }), body: t("history.removal_is_kept_in_your"), confirm: t("common.remove"), danger: true });
          if (!ok) return;
          try {
            await deleteCheckIn(c.id);
            toast(t("history.check_in_removed"));
            navigate("/history");
          } catch (error) {
            toast(error.message, "error");
          }
        } }, t("common.remove")),
      ),
    ),
  );
  return row;
}

function editForm(c) {
  const stateName = nextId("state");
  const form = h(
    "form",
    { class: "entry-more", novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    h(
      "fieldset",
      { "data-field": "state" },
      h("legend", {}, t("history.what_happened")),
      h(
        "div",
        { class: "chips" },
        Object.entries(STATES).map(([value, label]) =>
          h("label", { class: "chip" }, h("input", { type: "radio", name: stateName, value, checked: c.state === value }), h("span", {}, label)),
        ),
      ),
    ),
    field(t("history.amount_reps_seconds_or_units"), { type: "number", name: "value", step: "any", value: c.value ?? "", ...limits("check_in", "value") }),
    field(
      t("history.reason_for_skipping"),
      h("select", { name: "skip_reason", value: c.skip_reason || "" }, h("option", { value: "" }, "—"), Object.entries(SKIP_REASONS).map(([v, l]) => h("option", { value: v }, l))),
    ),
    painScale(c.pain),
    difficultyScale(c.difficulty),
    field(t("history.note"), h("textarea", { name: "note", rows: "2", ...limits("check_in", "note") }, c.note || "")),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary" }, t("history.save_correction"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const state = data.get(stateName);
    const body = {
      local_date: c.local_date,
      state,
      value: data.get("value") === "" ? null : Number(data.get("value")),
      skip_reason: state === "skipped" ? data.get("skip_reason") || null : null,
      pain: data.get("pain") === null ? null : Number(data.get("pain")),
      difficulty: data.get("difficulty") === null ? null : Number(data.get("difficulty")),
      note: (data.get("note") || "").trim(),
      source: c.source,
    };
    if (c.item_key) body.item_key = c.item_key;
    else body.habit_id = c.habit_id;
    busy(form, async () => {
      try {
        await saveCheckIn(c.id, body);
        toast(t("history.correction_saved"), "success");
        navigate("/history");
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
