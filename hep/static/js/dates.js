// Calendar days as "YYYY-MM-DD" strings in the user's own time zone (the server's notion of
// "today" for them), and friendly formatting.

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

export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
export const WEEKDAYS_LONG = [
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
];

/** "Tuesday 3 March" for a YYYY-MM-DD day. */
export function longDay(day) {
  return new Date(utc(day)).toLocaleDateString(undefined, {
    weekday: "long",
    day: "numeric",
    month: "long",
    timeZone: "UTC",
  });
}

export function shortDay(day) {
  return new Date(utc(day)).toLocaleDateString(undefined, {
    weekday: "short",
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });
}

/** "28 Oct" */
export function dayMonth(day) {
  if (!day) return "";
  return new Date(utc(day)).toLocaleDateString(undefined, { day: "numeric", month: "short", timeZone: "UTC" });
}

export function dateTime(value) {
  if (!value) return "";
  return new Date(value).toLocaleString(undefined, {
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
    return new Date(value).toLocaleString(undefined, { ...options, timeZone });
  } catch {
    return new Date(value).toLocaleString(undefined, options);
  }
}

/** The hour and minute of a timestamp on this device's clock, e.g. "14:05". */
export function clockTime(value) {
  return new Date(value).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

/** "today", "yesterday", "5 days ago" for a timestamp. */
export function relative(value) {
  if (!value) return "never";
  const days = Math.floor((Date.now() - new Date(value).getTime()) / DAY_MS);
  if (days <= 0) return "today";
  if (days === 1) return "yesterday";
  return `${days} days ago`;
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
  if (mask === 127) return "every day";
  if (mask === 31) return "weekdays";
  if (mask === 96) return "weekends";
  return WEEKDAYS.filter((_, i) => mask & (1 << i)).join(", ");
}
