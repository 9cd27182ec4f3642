// Today (and back-filling a recent day): what is due, one tap "done as prescribed", the dose
// actually done, pain and difficulty, numeric habits with quick increments, skip with a reason.

import { busy, h, nextId, replace, showErrors, toast } from "../dom.js";
import { addDays, clockTime, longDay, todayIn } from "../dates.js";
import {
  DIFFICULTY,
  SKIP_REASONS,
  doseTarget,
  doseText,
  formatNumber,
  habitTargetText,
} from "../labels.js";
import { currentUser } from "../session.js";
import { deleteCheckIn, newId, saveCheckIn } from "../checkins.js";
import {
  amountState,
  forget,
  habitProgress,
  itemProgress,
  loadDay,
  remember,
} from "../day.js";
import { navigate } from "../router.js";
import { permission, pushSupported } from "../push.js";

export const EDIT_DAYS = 7;
const PROMPT_DISMISSED = "hep.notifications.prompt-dismissed";

export async function today(ctx) {
  const user = currentUser();
  const todayDate = todayIn(user.timezone);
  let day = ctx.params.date || todayDate;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || day > todayDate) day = todayDate;
  const isToday = day === todayDate;
  const state = await loadDay(user, day);

  const notice = h("div");
  const summary = h("div", { class: "summary" });
  const lists = h("div");
  const view = h(
    "section",
    { class: "page" },
    h("h1", { class: "page-title", tabindex: "-1" }, isToday ? "Today" : longDay(day)),
    h("p", { class: "subtitle" }, isToday ? longDay(day) : "Filling in an earlier day"),
    dayNav(day, todayDate),
    notice,
    isToday ? notificationPrompt() : null,
    summary,
    lists,
  );

  const render = () => {
    replace(
      notice,
      state.savedAt
        ? h("p", { class: "banner warn" }, `Offline — showing what was loaded at ${clockTime(state.savedAt)}`)
        : null,
    );
    renderSummary(summary, state);
    replace(lists, renderLists(state, user, isToday, () => renderSummary(summary, state)));
  };
  render();

  // after an offline replay or a notification action, show the server's view
  const refresh = async () => {
    if (!view.isConnected) {
      window.removeEventListener("hep:synced", refresh);
      return;
    }
    try {
      const fresh = await loadDay(user, day);
      state.entries = fresh.entries;
      state.checkIns = fresh.checkIns;
      state.savedAt = fresh.savedAt;
      render();
    } catch {
      /* keep what is shown */
    }
  };
  window.addEventListener("hep:synced", refresh);
  return view;
}

function dayNav(day, todayDate) {
  const oldest = addDays(todayDate, -EDIT_DAYS);
  const picker = h("input", {
    type: "date",
    name: "day",
    min: oldest,
    max: todayDate,
    value: day,
    "aria-label": "Pick a day to fill in",
    onchange: (event) => {
      const chosen = event.target.value;
      if (chosen) navigate(chosen === todayDate ? "/today" : `/day/${chosen}`);
    },
  });
  const prev = addDays(day, -1);
  const next = addDays(day, 1);
  return h(
    "nav",
    { class: "row", "aria-label": "Days" },
    prev >= oldest
      ? h("a", { class: "btn btn-small", href: `#/day/${prev}` }, "← Earlier day")
      : null,
    day < todayDate
      ? h("a", { class: "btn btn-small", href: next === todayDate ? "#/today" : `#/day/${next}` }, "Later day →")
      : null,
    h("span", { class: "grow" }, picker),
    h("a", { class: "btn btn-small btn-quiet", href: "#/history" }, "History"),
  );
}

function notificationPrompt() {
  if (!pushSupported() || permission() !== "default") return null;
  if (localStorage.getItem(PROMPT_DISMISSED)) return null;
  const box = h(
    "div",
    { class: "banner" },
    h("strong", {}, "Get reminders on this phone. "),
    "hep only reminds you about what is still to do.",
    h(
      "div",
      { class: "actions" },
      h("a", { class: "btn btn-primary btn-small", href: "#/notifications" }, "Set up reminders"),
      h(
        "button",
        {
          type: "button",
          class: "btn btn-small",
          onclick: () => {
            localStorage.setItem(PROMPT_DISMISSED, "1");
            box.remove();
          },
        },
        "Not now",
      ),
    ),
  );
  return box;
}

