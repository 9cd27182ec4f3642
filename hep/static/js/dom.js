// Building DOM without innerHTML: every server string lands as text, never as markup.

import { t } from "./i18n.js";

const PROPS = new Set(["value", "checked", "disabled", "selected", "indeterminate", "hidden"]);

/** h("button", {class: "btn", onclick}, "Save") → an element. Children may be nested arrays. */
export function h(tag, props = {}, ...children) {
  const svg = tag.startsWith("svg:");
  const el = svg
    ? document.createElementNS("http://www.w3.org/2000/svg", tag.slice(4))
    : document.createElement(tag);
  const later = [];
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.setAttribute("class", value);
    else if (key === "text") el.textContent = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (PROPS.has(key) && !svg) later.push([key, value]);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  // after the children, so a <select>'s value can pick one of its options
  for (const [key, value] of later) el[key] = value;
  return el;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

let uid = 0;
/**
 * A small button that shows and hides `box` (aria-expanded follows); `onOpen` fills the box
 * each time it opens. `children` are the button's content.
 */
export function disclosure(box, onOpen, ...children) {
  const button = h(
    "button",
    {
      type: "button",
      class: "btn btn-small",
      "aria-expanded": "false",
      onclick: () => {
        box.hidden = !box.hidden;
        button.setAttribute("aria-expanded", String(!box.hidden));
        if (!box.hidden) onOpen?.();
      },
    },
    ...children,
  );
  return button;
}

export function nextId(prefix = "f") {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** A labelled form field; `input` is an element or props for an <input>. */
export function field(label, input, { hint, name } = {}) {
  const control = input instanceof Element ? input : h("input", input);
  const id = control.id || nextId(name || control.name || "f");
  control.id = id;
  const hintEl = hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute("aria-describedby", hintEl.id);
  return h(
    "div",
    { class: "field", dataset: { field: control.name || name || "" } },
    h("label", { for: id }, label),
    hintEl,
    control,
  );
}

/**
 * Shows an ApiError's field sentences beside the fields they name (a nested object's parts
 * beside their own fields when the form has them, else beside the whole); anything else goes
 * in the form's alert.
 */
export function showErrors(form, error) {
  clearErrors(form);
  const boxOf = (name) => form.querySelector(`[data-field="${CSS.escape(name)}"]`);
  const placed = [];
  const unplaced = [];
  const place = (name, messages, outer) => {
    const nested = messages && typeof messages === "object" && !Array.isArray(messages);
    if (nested && Object.keys(messages).some((part) => !/^\d+$/.test(part) && boxOf(part))) {
      for (const [part, inner] of Object.entries(messages)) place(part, inner, outer || boxOf(name));
      return;
    }
    const box = boxOf(name) || outer;
    if (box) placed.push([box, flattenMessages(messages)]);
    else unplaced.push(flattenMessages(messages));
  };
  for (const [name, messages] of Object.entries((error && error.fields) || {})) place(name, messages, null);
  let first = null;
  for (const [box, text] of placed) {
    const control = box.querySelector("input, select, textarea, fieldset, button");
    const err = h("p", { class: "field-error", id: nextId("err") }, text);
    box.append(err);
    if (control) {
      control.setAttribute("aria-invalid", "true");
      const described = control.getAttribute("aria-describedby");
      control.setAttribute("aria-describedby", [described, err.id].filter(Boolean).join(" "));
      first = first || control;
    }
  }
  let alert = form.querySelector(".form-alert");
  if (!alert) {
    alert = h("p", { class: "form-alert", role: "alert", tabindex: "-1" });
    form.prepend(alert);
  }
  // the server's sentence for the whole ("Check the highlighted fields."), and what has no field
  const said = [placed.length || !unplaced.length ? error?.summary || error?.message || t("common.something_went_wrong_try_again") : null, ...unplaced];
  alert.textContent = said.filter(Boolean).join(" ");
  (first || alert).focus?.();
}

export function clearErrors(form) {
  form.querySelectorAll(".field-error").forEach((el) => el.remove());
  form.querySelectorAll("[aria-invalid]").forEach((el) => {
    el.removeAttribute("aria-invalid");
    const ids = (el.getAttribute("aria-describedby") || "")
      .split(" ")
      .filter((id) => id && !id.startsWith("err-"));
    if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
    else el.removeAttribute("aria-describedby");
  });
  const alert = form.querySelector(".form-alert");
  if (alert) alert.textContent = "";
}

function flattenMessages(messages) {
  if (Array.isArray(messages)) return messages.map(flattenMessages).join(" ");
  if (messages && typeof messages === "object") {
    return Object.values(messages).map(flattenMessages).join(" ");
  }
  return String(messages);
}

/** A short, polite message for screen readers and eyes; goes away by itself. */
export function toast(message, kind = "info") {
  const box = document.getElementById("toasts");
  if (!box) return;
  const item = h("p", { class: `toast toast-${kind}` }, message);
  // two at most: a stack of old news hides the screen
  while (box.children.length >= 2) box.firstElementChild.remove();
  box.append(item);
  setTimeout(() => item.remove(), 4000);
}

/** A modal confirm built on <dialog> (focus is trapped and restored by the browser). */
export function confirmDialog({ title, body, confirm = t("common.ok"), cancel = t("common.cancel"), danger = false }) {
  return new Promise((resolve) => {
    const titleId = nextId("dlg");
    const dialog = h(
      "dialog",
      { class: "dialog", "aria-labelledby": titleId },
      h("h2", { id: titleId }, title),
      body ? h("p", {}, body) : null,
      h(
        "div",
        { class: "actions" },
        h("button", { class: "btn", type: "button", value: "no", onclick: () => close(false) }, cancel),
        h(
          "button",
          {
            class: danger ? "btn btn-danger" : "btn btn-primary",
            type: "button",
            onclick: () => close(true),
          },
          confirm,
        ),
      ),
    );
    function close(answer) {
      dialog.close();
      dialog.remove();
      resolve(answer);
    }
    dialog.addEventListener("cancel", () => resolve(false));
    document.body.append(dialog);
    dialog.showModal();
  });
}

/**
 * Disables a form's buttons while `work` runs, so a double tap cannot send twice. The errors
 * of the last try go first: a submit that succeeds leaves none behind.
 */
export async function busy(form, work) {
  clearErrors(form);
  const buttons = [...form.querySelectorAll("button")];
  buttons.forEach((b) => (b.disabled = true));
  form.setAttribute("aria-busy", "true");
  try {
    return await work();
  } finally {
    buttons.forEach((b) => (b.disabled = false));
    form.removeAttribute("aria-busy");
  }
}

export function formValues(form) {
  const data = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === "checkbox") {
      if (el.dataset.multi) {
        data[el.name] = data[el.name] || [];
        if (el.checked) data[el.name].push(el.value);
      } else data[el.name] = el.checked;
    } else if (el.type === "radio") {
      if (el.checked) data[el.name] = el.value;
    } else data[el.name] = el.value;
  }
  return data;
}
