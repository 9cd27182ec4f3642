// A habit on Today: a yes/no habit is one tap (and undo); a numeric one counts up and down or
// takes the day's total; either can be skipped with a reason. On a day past the edit window
// the card shows what was logged and offers nothing to change.

import { h, nextId, showErrors, toast } from "../dom.js";
import { formatNumber, habitTargetText } from "../labels.js";
import { newId } from "../checkins.js";
import { amountState, habitProgress } from "../day.js";
import { amountMax } from "../rules.js";
import { skipForm } from "./check-in-forms.js";
import { panelBox, rerender, skipButton, togglePanel } from "./panel.js";
import { errorToast, save, undo } from "./saving.js";
import { t } from "../i18n.js";

function singular(unit) {
  if (!unit) return "";
  if (/(ss|sh|ch|x)es$/.test(unit)) return unit.slice(0, -2);
  if (/[^s]s$/.test(unit)) return unit.slice(0, -1);
  return unit;
}

function weekDone(entry, p) {
  // the server counted this week including the server's view of today; swap in ours
  const serverToday = entry.done ? 1 : 0;
  return Math.max(0, (entry.week_done || 0) - serverToday + (p.done ? 1 : 0));
}

function statusLine(entry, p, numeric) {
  if (numeric) {
    return h(
      "p",
      {},
      h("strong", {}, `${formatNumber(p.total || 0)} `),
      t("habit_card.of_habittargettext", { habitTargetText: habitTargetText(entry) }),
      p.done ? h("span", { class: "status status-done" }, " ✓") : null,
    );
  }
  return h(
    "p",
    {},
    entry.week_target
      ? t("habit_card.weekdone_of_week_target_this", { weekDone: weekDone(entry, p), week_target: entry.week_target })
      : p.done
        ? h("span", { class: "status status-done" }, t("habit_card.done"))
        : p.skipped
          ? h("span", { class: "status status-skipped" }, t("habit_card.skipped"))
          : t("habit_card.not_yet"),
  );
}

