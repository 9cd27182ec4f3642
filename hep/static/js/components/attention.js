// Why a patient needs attention, in words: the server's reasons as badges, with the figures
// behind them, the pause of their account, and the reasons acknowledged with nothing new
// since (the therapist's list and a clinic's caseload).

import { daysSince } from "../dates.js";
import { percentText } from "../labels.js";
import { pauseModes } from "../rules.js";

const known = (value) => value !== null && value !== undefined;

/** The server's attention reasons as badges, with their figures where the server gives them. */
export function attentionBadges(p) {
  if (!p.invite_accepted) return [{ text: "Invite not accepted", kind: "warn" }];
  const badges = (p.attention || []).map((reason) => {
    if (reason === "not logging") {
      const idle = daysSince(p.last_activity_at);
      return idle === Infinity
        ? { text: "No check-ins yet", kind: "warn" }
        : { text: `No check-ins for ${Math.floor(idle)} days`, kind: "alert" };
    }
    if (reason === "pain rising") return { text: "Pain rising", kind: "alert" };
    if (reason === "adherence falling") {
      // the week before, then the last one (either may be null: nothing was due)
      const figures =
        known(p.percent_prev_7_days) && known(p.percent_7_days)
          ? ` (${percentText(p.percent_prev_7_days)} → ${percentText(p.percent_7_days)})`
          : "";
      return { text: `Adherence falling${figures}`, kind: "warn" };
    }
    if (reason === "low adherence") {
      return { text: `Low adherence (${percentText(p.percent_7_days)})`, kind: "warn" };
    }
    const kind = ["high pain", "flare-up", "step back", "exercise pain rising", "too hard"].includes(reason) ? "alert" : "warn";
    return { text: reason.charAt(0).toUpperCase() + reason.slice(1), kind };
  });
  if (p.pause_mode) {
    const mode = pauseModes().find((m) => m.mode === p.pause_mode)?.words || p.pause_mode;
    badges.push({ text: `Paused: ${mode}`, kind: "warn" });
  }
  if (p.acknowledged?.length) badges.push({ text: `Seen: ${p.acknowledged.join(", ")}`, kind: "ok" });
  return badges.length ? badges : [{ text: "On track", kind: "ok" }];
}
