// The app's words in its reader's language: a catalogue per language (static/locales/<code>.json,
// keys to sentences with {name} places, and plural sentences by CLDR category), and dates,
// numbers, plurals and lists written the reader's way through the platform's Intl.

export const LANGUAGES = { en: "English", es: "Español", de: "Deutsch" };
const DEFAULT = "en";
const CHOSEN = "hep.language";

let current = DEFAULT;
let catalogue = null;
const formats = new Map();

/** The language the app speaks now (a code of LANGUAGES). */
export function language() {
  return current;
}

/**
 * The locale dates and numbers follow: the browser's own form of the app's language (en-GB
 * writes 3 March, es-MX and de-AT their own ways), else the language itself.
 */
export function locale() {
  const tags = navigator.languages?.length ? navigator.languages : [navigator.language];
  return tags.find((tag) => String(tag || "").split("-")[0].toLowerCase() === current) || current;
}

/** The first of the browser's languages hep speaks, else English. */
export function browserLanguage() {
  for (const tag of navigator.languages?.length ? navigator.languages : [navigator.language]) {
    const base = String(tag || "").split("-")[0].toLowerCase();
    if (base in LANGUAGES) return base;
  }
  return DEFAULT;
}

/** The language of someone not signed in: the one they picked on this phone, else the browser's. */
export function guestLanguage() {
  try {
    const picked = localStorage.getItem(CHOSEN);
    if (picked in LANGUAGES) return picked;
  } catch {
    /* storage may be disabled */
  }
  return browserLanguage();
}

/** Remember a signed-out person's pick on this phone (a signed-in one's is their account's). */
export function rememberGuestLanguage(code) {
  try {
    localStorage.setItem(CHOSEN, code);
  } catch {
    /* storage may be disabled */
  }
}

/** Load a language's catalogue and speak it from now on; answers whether it changed. */
export async function useLanguage(code) {
  const wanted = code in LANGUAGES ? code : DEFAULT;
  if (wanted === current && catalogue) return false;
  const response = await fetch(`/static/locales/${wanted}.json`, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`catalogue ${wanted}: ${response.status}`);
  catalogue = await response.json();
  current = wanted;
  formats.clear();
  document.documentElement.lang = wanted;
  return true;
}

/**
 * The sentence for `key` in the current language, its {places} filled from `params` (numbers
 * written the reader's way). A plural sentence picks its form by `params.count`.
 */
export function t(key, params = {}) {
  let entry = catalogue ? catalogue[key] : undefined;
  if (entry === undefined) return key;
  if (typeof entry === "object") entry = entry[plural(params.count ?? 0)] ?? entry.other;
  return entry.replace(/\{(\w+)\}/g, (place, name) => (name in params ? shown(params[name]) : place));
}

function shown(value) {
  return typeof value === "number" ? number(value) : String(value ?? "");
}

function format(kind, options, make) {
  const key = `${kind}|${JSON.stringify(options || {})}`;
  if (!formats.has(key)) formats.set(key, make(locale(), options));
  return formats.get(key);
}

/** 1,234.5 / 1.234,5 — whole numbers whole, others to at most one decimal place by default. */
export function number(value, options = { maximumFractionDigits: 1 }) {
  return format("number", options, (l, o) => new Intl.NumberFormat(l, o)).format(value);
}

/** The CLDR plural category of `count` in the current language: "one", "many", "other"… */
export function plural(count) {
  return format("plural", null, (l) => new Intl.PluralRules(l)).select(count);
}

/** A date (a Date, or a YYYY-MM-DD day read as local) with Intl.DateTimeFormat options. */
export function dateText(value, options = { day: "numeric", month: "short", year: "numeric" }) {
  const date = typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00`) : new Date(value);
  return format("date", options, (l, o) => new Intl.DateTimeFormat(l, o)).format(date);
}

/** "in 3 days", "vor 2 Stunden" (Intl.RelativeTimeFormat; numeric: "auto" says "tomorrow"). */
export function relativeText(value, unit, options = { numeric: "auto" }) {
  return format("relative", options, (l, o) => new Intl.RelativeTimeFormat(l, o)).format(value, unit);
}

/** "a, b and c" / "a, b y c" / "a, b und c". */
export function listText(items, options = { type: "conjunction" }) {
  return format("list", options, (l, o) => new Intl.ListFormat(l, o)).format(items.map(String));
}

/**
 * A table of catalogue keys read as words: WORDS.neck says t("region.neck") in the language
 * of the moment, so a table made when a module loads still follows a change of language
 * (a function in the table is left as it is).
 */
export function words(keys) {
  return new Proxy(keys, {
    get: (table, name) => (typeof table[name] === "string" && Object.hasOwn(table, name) ? t(table[name]) : table[name]),
  });
}