function renderSummary(box, state) {
  let due = 0;
  let done = 0;
  for (const entry of state.entries) {
    if (entry.kind === "item") {
      const p = itemProgress(state, entry);
      due += entry.sessions_due;
      done += Math.min(p.done, entry.sessions_due);
    } else if (!entry.week_target) {
      due += 1;
      done += habitProgress(state, entry).done ? 1 : 0;
    }
  }
  if (!due) {
    replace(box);
    return;
  }
  replace(
    box,
    h("progress", { max: String(due), value: String(done), "aria-label": "Done today" }),
    h("span", { class: "muted" }, `${done} of ${due} done`),
  );
}

function renderLists(state, user, isToday, onChange) {
  const items = state.entries.filter((e) => e.kind === "item");
  const habits = state.entries.filter((e) => e.kind === "habit");
  if (!items.length && !habits.length) {
    return h(
      "div",
      { class: "empty" },
      h("p", {}, isToday ? "Nothing is due today." : "Nothing was due that day."),
      h("p", {}, h("a", { href: "#/habits" }, "Add a daily habit"), " to track on your own."),
    );
  }
  const ctx = { state, user, onChange };
  return h(
    "div",
    {},
    items.length
      ? h(
          "section",
          { "aria-labelledby": "today-exercises" },
          h("h2", { id: "today-exercises" }, "Exercises"),
          items.map((entry) => itemCard(entry, ctx)),
        )
      : null,
    habits.length
      ? h(
          "section",
          { "aria-labelledby": "today-habits" },
          h("h2", { id: "today-habits" }, "Habits"),
          habits.map((entry) => habitCard(entry, ctx)),
        )
      : null,
    h(
      "p",
      { class: "muted small" },
      h("a", { href: "#/pain" }, "How is your pain today?"),
      " · ",
      h("a", { href: "#/habits" }, "Manage habits"),
    ),
  );
}

/** Replace a card with a fresh rendering and put focus back where the person was. */
function rerender(card, build, focusRole) {
  const fresh = build();
  card.replaceWith(fresh);
  const target =
    (focusRole && fresh.querySelector(`[data-role="${focusRole}"]`)) || fresh.querySelector("h3");
  target?.focus();
  return fresh;
}

async function save(ctx, id, body, { successText } = {}) {
  const result = await saveCheckIn(id, body);
  remember(ctx.user, ctx.state, result.checkIn, { pending: result.queued });
  ctx.onChange();
  if (successText) toast(result.queued ? `${successText} Saved on this phone; it will sync when you're online.` : successText, "success");
  return result;
}

async function undo(ctx, checkIn) {
  await deleteCheckIn(checkIn.id);
  forget(ctx.user, ctx.state, checkIn.id);
  ctx.onChange();
}

function errorToast(error) {
  toast(error.offline ? "That needs a connection. Try again when you're online." : error.message, "error");
}

// --- exercises -----------------------------------------------------------------------------

