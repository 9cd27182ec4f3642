// A hold timer and a rep counter whose totals become the logged dose: reps counted, or
// seconds actually held. Time is measured from performance.now(), not by counting ticks,
// so a slow phone or a background tab does not stretch a hold.

import { h, replace } from "./dom.js";
import { t } from "./i18n.js";

const RING = 2 * Math.PI * 52;

function clock(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/**
 * holdSeconds: length of one hold (or the whole duration); countsReps: each finished hold
 * adds a rep. onChange({seconds, holds}) reports the running totals.
 */
export function holdTimer({ holdSeconds, countsReps = false, onChange, announce }) {
  let elapsedBefore = 0; // seconds of this hold before the last start
  let startedAt = null;
  let ticker = null;
  let totalSeconds = 0; // every second held, across holds
  let holds = 0;

  const arc = h("svg:circle", {
    cx: "60",
    cy: "60",
    r: "52",
    fill: "none",
    stroke: "#0b6b72",
    "stroke-width": "10",
    "stroke-linecap": "round",
    "stroke-dasharray": String(RING),
    "stroke-dashoffset": "0",
    transform: "rotate(-90 60 60)",
  });
  const ring = h(
    "svg:svg",
    { class: "timer-ring", viewBox: "0 0 120 120", "aria-hidden": "true" },
    h("svg:circle", { cx: "60", cy: "60", r: "52", fill: "none", stroke: "#dfe6ea", "stroke-width": "10" }),
    arc,
  );
  const face = h("div", { class: "timer-face", role: "timer", "aria-live": "off" }, clock(holdSeconds));
  const startButton = h("button", { type: "button", class: "btn btn-primary", "data-role": "timer-start" }, t("timer.start_hold"));
  const resetButton = h("button", { type: "button", class: "btn" }, t("timer.reset"));
  const holdsText = h("p", { class: "muted", "aria-live": "polite" });

  function elapsed() {
    return elapsedBefore + (startedAt === null ? 0 : (performance.now() - startedAt) / 1000);
  }

  function paint() {
    const e = Math.min(elapsed(), holdSeconds);
    face.textContent = clock(holdSeconds - e);
    arc.setAttribute("stroke-dashoffset", String(RING * (e / holdSeconds)));
    const running = startedAt === null ? 0 : e - elapsedBefore;
    const held = t("timer.held_in_total", { seconds: Math.round(totalSeconds + running) });
    replace(holdsText, countsReps ? `${t("timer.holds_done", { count: holds })} · ${held}` : held);
  }

  function stopTicker() {
    clearInterval(ticker);
    ticker = null;
  }

  function pause() {
    if (startedAt === null) return;
    const e = Math.min(elapsed(), holdSeconds);
    totalSeconds += e - elapsedBefore;
    elapsedBefore = e;
    startedAt = null;
    stopTicker();
    startButton.textContent = t("timer.resume");
    report();
    paint();
  }

  function finish() {
    totalSeconds += holdSeconds - elapsedBefore;
    holds += 1;
    elapsedBefore = 0;
    startedAt = null;
    stopTicker();
    startButton.textContent = countsReps ? t("timer.start_next_hold") : t("timer.start_again");
    navigator.vibrate?.(200);
    announce?.(countsReps ? t("timer.hold_holds_done_relax", { holds }) : t("timer.time_well_done"));
    report();
    paint();
    face.textContent = "0:00";
    arc.setAttribute("stroke-dashoffset", String(RING));
  }

  function report() {
    onChange?.({ seconds: Math.round(totalSeconds), holds });
  }

  startButton.addEventListener("click", () => {
    if (startedAt !== null) {
      pause();
      return;
    }
    startedAt = performance.now();
    startButton.textContent = t("timer.pause");
    ticker = setInterval(() => {
      if (elapsed() >= holdSeconds) finish();
      else paint();
    }, 200);
    paint();
  });
  resetButton.addEventListener("click", () => {
    stopTicker();
    startedAt = null;
    elapsedBefore = 0;
    startButton.textContent = t("timer.start_hold");
    paint();
  });

  paint();
  const element = h(
    "div",
    { class: "timer" },
    ring,
    face,
    h("div", { class: "row spread" }, startButton, resetButton),
    holdsText,
  );
  // stop counting when the screen goes away
  const watch = new MutationObserver(() => {
    if (!element.isConnected) {
      stopTicker();
      watch.disconnect();
    }
  });
  queueMicrotask(() => watch.observe(document.body, { childList: true, subtree: true }));
  return {
    element,
    addHold() {
      holds += 1;
      report();
      paint();
    },
  };
}

/** A big tap target that counts reps; onChange(count). */
export function repCounter({ target, onChange, label = t("timer.reps") }) {
  let count = 0;
  const out = h("output", { class: "big-count", "aria-live": "polite" });
  const paint = (report = true) => {
    out.textContent = target ? `${count} / ${target}` : String(count);
    if (report) onChange?.(count);
  };
  const plus = h(
    "button",
    {
      type: "button",
      class: "btn btn-done btn-block",
      "data-role": "rep-plus",
      onclick: () => {
        count += 1;
        paint();
      },
    },
    `+1 ${label === "reps" ? "rep" : label}`,
  );
  const minus = h(
    "button",
    {
      type: "button",
      class: "btn",
      onclick: () => {
        count = Math.max(0, count - 1);
        paint();
      },
    },
    "−1",
    h("span", { class: "visually-hidden" }, " ", t("timer.rep")),
  );
  paint(false);
  return {
    element: h("div", { class: "stack" }, out, h("div", { class: "counter" }, minus, plus)),
    set(value) {
      count = value;
      paint();
    },
    get count() {
      return count;
    },
  };
}
