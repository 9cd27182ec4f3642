// The server's edit window in words: which past days can still be filled in or changed, and
// why an older day is shown but not offered for change.

import { h } from "../dom.js";
import { editDays } from "../rules.js";
import { t } from "../i18n.js";

/** "the last 7 days" (the server's HEP_CHECKIN_EDIT_DAYS). */
export function lastDays() {
  const n = editDays();
  return n === 1 ? t("edit_window.last_day") : t("edit_window.last_n_days", { n });
}

/** Said on a day past the window, where the controls would have been. */
export function pastWindowNote() {
  return h(
    "p",
    { class: "banner", role: "note" },
    t("edit_window.only_lastdays_can_be_filled", { lastDays: lastDays() }),
  );
}