/** ctx: {state, user, onChange, readOnly}. */
export function habitCard(entry, ctx) {
  const p = habitProgress(ctx.state, entry);
  const numeric = entry.target !== null && entry.target !== undefined;
  const headingId = nextId("habit");
  const classes = `card entry${p.done ? " is-done" : ""}${p.skipped ? " is-skipped" : ""}`;
  const title = h("div", { class: "entry-title" }, h("h3", { id: headingId, tabindex: "-1" }, entry.name), statusLine(entry, p, numeric));
  if (ctx.readOnly) {
    return h("article", { class: classes, "aria-labelledby": headingId }, h("div", { class: "entry-head" }, title));
  }

  let card;
  const again = (focusRole) => {
    card = rerender(card, () => habitCard(entry, ctx), focusRole);
  };

  // `form`: the amount form it came from, where a refusal is shown beside the field
  const setAmount = async (value, focusRole, form = null) => {
    value = Math.max(0, Math.round(value * 10) / 10);
    const existing = p.valued;
    const total = value + (p.total || 0) - (existing ? Number(existing.value) : 0);
    const body = {
      habit_id: entry.habit_id,
      local_date: ctx.state.day,
      state: amountState(entry, total),
      value,
      source: "app",
    };
    try {
      await save(ctx, existing ? existing.id : newId(), body);
      toast(t("habit_card.name_formatnumber_of_habittargettext", { name: entry.name, formatNumber: formatNumber(total), habitTargetText: habitTargetText(entry) }));
    } catch (error) {
      if (form && !error.offline) {
        showErrors(form, error);
        return;
      }
      errorToast(error);
    }
    again(focusRole);
  };

  const panel = panelBox();
  const open = (content, role) => togglePanel(card, panel, content, role);

  let controls;
  if (numeric) {
    const unit = singular(entry.unit);
    controls = h(
      "div",
      { class: "counter" },
      h(
        "button",
        {
          type: "button",
          class: "btn",
          "data-role": "minus",
          disabled: !p.valued || Number(p.valued.value) <= 0,
          onclick: () => setAmount(Number(p.valued.value) - 1, "minus"),
        },
        "−",
        h("span", { class: "visually-hidden" }, " ", t("habit_card.1_unit_from_name", { unit, name: entry.name })),
      ),
      h(
        "button",
        {
          type: "button",
          class: "btn btn-done",
          "data-role": "plus",
          onclick: () => setAmount((p.valued ? Number(p.valued.value) : 0) + 1, "plus"),
        },
        `+1 ${unit}`.trim(),
        h("span", { class: "visually-hidden" }, " ", t("habit_card.to_name", { name: entry.name })),
      ),
    );
  } else {
    const tick = p.list.find((c) => c.state === "done");
    controls = tick
      ? h(
          "button",
          {
            type: "button",
            class: "btn",
            "data-role": "done",
            onclick: async () => {
              try {
                await undo(ctx, tick);
                again("done");
              } catch (error) {
                errorToast(error);
              }
            },
          },
          t("habit_card.undo"),
          h("span", { class: "visually-hidden" }, `: ${entry.name}`),
        )
      : h(
          "button",
          {
            type: "button",
            class: "btn btn-done",
            "data-role": "done",
            onclick: async (event) => {
              event.currentTarget.disabled = true;
              const skipped = p.list.find((c) => c.state === "skipped");
              try {
                await save(
                  ctx,
                  skipped ? skipped.id : newId(),
                  { habit_id: entry.habit_id, local_date: ctx.state.day, state: "done", source: "app" },
                  { successText: t("habit_card.name_done", { name: entry.name }) },
                );
              } catch (error) {
                errorToast(error);
              }
              again("done");
            },
          },
          t("habit_card.done_2"),
          h("span", { class: "visually-hidden" }, `: ${entry.name}`),
        );
  }

  card = h(
    "article",
    { class: classes, "aria-labelledby": headingId },
    h("div", { class: numeric ? "entry-head wrap" : "entry-head" }, title, controls),
    h(
      "div",
      { class: "row" },
      numeric
        ? h(
            "button",
            {
              type: "button",
              class: "btn btn-small",
              "data-role": "amount",
              "aria-controls": panel.id,
              "aria-expanded": "false",
              onclick: () => open(() => amountForm(entry, p, setAmount), "amount"),
            },
            t("habit_card.enter_amount"),
            h("span", { class: "visually-hidden" }, " ", t("habit_card.for_name", { name: entry.name })),
          )
        : null,
      p.done
        ? null
        : skipButton(panel, entry.name, () =>
            open(
              () =>
                skipForm(
                  { habit_id: entry.habit_id },
                  entry.name,
                  ctx,
                  () => again(null),
                  p.list.find((c) => c.state === "skipped"),
                ),
              "skip",
            ),
          ),
    ),
    panel,
  );
  return card;
}

function amountForm(entry, p, setAmount) {
  const id = nextId("amount");
  const total = p.total || 0;
  const form = h(
    "form",
    { novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    h(
      "div",
      { class: "field", dataset: { field: "value" } },
      h("label", { for: id }, entry.unit ? t("habit_card.total_for_day_unit", { unit: entry.unit }) : t("habit_card.total_for_day")),
      h("input", { id, type: "number", name: "value", step: "0.5", inputmode: "decimal", value: String(total), min: "0", max: String(amountMax(entry.habit_kind, entry.unit)) }),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary" }, t("common.save"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const wanted = Number(new FormData(form).get("value"));
    if (!Number.isFinite(wanted) || wanted < 0) return;
    // the day's total lives on one check-in; other ones (from another phone) stay as they are
    const others = total - (p.valued ? Number(p.valued.value) : 0);
    setAmount(Math.max(0, wanted - others), "amount", form);
  });
  return form;
}