function itemCard(entry, ctx, justLoggedId = null) {
  const name = entry.exercise.name;
  const p = itemProgress(ctx.state, entry);
  const headingId = nextId("item");
  let card;
  const again = (focusRole) => {
    card = rerender(card, () => itemCard(entry, ctx), focusRole);
  };

  const doneButton = h(
    "button",
    {
      type: "button",
      class: p.complete ? "btn btn-small" : "btn btn-done",
      "data-role": "done",
      onclick: async (event) => {
        event.currentTarget.disabled = true;
        try {
          const result = await save(
            ctx,
            newId(),
            { item_key: entry.item_key, local_date: ctx.state.day, state: "done", source: "app" },
            { successText: `${name}: session ${Math.min(p.done + 1, p.due)} of ${p.due} done.` },
          );
          card = rerender(card, () => itemCard(entry, ctx, result.id), "feel");
        } catch (error) {
          errorToast(error);
          again("done");
        }
      },
    },
    p.complete ? "Once more" : "Done",
    h("span", { class: "visually-hidden" }, `: ${name}`),
  );

  const status = p.complete
    ? h("span", { class: "status status-done" }, "✓ Done for the day")
    : p.skipped
      ? h("span", { class: "status status-skipped" }, "Skipped")
      : p.partial
        ? h("span", { class: "status status-partial" }, "Partly done")
        : null;

  const dots = h(
    "span",
    { class: "dots", "aria-hidden": "true" },
    Array.from({ length: p.due }, (_, i) => h("i", { class: i < p.done ? "on" : "" })),
  );

  const panel = h("div", { class: "entry-more", hidden: true, id: nextId("panel") });
  const openPanel = (content, role) => {
    const opening = panel.hidden || panel.dataset.role !== role;
    panel.dataset.role = role;
    panel.hidden = !opening;
    card.querySelectorAll("[aria-controls]").forEach((b) => {
      b.setAttribute("aria-expanded", String(opening && b.dataset.role === role));
    });
    if (opening) {
      replace(panel, content());
      panel.querySelector("input, select, textarea, button")?.focus();
    }
  };

  const last = p.list.filter((c) => c.state !== "skipped").at(-1);
  const justLogged = justLoggedId && ctx.state.checkIns.get(justLoggedId);

  card = h(
    "article",
    {
      class: `card entry${p.complete ? " is-done" : ""}${p.skipped ? " is-skipped" : ""}`,
      "aria-labelledby": headingId,
    },
    h(
      "div",
      { class: "entry-head" },
      h(
        "div",
        { class: "entry-title" },
        h("h3", { id: headingId, tabindex: "-1" }, name),
        h("p", {}, doseText(entry.dose)),
        h(
          "p",
          {},
          `${Math.min(p.done, p.due)} of ${p.due} session${p.due === 1 ? "" : "s"}`,
          dots,
          " ",
          status,
        ),
      ),
      doneButton,
    ),
    entry.dose.notes ? h("p", { class: "small" }, h("strong", {}, "From your therapist: "), entry.dose.notes) : null,
    justLogged
      ? h(
          "p",
          { class: "row small" },
          "How did it feel?",
          h(
            "button",
            {
              type: "button",
              class: "btn btn-small",
              "data-role": "feel",
              "aria-controls": panel.id,
              "aria-expanded": "false",
              onclick: () => openPanel(() => detailsForm(entry, ctx, again, justLogged), "feel"),
            },
            "Add pain and effort",
            h("span", { class: "visually-hidden" }, ` for ${name}`),
          ),
        )
      : null,
    h(
      "div",
      { class: "row" },
      h(
        "button",
        {
          type: "button",
          class: "btn btn-small",
          "data-role": "details",
          "aria-controls": panel.id,
          "aria-expanded": "false",
          onclick: () => openPanel(() => detailsForm(entry, ctx, again, null), "details"),
        },
        "Partly done / details",
        h("span", { class: "visually-hidden" }, ` for ${name}`),
      ),
      p.complete
        ? null
        : skipButton(panel, name, () =>
            openPanel(() => skipForm({ item_key: entry.item_key }, name, ctx, () => again(null)), "skip"),
          ),
      h(
        "a",
        { class: "btn btn-small btn-quiet", href: `#/exercise/${entry.item_key}?date=${ctx.state.day}` },
        "How to · timer",
        h("span", { class: "visually-hidden" }, ` for ${name}`),
      ),
      last
        ? h(
            "button",
            {
              type: "button",
              class: "btn btn-small btn-quiet",
              onclick: async () => {
                try {
                  await undo(ctx, last);
                  toast(`${name}: last session removed.`);
                  again("done");
                } catch (error) {
                  errorToast(error);
                }
              },
            },
            "Undo last",
            h("span", { class: "visually-hidden" }, ` session of ${name}`),
          )
        : null,
    ),
    panel,
  );
  return card;
}

function scale(name, legend, values, labels, selected) {
  return h(
    "fieldset",
    { "data-field": name },
    h("legend", {}, legend),
    h(
      "div",
      { class: name === "pain" ? "scale chips" : "chips" },
      values.map((v) =>
        h(
          "label",
          { class: "chip" },
          h("input", {
            type: "radio",
            name,
            value: String(v),
            checked: selected !== null && selected !== undefined && Number(selected) === v,
            "aria-label": labels ? `${v}, ${labels[v]}` : null,
          }),
          h("span", {}, labels && name !== "pain" ? labels[v] : String(v)),
        ),
      ),
    ),
  );
}

