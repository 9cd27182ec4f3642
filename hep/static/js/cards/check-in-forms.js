// The forms that open under a Today card: the dose actually done with pain, effort and a note
// (a new session, or a change to the one just logged), and skipping with a reason.

import { busy, h, nextId, showErrors } from "../dom.js";
import { SKIP_REASONS, doseTarget } from "../labels.js";
import { newId } from "../checkins.js";
import { limits } from "../rules.js";
import { difficultyScale, painScale } from "../components/scales.js";
import { save } from "./saving.js";
import { t } from "../i18n.js";

/** `existing`: the check-in to change, or null for a new session. `after()` closes the panel. */
export function detailsForm(entry, ctx, after, existing) {
  const target = doseTarget(entry.dose);
  const editing = Boolean(existing);
  const amountId = nextId("amount");
  const amount = h("input", {
    type: "number",
    name: "value",
    id: amountId,
    inputmode: "numeric",
    value: existing?.value ?? (target.amount ? String(target.amount) : ""),
    ...limits("check_in", "value"),
  });
  const form = h(
    "form",
    { novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    editing
      ? null
      : h(
          "fieldset",
          { "data-field": "state" },
          h("legend", {}, t("check_in_forms.how_much_did_you_do")),
          h(
            "div",
            { class: "chips" },
            h("label", { class: "chip" }, h("input", { type: "radio", name: "state", value: "done", checked: true }), h("span", {}, t("check_in_forms.all_of_it"))),
            h("label", { class: "chip" }, h("input", { type: "radio", name: "state", value: "partial" }), h("span", {}, t("check_in_forms.part_of_it"))),
          ),
        ),
    target.unit
      ? h(
          "div",
          { class: "field", "data-field": "value" },
          h("label", { for: amountId }, target.unit === "reps" ? t("check_in_forms.reps_done") : t("check_in_forms.seconds_done")),
          h("p", { class: "hint" }, t(target.unit === "reps" ? "check_in_forms.prescribed_reps" : "check_in_forms.prescribed_seconds", { count: target.amount })),
          amount,
        )
      : null,
    painScale(existing?.pain),
    difficultyScale(existing?.difficulty),
    h(
      "div",
      { class: "field", "data-field": "note" },
      h("label", { for: `${amountId}-note` }, t("check_in_forms.note_optional")),
      h("textarea", { id: `${amountId}-note`, name: "note", rows: "2", ...limits("check_in", "note") }, existing?.note || ""),
    ),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "btn btn-primary" }, editing ? t("common.save") : t("check_in_forms.log_this_session")),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form, async () => {
      const data = new FormData(form);
      const stateValue = editing ? existing.state : data.get("state") || "done";
      const rawValue = data.get("value");
      const body = {
        item_key: entry.item_key,
        local_date: ctx.state.day,
        state: stateValue,
        value: rawValue === null || rawValue === "" ? null : Number(rawValue),
        pain: data.get("pain") === null ? null : Number(data.get("pain")),
        difficulty: data.get("difficulty") === null ? null : Number(data.get("difficulty")),
        note: (data.get("note") || "").trim(),
        source: editing ? existing.source || "app" : "app",
      };
      if (editing) body.skip_reason = existing.skip_reason || null;
      if (!target.unit) body.value = existing?.value ?? null;
      if (body.state === "done" && target.amount && body.value !== null && body.value < target.amount) {
        body.state = "partial";
      }
      try {
        await save(ctx, editing ? existing.id : newId(), body, {
          successText: editing ? t("check_in_forms.name_saved", { name: entry.exercise.name }) : t("check_in_forms.name_session_logged", { name: entry.exercise.name }),
        });
        // back to the card's heading: safer than a button a second Enter would press
        after();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}

/** Skip an exercise or a habit (`subject` is {item_key} or {habit_id}) for the day. */
export function skipForm(subject, name, ctx, after, existing) {
  const id = nextId("reason");
  const form = h(
    "form",
    { novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    h(
      "div",
      { class: "field", "data-field": "skip_reason" },
      h("label", { for: id }, t("check_in_forms.why_are_you_skipping_name", { name })),
      h(
        "select",
        { id, name: "skip_reason", required: true },
        h("option", { value: "" }, t("check_in_forms.choose_reason")),
        Object.entries(SKIP_REASONS).map(([value, label]) => h("option", { value }, label)),
      ),
    ),
    h("p", { class: "hint" }, t("check_in_forms.skipping_with_reason_keeps_your")),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary" }, t("check_in_forms.skip_for_this_day"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const reason = new FormData(form).get("skip_reason");
    if (!reason) {
      showErrors(form, { message: t("check_in_forms.choose_reason_2"), fields: { skip_reason: [t("check_in_forms.choose_reason_2")] } });
      return;
    }
    busy(form, async () => {
      try {
        await save(
          ctx,
          existing ? existing.id : newId(),
          { ...subject, local_date: ctx.state.day, state: "skipped", skip_reason: reason, source: "app" },
          { successText: t("check_in_forms.name_skipped", { name }) },
        );
        after();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
