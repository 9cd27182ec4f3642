// Why a patient needs attention, in words: the server's reasons as badges, with the figures
// behind them, the pause of their account, and the reasons acknowledged with nothing new
// since (the therapist's list and a clinic's caseload).

import { daysSince } from "../dates.js";
import { t } from "../i18n.js";
import { percentText } from "../labels.js";
import { pauseModes } from "../rules.js";

const known = (value) => value !== null && value !== undefined;

// the server's reason codes: their words (as said inside a sentence), and whether they alert
const REASONS = {
  "high pain": ["attention_reason.high_pain", "alert"],
  "flare-up": ["attention_reason.flare_up", "alert"],
  "step back": ["attention_reason.step_back", "alert"],
  "exercise pain rising": ["attention_reason.exercise_pain_rising", "alert"],
  "too hard": ["attention_reason.too_hard", "alert"],
  "skipping for pain": ["attention_reason.skipping_for_pain", "warn"],
  "not logging": ["attention_reason.not_logging", "warn"],
  "pain rising": ["attention_reason.pain_rising", "alert"],
  "adherence falling": ["attention_reason.adherence_falling", "warn"],
  "low adherence": ["attention_reason.low_adherence", "warn"],
  "cannot get reminders": ["attention_reason.cannot_get_reminders", "warn"],
  "ready to progress": ["attention_reason.ready_to_progress", "warn"],
};

/** A reason code in the reader's words, as said inside a sentence ("high pain"). */
export function reasonWords(reason) {
  const found = Object.hasOwn(REASONS, reason) ? REASONS[reason] : null;
  return found ? t(found[0]) : reason;
}

/** A reason code in the reader's words, as a label of its own ("High pain"). */
export function reasonName(reason) {
  const words = reasonWords(reason);
  return words.charAt(0).toLocaleUpperCase() + words.slice(1);
}

/** The server's attention reasons as badges, with their figures where the server gives them. */
export function attentionBadges(p) {
  if (!p.invite_accepted) return [{ text: t("attention.invite_not_accepted"), kind: "warn" }];
  const badges = (p.attention || []).map((reason) => {
    if (reason === "not logging") {
      const idle = daysSince(p.last_activity_at);
      return idle === Infinity
        ? { text: t("attention.no_check_ins_yet"), kind: "warn" }
        : { text: t("attention.no_check_ins_for_days", { count: Math.floor(idle) }), kind: "alert" };
    }
    if (reason === "pain rising") return { text: reasonName(reason), kind: "alert" };
    if (reason === "adherence falling") {
      // the week before, then the last one (either may be null: nothing was due)
      const figures = known(p.percent_prev_7_days) && known(p.percent_7_days);
      return {
        text: figures
          ? t("attention.adherence_falling_from_to", { before: percentText(p.percent_prev_7_days), after: percentText(p.percent_7_days) })
          : reasonName(reason),
        kind: "warn",
      };
    }
    if (reason === "low adherence") {
      return { text: t("attention.low_adherence_percent", { percent: percentText(p.percent_7_days) }), kind: "warn" };
    }
    const kind = Object.hasOwn(REASONS, reason) ? REASONS[reason][1] : "warn";
    return { text: reasonName(reason), kind };
  });
  if (p.pause_mode) {
    const mode = pauseModes().find((m) => m.mode === p.pause_mode)?.words || p.pause_mode;
    badges.push({ text: t("attention.paused_mode", { mode }), kind: "warn" });
  }
  if (p.acknowledged?.length) badges.push({ text: t("attention.seen_reasons", { reasons: p.acknowledged.map(reasonWords).join(", ") }), kind: "ok" });
  return badges.length ? badges : [{ text: t("attention.on_track"), kind: "ok" }];
}