export function painScale(selected, legend = "Pain during it (0 = none, 10 = worst)") {
  const words = { 0: "no pain", 5: "moderate", 10: "worst imaginable" };
  const labels = Object.fromEntries(
    Array.from({ length: 11 }, (_, i) => [i, words[i] || (i < 5 ? "mild" : "strong")]),
  );
  return scale("pain", legend, [...Array(11).keys()], labels, selected);
}

export function difficultyScale(selected) {
  return scale("difficulty", "How hard was it?", [1, 2, 3, 4, 5], DIFFICULTY, selected);
}

/** The dose actually done, pain, difficulty and a note; a new check-in or an edit of one. */
function detailsForm(entry, ctx, again, existing) {
  const target = doseTarget(entry.dose);
  const editing = Boolean(existing);
  const amountId = nextId("amount");
  const amount = h("input", {
    type: "number",
    name: "value",
    id: amountId,
    min: "0",
    max: "100000",
    inputmode: "numeric",
    value: existing?.value ?? (target.amount ? String(target.amount) : ""),
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
          h("legend", {}, "How much did you do?"),
          h(
            "div",
            { class: "chips" },
            h("label", { class: "chip" }, h("input", { type: "radio", name: "state", value: "done", checked: true }), h("span", {}, "All of it")),
            h("label", { class: "chip" }, h("input", { type: "radio", name: "state", value: "partial" }), h("span", {}, "Part of it")),
          ),
        ),
    target.unit
      ? h(
          "div",
          { class: "field", "data-field": "value" },
          h("label", { for: amountId }, target.unit === "reps" ? "Reps done" : "Seconds done"),
          h("p", { class: "hint" }, `Prescribed: ${target.amount} ${target.unit}`),
          amount,
        )
      : null,
    painScale(existing?.pain),
    difficultyScale(existing?.difficulty),
    h(
      "div",
      { class: "field", "data-field": "note" },
      h("label", { for: `${amountId}-note` }, "Note (optional)"),
      h("textarea", { id: `${amountId}-note`, name: "note", maxlength: "2000", rows: "2" }, existing?.note || ""),
    ),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "btn btn-primary" }, editing ? "Save" : "Log this session"),
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
          successText: editing ? `${entry.exercise.name}: saved.` : `${entry.exercise.name}: session logged.`,
        });
        // back to the card's heading: safer than a button a second Enter would press
        again(null);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}

