// Calendar days as "YYYY-MM-DD" strings in the user's own time zone (the server's notion of
// "today" for them), and friendly formatting.

import { locale, relativeText, t } from "./i18n.js";

const DAY_MS = 86400000;

/** Today's date in an IANA zone, as YYYY-MM-DD. */
export function todayIn(timeZone) {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone }).format(new Date());
  } catch {
    return new Intl.DateTimeFormat("en-CA").format(new Date());
  }
}

/** Any date the API sends (ISO "2026-03-02" or an HTTP date) as YYYY-MM-DD. */
export function isoDay(value) {
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? String(value) : parsed.toISOString().slice(0, 10);
}

function utc(day) {
  const [y, m, d] = day.split("-").map(Number);
  return Date.UTC(y, m - 1, d);
}

export function addDays(day, n) {
  return new Date(utc(day) + n * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday, Monday = 1 … Sunday = 7. */
export function weekday(day) {
  return ((new Date(utc(day)).getUTCDay() + 6) % 7) + 1;
}

/** A weekday's name (ISO: Monday = 1) in the app's language, "long" or "short". */
export function weekdayName(iso, form = "long") {
  return new Date(Date.UTC(2024, 0, iso)).toLocaleDateString(locale(), { weekday: form, timeZone: "UTC" });
}

// the week's names as lists (Monday first) that always speak the language of the moment
function weekdayNames(form) {
  return new Proxy([1, 2, 3, 4, 5, 6, 7], {
    get: (days, name) =>
      typeof name === "string" && /^[0-6]$/.test(name) ? weekdayName(Number(name) + 1, form) : Reflect.get(days, name),
  });
}
export const WEEKDAYS = weekdayNames("short");
export const WEEKDAYS_LONG = weekdayNames("long");

/** "Tuesday 3 March" for a YYYY-MM-DD day. */
export function longDay(day) {
  return new Date(utc(day)).toLocaleDateString(locale(), {
    weekday: "long",
    day: "numeric",
    month: "long",
    timeZone: "UTC",
  });
}

export function shortDay(day) {
  return new Date(utc(day)).toLocaleDateString(locale(), {
    weekday: "short",
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });
}

/** "28 Oct" */
export function dayMonth(day) {
  if (!day) return "";
  return new Date(utc(day)).toLocaleDateString(locale(), { day: "numeric", month: "short", timeZone: "UTC" });
}

export function dateTime(value) {
  if (!value) return "";
  return new Date(value).toLocaleString(locale(), {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** A timestamp on the clock of an IANA zone (the patient's, not this device's), e.g.
 * "Mon 2 Mar, 08:00"; the device's own zone if `timeZone` is unknown to the browser. */
export function zonedDateTime(value, timeZone) {
  if (!value) return "";
  const options = { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };
  try {
    return new Date(value).toLocaleString(locale(), { ...options, timeZone });
  } catch {
    return new Date(value).toLocaleString(locale(), options);
  }
}

/** The hour and minute of a timestamp on this device's clock, e.g. "14:05". */
export function clockTime(value) {
  return new Date(value).toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit" });
}

/** "today", "yesterday", "5 days ago" for a timestamp, in the app's language. */
export function relative(value) {
  if (!value) return t("dates.never");
  const days = Math.floor((Date.now() - new Date(value).getTime()) / DAY_MS);
  return relativeText(-Math.max(days, 0), "day");
}

export function daysSince(value) {
  if (!value) return Infinity;
  return (Date.now() - new Date(value).getTime()) / DAY_MS;
}

/** The browser's own IANA zone (used when an invite is accepted or an account is made). */
export function browserZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** Every IANA zone the browser knows, always including its own zone and UTC. */
export function allZones() {
  let zones = [];
  try {
    zones = Intl.supportedValuesOf("timeZone");
  } catch {
    zones = [];
  }
  const extra = [browserZone(), "UTC"].filter((z) => !zones.includes(z));
  return [...extra, ...zones];
}

export function maskLabel(mask) {
  if (mask === 127) return t("dates.every_day");
  if (mask === 31) return t("dates.weekdays");
  if (mask === 96) return t("dates.weekends");
  return [1, 2, 3, 4, 5, 6, 7].filter((d) => mask & (1 << (d - 1))).map((d) => weekdayName(d, "short")).join(", ");
}
