// The server's edit window in words: which past days can still be filled in or changed, and
// why an older day is shown but not offered for change.

import { h } from "../dom.js";
import { editDays } from "../rules.js";

/** "the last 7 days" (the server's HEP_CHECKIN_EDIT_DAYS). */
export function lastDays() {
  const n = editDays();
  return n === 1 ? "the last day" : `the last ${n} days`;
}

/** Said on a day past the window, where the controls would have been. */
export function pastWindowNote() {
  return h(
    "p",
    { class: "banner", role: "note" },
    `Only ${lastDays()} can be filled in or changed, so this day is shown as it was logged.`,
  );
}
