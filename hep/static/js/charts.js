// Our own small SVG charts. Each chart is an image with a text summary for screen readers and
// a "show as a table" fallback with the same numbers.

import { h } from "./dom.js";
import { shortDay, weekday, WEEKDAYS } from "./dates.js";
import { t } from "./i18n.js";

const svg = (tag, attrs, ...children) => h(`svg:${tag}`, attrs, ...children);

function figure(caption, summary, chart, table) {
  return h(
    "figure",
    { class: "figure" },
    h("figcaption", { class: "visually-hidden" }, caption),
    chart,
    h("p", { class: "visually-hidden" }, summary),
    table
      ? h("details", { class: "small" }, h("summary", {}, t("charts.show_as_table")), h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("charts.caption_as_table", { caption }) }, table))
      : null,
  );
}

function dataTable(headers, rows) {
  return h(
    "table",
    {},
    h("thead", {}, h("tr", {}, headers.map((item) => h("th", { scope: "col" }, item)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c ?? "–"))))),
  );
}

/**
 * Days along x; bars (0..barMax) and/or a line (0..lineMax, gaps where null).
 * days: ["YYYY-MM-DD"...]; bars/line: arrays aligned with days.
 */
export function timeChart({ title, days, bars, line, barMax = 100, lineMax = 10, barLabel, lineLabel, height = 160 }) {
  const width = 340;
  const pad = { left: 28, right: line ? 26 : 8, top: 10, bottom: 22 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const step = plotW / Math.max(days.length, 1);
  const x = (i) => pad.left + i * step + step / 2;
  const yBar = (v) => pad.top + plotH - (Math.min(v, barMax) / barMax) * plotH;
  const yLine = (v) => pad.top + plotH - (Math.min(v, lineMax) / lineMax) * plotH;
  const parts = [];
  for (const frac of [0, 0.5, 1]) {
    const y = pad.top + plotH - frac * plotH;
    parts.push(svg("line", { class: "axis", x1: pad.left, x2: width - pad.right, y1: y, y2: y }));
    if (bars) parts.push(svg("text", { x: pad.left - 4, y: y + 4, "text-anchor": "end" }, `${Math.round(barMax * frac)}${barMax === 100 ? "%" : ""}`));
    if (line) parts.push(svg("text", { x: width - pad.right + 4, y: y + 4 }, String(Math.round(lineMax * frac))));
  }
  if (bars) {
    days.forEach((day, i) => {
      const v = bars[i];
      const bw = Math.max(step * 0.7, 2);
      if (v === null || v === undefined) {
        parts.push(svg("rect", { class: "bar-empty", x: x(i) - bw / 2, y: pad.top + plotH - 2, width: bw, height: 2 }));
        return;
      }
      const top = yBar(v);
      parts.push(
        svg(
          "rect",
          { class: "bar", x: x(i) - bw / 2, y: top, width: bw, height: Math.max(pad.top + plotH - top, 1), rx: 2 },
          svg("title", {}, `${shortDay(day)}: ${Math.round(v)}${barMax === 100 ? "%" : ""}`),
        ),
      );
    });
  }
  if (line) {
    let path = "";
    let pen = false;
    line.forEach((v, i) => {
      if (v === null || v === undefined) {
        pen = false;
        return;
      }
      path += `${pen ? "L" : "M"}${x(i).toFixed(1)} ${yLine(v).toFixed(1)} `;
      pen = true;
    });
    if (path) parts.push(svg("path", { class: "line-pain", d: path.trim() }));
    line.forEach((v, i) => {
      if (v === null || v === undefined) return;
      parts.push(
        svg("circle", { class: "dot-pain", cx: x(i), cy: yLine(v), r: 3 }, svg("title", {}, `${shortDay(days[i])}: ${lineLabel || "pain"} ${v}`)),
      );
    });
  }
  // label the first day of each week (every few weeks, when the days are weeks themselves)
  const starts = days.map((day, i) => i).filter((i) => weekday(days[i]) === 1 || i === 0);
  const every = Math.ceil(starts.length / 8);
  days.forEach((day, i) => {
    if (starts.indexOf(i) % every === 0 && starts.includes(i)) {
      parts.push(svg("text", { x: x(i), y: height - 6, "text-anchor": "middle" }, day.slice(8).replace(/^0/, "") + "/" + day.slice(5, 7).replace(/^0/, "")));
    }
  });
  const chart = svg("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title }, ...parts);
  const summary = summarize(days, bars, line, barLabel, lineLabel);
  const table = dataTable(
    [t("charts.day"), bars ? barLabel : null, line ? lineLabel : null].filter(Boolean),
    days.map((d, i) =>
      [shortDay(d), bars ? fmt(bars[i], barMax === 100 ? "%" : "") : null, line ? fmt(line[i], "") : null].filter((c) => c !== null),
    ),
  );
  return h(
    "div",
    {},
    figure(title, summary, chart, table),
    h(
      "ul",
      { class: "legend", "aria-hidden": "true" },
      bars ? h("li", {}, h("i", { class: "k-bar" }), barLabel) : null,
      line ? h("li", {}, h("i", { class: "k-pain" }), lineLabel) : null,
    ),
  );
}

function fmt(v, unit) {
  return v === null || v === undefined ? "–" : `${Math.round(v * 10) / 10}${unit}`;
}

function mean(values) {
  const present = values.filter((v) => v !== null && v !== undefined);
  return present.length ? present.reduce((a, b) => a + b, 0) / present.length : null;
}

function summarize(days, bars, line, barLabel, lineLabel) {
  const parts = [t("charts.count_days_from_shortday_to", { count: days.length, shortDay: shortDay(days[0]), shortDay2: shortDay(days[days.length - 1]) })];
  if (bars) {
    const m = mean(bars);
    parts.push(t("charts.label_average", { label: barLabel, average: m === null ? t("charts.no_data") : Math.round(m) }));
  }
  if (line) {
    const m = mean(line);
    parts.push(t("charts.label_average", { label: lineLabel, average: m === null ? t("charts.no_data") : Math.round(m * 10) / 10 }));
  }
  return parts.join(" ");
}

const monthName = (day) => new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, { month: "short", timeZone: "UTC" });

/**
 * A calendar heatmap: weeks as columns (the month named above where it starts), Monday..Sunday
 * as rows, each day's number in its cell, shade = % of the day's dose.
 */
export function heatmap({ title, days }) {
  const cell = 26;
  const gap = 5;
  const left = 32;
  const top = 16;
  const first = weekday(days[0].date);
  const columns = Math.ceil((days.length + first - 1) / 7);
  const width = left + columns * (cell + gap);
  const height = top + 7 * (cell + gap) + 4;
  const parts = [];
  const months = new Map();
  WEEKDAYS.forEach((name, i) => {
    if (i % 2 === 0) parts.push(svg("text", { x: 0, y: top + i * (cell + gap) + cell - 8 }, name));
  });
  days.forEach((d, i) => {
    const slot = i + first - 1;
    const col = Math.floor(slot / 7);
    const row = slot % 7;
    // a month's name heads the first column and the column its 1st falls in
    if (i === 0 || d.date.endsWith("-01")) months.set(col, monthName(d.date));
    const level =
      d.percent === null || d.percent === undefined
        ? "none"
        : d.percent >= 100
          ? 4
          : d.percent >= 67
            ? 3
            : d.percent >= 34
              ? 2
              : d.percent > 0
                ? 1
                : 0;
    const x = left + col * (cell + gap);
    const y = top + row * (cell + gap);
    parts.push(
      svg(
        "g",
        {},
        svg(
          "rect",
          { class: `heat-${level}`, x, y, width: cell, height: cell, rx: 4 },
          svg("title", {}, `${shortDay(d.date)}: ${d.percent === null || d.percent === undefined ? t("charts.nothing_due") : t("charts.round_done", { round: Math.round(d.percent) })}`),
        ),
        svg("text", { class: `heat-day${level === 3 || level === 4 ? " on-dark" : ""}`, x: x + cell / 2, y: y + cell / 2 + 4, "text-anchor": "middle", "aria-hidden": "true" }, String(Number(d.date.slice(8, 10)))),
      ),
    );
  });
  for (const [col, name] of months) parts.push(svg("text", { class: "heat-month", x: left + col * (cell + gap), y: top - 5 }, name));
  const done = days.filter((d) => (d.percent ?? 0) >= 100).length;
  const due = days.filter((d) => d.percent !== null && d.percent !== undefined).length;
  const chart = svg("svg", { class: "chart heatmap", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title, width }, ...parts);
  return h(
    "div",
    {},
    figure(title, t("charts.done_of_due_days_with", { done, due }), chart, null),
    h(
      "ul",
      { class: "legend", "aria-hidden": "true" },
      h("li", {}, h("i", { class: "swatch-0" }), t("charts.none")),
      h("li", {}, h("i", { class: "swatch-2" }), t("charts.some")),
      h("li", {}, h("i", { class: "swatch-4" }), t("charts.all")),
    ),
  );
}

/** One small bar strip per lifestyle habit (share of its target), aligned to the same days. */
export function habitStrips({ days, series }) {
  const width = 340;
  const rowH = 34;
  const left = 28;
  const right = 26;
  const step = (width - left - right) / days.length;
  return series.map(({ name, values, target, direction, unit }) => {
    const parts = [];
    values.forEach((v, i) => {
      if (v === null || v === undefined) return;
      const share = target ? Math.min(v / target, 1.5) / 1.5 : 1;
      const met = target ? (direction === "at_most" ? v <= target : v >= target) : true;
      const barH = Math.max(share * (rowH - 6), 2);
      parts.push(
        svg(
          "rect",
          { class: met ? "bar" : "bar-empty", x: left + i * step + step * 0.15, y: rowH - barH, width: step * 0.7, height: barH, rx: 2 },
          svg("title", {}, `${shortDay(days[i])}: ${v} ${unit || ""}`),
        ),
      );
    });
    const logged = values.filter((v) => v !== null && v !== undefined);
    const avg = logged.length ? logged.reduce((a, b) => a + b, 0) / logged.length : null;
    return h(
      "div",
      { class: "strip" },
      h("p", { class: "small" }, h("strong", {}, name), " ", avg === null ? t("charts.not_logged") : t("charts.average", { average: Math.round(avg * 10) / 10, unit: unit || "" }).trim()),
      svg(
        "svg",
        { class: "chart", viewBox: `0 0 ${width} ${rowH}`, role: "img", "aria-label": t("charts.name_daily_amounts_over_same", { name }) },
        svg("line", { class: "axis", x1: left, x2: width - right, y1: rowH - 0.5, y2: rowH - 0.5 }),
        ...parts,
      ),
    );
  });
}