function skipForm(subject, name, ctx, after, existing) {
  const id = nextId("reason");
  const form = h(
    "form",
    { novalidate: true },
    h("p", { class: "form-alert", role: "alert", tabindex: "-1" }),
    h(
      "div",
      { class: "field", "data-field": "skip_reason" },
      h("label", { for: id }, `Why are you skipping ${name}?`),
      h(
        "select",
        { id, name: "skip_reason", required: true },
        h("option", { value: "" }, "Choose a reason"),
        Object.entries(SKIP_REASONS).map(([value, label]) => h("option", { value }, label)),
      ),
    ),
    h("p", { class: "hint" }, "Skipping with a reason keeps your score from dropping, and tells your therapist what got in the way."),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary" }, "Skip for this day")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const reason = new FormData(form).get("skip_reason");
    if (!reason) {
      showErrors(form, { message: "Choose a reason.", fields: { skip_reason: ["Choose a reason."] } });
      return;
    }
    busy(form, async () => {
      try {
        await save(
          ctx,
          existing ? existing.id : newId(),
          { ...subject, local_date: ctx.state.day, state: "skipped", skip_reason: reason, source: "app" },
          { successText: `${name}: skipped.` },
        );
        after();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}

// --- habits --------------------------------------------------------------------------------

function singular(unit) {
  if (!unit) return "";
  if (/(ss|sh|ch|x)es$/.test(unit)) return unit.slice(0, -2);
  if (/[^s]s$/.test(unit)) return unit.slice(0, -1);
  return unit;
}

function habitCard(entry, ctx) {
  const p = habitProgress(ctx.state, entry);
  const numeric = entry.target !== null && entry.target !== undefined;
  const headingId = nextId("habit");
  let card;
  const again = (focusRole) => {
    card = rerender(card, () => habitCard(entry, ctx), focusRole);
  };

  const setAmount = async (value, focusRole) => {
    value = Math.max(0, Math.round(value * 10) / 10);
    const existing = p.valued;
    const body = {
      habit_id: entry.habit_id,
      local_date: ctx.state.day,
      state: amountState(entry, value + (p.total || 0) - (existing ? Number(existing.value) : 0)),
      value,
      source: "app",
    };
    try {
      await save(ctx, existing ? existing.id : newId(), body);
      const total = value + (p.total || 0) - (existing ? Number(existing.value) : 0);
      toast(`${entry.name}: ${formatNumber(total)} of ${habitTargetText(entry)}`);
      again(focusRole);
    } catch (error) {
      errorToast(error);
      again(focusRole);
    }
  };

  const panel = h("div", { class: "entry-more", hidden: true, id: nextId("panel") });
  const toggle = (content, role) => {
    const opening = panel.hidden || panel.dataset.role !== role;
    panel.dataset.role = role;
    panel.hidden = !opening;
    card.querySelectorAll("[aria-controls]").forEach((b) =>
      b.setAttribute("aria-expanded", String(opening && b.dataset.role === role)),
    );
    if (opening) {
      replace(panel, content());
      panel.querySelector("input, select, textarea, button")?.focus();
    }
  };

  let controls;
  let line;
  if (numeric) {
    const unit = singular(entry.unit);
    const current = p.total || 0;
    line = h(
      "p",
      {},
      h("strong", {}, `${formatNumber(current)} `),
      `of ${habitTargetText(entry)}`,
      p.done ? h("span", { class: "status status-done" }, " ✓") : null,
    );
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
        h("span", { class: "visually-hidden" }, ` 1 ${unit} from ${entry.name}`),
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
        h("span", { class: "visually-hidden" }, ` to ${entry.name}`),
      ),
    );
  } else {
    line = h(
      "p",
      {},
      entry.week_target
        ? `${weekDone(entry, p)} of ${entry.week_target} this week`
        : p.done
          ? h("span", { class: "status status-done" }, "✓ Done")
          : p.skipped
            ? h("span", { class: "status status-skipped" }, "Skipped")
            : "Not yet",
    );
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
          "Undo",
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
                  { successText: `${entry.name}: done.` },
                );
                again("done");
              } catch (error) {
                errorToast(error);
                again("done");
              }
            },
          },
          "Done",
          h("span", { class: "visually-hidden" }, `: ${entry.name}`),
        );
  }

  card = h(
    "article",
    { class: `card entry${p.done ? " is-done" : ""}${p.skipped ? " is-skipped" : ""}`, "aria-labelledby": headingId },
    h(
      "div",
      { class: numeric ? "entry-head wrap" : "entry-head" },
      h(
        "div",
        { class: "entry-title" },
        h("h3", { id: headingId, tabindex: "-1" }, entry.name),
        line,
      ),
      controls,
    ),
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
              onclick: () => toggle(() => amountForm(entry, p, setAmount), "amount"),
            },
            "Enter amount",
            h("span", { class: "visually-hidden" }, ` for ${entry.name}`),
          )
        : null,
      p.done
        ? null
        : skipButton(panel, entry.name, () =>
            toggle(
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

function weekDone(entry, p) {
  // the server counted this week including the server's view of today; swap in ours
  const serverToday = entry.done ? 1 : 0;
  return Math.max(0, (entry.week_done || 0) - serverToday + (p.done ? 1 : 0));
}

function amountForm(entry, p, setAmount) {
  const id = nextId("amount");
  const total = p.total || 0;
  const form = h(
    "form",
    { novalidate: true },
    h(
      "div",
      { class: "field" },
      h("label", { for: id }, `Total for the day (${entry.unit || "amount"})`),
      h("input", { id, type: "number", name: "value", min: "0", step: "0.5", inputmode: "decimal", value: String(total) }),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary" }, "Save")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const wanted = Number(new FormData(form).get("value"));
    if (!Number.isFinite(wanted) || wanted < 0) return;
    // the day's total lives on one check-in; other ones (from another phone) stay as they are
    const others = total - (p.valued ? Number(p.valued.value) : 0);
    setAmount(Math.max(0, wanted - others), "amount");
  });
  return form;
}

// "Skip" for an exercise or a habit: opens the skip form in the card's panel
function skipButton(panel, name, onclick) {
  return h(
    "button",
    {
      type: "button",
      class: "btn btn-small",
      "data-role": "skip",
      "aria-controls": panel.id,
      "aria-expanded": "false",
      onclick,
    },
    "Skip",
    h("span", { class: "visually-hidden" }, ` ${name}`),
  );
}
