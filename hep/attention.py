"""Who needs attention, and why: every reason defined once (REASONS).

A reason holds since a moment, worked out once per snapshot (hep.snapshots) from the
patient's figures, recent entries and thresholds (hep.care_rules), and stored in its snapshot
column. The list is ordered in SQL and each row's explanation read from the same SQL
expressions (`states`): a reason is open (nothing acknowledged since it began, or something
new since), acknowledged, or does not hold. The alerts tick (hep.alerts) reads them too."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Uuid,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter, ColumnElement

from hep.care_rules import CareRules, effective
from hep.models import (
    Acknowledgement,
    CareLink,
    CheckIn,
    ClinicCareRules,
    NotificationSettings,
    PainEntry,
    PatientCareRules,
    PushSubscription,
    Reminder,
    StepProposal,
    User,
)
from hep.pause_periods import Period, load_periods, mode_on


@dataclass(frozen=True)
class Reason:
    """One reason a therapist should look at a patient first.

    `column`: the snapshot column saying since when it holds. `lasting`: a state (held since
    it began, carried from snapshot to snapshot) rather than an event (its latest occasion,
    so a new one after an acknowledgement is news). `alert`: therapists are told as it opens
    (hep.alerts), in `told`, words free of health details."""

    name: str
    column: str
    lasting: bool
    alert: bool
    told: str = "figures changed"


REASONS: tuple[Reason, ...] = (
    Reason("high pain", "high_pain_since", False, True),
    Reason("flare-up", "flare_up_since", False, True, "paused their exercises"),
    Reason("step back", "step_back_since", False, True, "a program change to look at"),
    Reason("exercise pain rising", "exercise_pain_since", False, True),
    Reason("too hard", "too_hard_since", False, True),
    Reason("skipping for pain", "pain_skips_since", False, True),
    Reason("not logging", "not_logging_since", False, True, "no check-ins for a few days"),
    Reason("pain rising", "pain_rising_since", True, True),
    Reason("adherence falling", "adherence_falling_since", True, True),
    Reason("low adherence", "low_adherence_since", True, False),
    Reason("cannot get reminders", "unreachable_since", True, True, "reminders cannot reach them"),
    Reason("ready to progress", "progress_ready_since", False, False),
)
BY_NAME = {reason.name: reason for reason in REASONS}

QUIET_DAYS = 3  # no check-in for this long: "not logging"
LOW_ADHERENCE = 50.0  # % of the prescribed dose over the last 7 days
FALLING_BY = 20.0  # percentage points down on the 7 days before
RECENT_DAYS = 7  # high pain and skips for pain count over the last week
SESSION_DAYS = 14  # an exercise's sessions looked back on (pain rising, too hard)
TOO_HARD = 5  # the difficulty that means "too hard"
HARD_WINDOW = 3  # "too hard" on so many of an exercise's last this many sessions
NOT_HOLDING, ACKNOWLEDGED, OPEN = 0, 1, 2

# --- the list's order and explanation, in SQL ----------------------------------------------


def _state(since: Any, acknowledged: Any) -> ColumnElement[int]:
    return case(
        (since.is_(None), NOT_HOLDING),
        (and_(acknowledged.is_not(None), since <= acknowledged), ACKNOWLEDGED),
        else_=OPEN,
    )


def states(snap: Any) -> list[ColumnElement[int]]:
    """Each reason's state on a snapshot row (an entity or alias), labelled reason_<n>."""
    return [
        _state(getattr(snap, r.column), snap.acknowledged_at).label(f"reason_{n}")
        for n, r in enumerate(REASONS)
    ]


def order(snap: Any) -> list[ColumnElement[Any]]:
    """Most open reasons first, then most reasons acknowledged (they stay below)."""
    each = [_state(getattr(snap, r.column), snap.acknowledged_at) for r in REASONS]
    opened = sum((case((s == OPEN, 1), else_=0) for s in each), literal(0))
    held = sum((case((s != NOT_HOLDING, 1), else_=0) for s in each), literal(0))
    return [opened.desc(), held.desc()]


def explain(row: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The open and the acknowledged reasons of a row that selected `states`, in REASONS
    order (the keys are taken out of the row)."""
    opened, acknowledged = [], []
    for n, reason in enumerate(REASONS):
        state = row.pop(f"reason_{n}", NOT_HOLDING)
        if state == OPEN:
            opened.append(reason.name)
        elif state == ACKNOWLEDGED:
            acknowledged.append(reason.name)
    return opened, acknowledged


# --- working the reasons out, once per snapshot --------------------------------------------

_PATIENTS: BindParameter[Any] = bindparam("patients", expanding=True)
_CHECKED = or_(
    CheckIn.pain.is_not(None), CheckIn.difficulty.is_not(None), CheckIn.skip_reason == "pain"
)
# the entries the rules look at (pain, difficulty, skips for pain), oldest first: one query
_RECENT = union_all(
    select(
        CheckIn.owner_id,
        CheckIn.item_key,
        CheckIn.local_date,
        CheckIn.state,
        CheckIn.skip_reason,
        CheckIn.pain,
        CheckIn.difficulty,
        CheckIn.updated_at,
        CheckIn.created_at,
    ).where(
        CheckIn.owner_id.in_(_PATIENTS),
        CheckIn.local_date.between(bindparam("start"), bindparam("end")),
        CheckIn.deleted_at.is_(None),
        _CHECKED,
    ),
    select(
        PainEntry.owner_id,
        type_coerce(null(), Uuid),
        PainEntry.local_date,
        literal("diary"),
        null(),
        PainEntry.score,
        null(),
        PainEntry.updated_at,
        PainEntry.created_at,
    ).where(
        PainEntry.owner_id.in_(_PATIENTS),
        PainEntry.local_date.between(bindparam("start"), bindparam("end")),
    ),
)


def _newest(*where: Any) -> Any:
    return select(func.max(StepProposal.created_at)).where(
        StepProposal.patient_id == User.id, *where
    )


# everything else a patient's reasons depend on, one row each: one query
_FACTS = select(
    User.id,
    User.created_at,
    select(func.max(Acknowledgement.at))
    .where(Acknowledgement.patient_id == User.id)
    .scalar_subquery()
    .label("acknowledged_at"),
    select(ClinicCareRules.rules)
    .join(CareLink, CareLink.clinic_id == ClinicCareRules.clinic_id)
    .where(CareLink.patient_id == User.id, CareLink.is_lead, CareLink.ended_at.is_(None))
    .scalar_subquery()
    .label("clinic_rules"),
    select(PatientCareRules.rules)
    .where(PatientCareRules.patient_id == User.id)
    .scalar_subquery()
    .label("own_rules"),
    exists().where(Reminder.owner_id == User.id).label("has_reminders"),
    exists().where(PushSubscription.user_id == User.id).label("has_push"),
    and_(
        User.is_active,
        User.email_verified_at.is_not(None),
        exists().where(
            NotificationSettings.user_id == User.id, NotificationSettings.email_reminders != "off"
        ),
    ).label("has_email"),
    _newest(StepProposal.direction == "progress", StepProposal.status == "open")
    .scalar_subquery()
    .label("progress_at"),
    _newest(
        StepProposal.direction == "regress",
        or_(
            StepProposal.status == "open",
            and_(
                StepProposal.status == "applied",
                StepProposal.auto,
                StepProposal.created_at >= bindparam("week_ago"),
            ),
        ),
    )
    .scalar_subquery()
    .label("regress_at"),
).where(User.id.in_(_PATIENTS))


@dataclass(frozen=True)
class Entry:
    """A check-in (item_key set for an exercise, state "diary" for the pain diary)."""

    item_key: uuid.UUID | None
    day: dt.date
    state: str
    skip_reason: str | None
    pain: int | None
    difficulty: int | None
    at: dt.datetime


def _latest(entries: Sequence[Entry]) -> dt.datetime | None:
    return max((e.at for e in entries), default=None)


def high_pain(entries: Sequence[Entry], rules: CareRules, today: dt.date) -> dt.datetime | None:
    """A check-in's pain or the diary's score at or above the threshold in the last week."""
    first = today - dt.timedelta(days=RECENT_DAYS - 1)
    return _latest(
        [e for e in entries if e.day >= first and e.pain is not None and e.pain >= rules.high_pain]
    )


def sessions_by_item(entries: Sequence[Entry], today: dt.date) -> dict[uuid.UUID, list[Entry]]:
    """Each exercise's sessions (done or partly) of the last SESSION_DAYS, oldest first."""
    first = today - dt.timedelta(days=SESSION_DAYS - 1)
    found: dict[uuid.UUID, list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.item_key is not None and entry.day >= first and entry.state != "skipped":
            found[entry.item_key].append(entry)
    return found


def exercise_pain_rising(sessions: Sequence[Entry], rules: CareRules) -> dt.datetime | None:
    """Pain during one exercise rising over its last sessions with a pain score: never
    lower than the one before, and up by rising_points from the first to the last."""
    scored = [s for s in sessions if s.pain is not None][-rules.rising_sessions :]
    if len(scored) < rules.rising_sessions:
        return None
    pains = [s.pain or 0 for s in scored]
    steady = all(b >= a for a, b in itertools.pairwise(pains))
    return scored[-1].at if steady and pains[-1] - pains[0] >= rules.rising_points else None


def too_hard(sessions: Sequence[Entry], rules: CareRules) -> dt.datetime | None:
    """ "Too hard" on too_hard_sessions of the exercise's last HARD_WINDOW rated sessions."""
    rated = [s for s in sessions if s.difficulty is not None][-HARD_WINDOW:]
    hard = [s for s in rated if s.difficulty == TOO_HARD]
    return _latest(hard) if len(hard) >= rules.too_hard_sessions else None


def pain_skips(entries: Sequence[Entry], rules: CareRules, today: dt.date) -> dt.datetime | None:
    """Sessions skipped for pain, pain_skips times or more in the last week."""
    first = today - dt.timedelta(days=RECENT_DAYS - 1)
    skips = [e for e in entries if e.day >= first and e.skip_reason == "pain"]
    return _latest(skips) if len(skips) >= rules.pain_skips else None


def _worst(found: Sequence[dt.datetime | None]) -> dt.datetime | None:
    return max((f for f in found if f is not None), default=None)


def measures(
    session: Session,
    patients: Sequence[Any],
    summaries: Mapping[uuid.UUID, Mapping[str, Any]],
    now: dt.datetime,
    periods: Mapping[uuid.UUID, Sequence[Period]] | None = None,
) -> dict[uuid.UUID, dict[str, Any]]:
    """The snapshot columns of every reason (and the pause in force, the latest
    acknowledgement), for patients whose figures are `summaries`: two queries (three
    without `periods`). `turns_at`: a moment before the next midnight at which a reason
    begins to hold without any write (the snapshot is stale from then)."""
    if not patients:
        return {}
    ids = [p.id for p in patients]
    if periods is None:
        periods = load_periods(session, ids)
    today_of = {p.id: summaries[p.id]["as_of"] for p in patients}
    start = min(today_of.values()) - dt.timedelta(days=SESSION_DAYS)
    end = max(today_of.values())
    entries: dict[uuid.UUID, list[Entry]] = defaultdict(list)
    recent = _RECENT.order_by("local_date", "created_at")
    for row in session.execute(recent, {"patients": ids, "start": start, "end": end}):
        entries[row[0]].append(Entry(row[1], row[2], row[3], row[4], row[5], row[6], row[7]))
    facts = {
        row.id: row
        for row in session.execute(
            _FACTS, {"patients": ids, "week_ago": now - dt.timedelta(days=RECENT_DAYS)}
        )
    }
    return {
        p.id: _columns(
            summaries[p.id], facts[p.id], entries.get(p.id, []), periods.get(p.id, ()), now
        )
        for p in patients
    }


def _columns(
    summary: Mapping[str, Any],
    facts: Any,
    entries: Sequence[Entry],
    periods: Sequence[Period],
    now: dt.datetime,
) -> dict[str, Any]:
    rules = effective(facts.clinic_rules, facts.own_rules)
    today: dt.date = summary["as_of"]
    found: dict[str, Any] = {r.column: None for r in REASONS}
    turns_at = None
    last = summary["last_activity_at"]
    quiet_from = (last or facts.created_at) + dt.timedelta(days=QUIET_DAYS)
    if last is None:
        found["not_logging_since"] = facts.created_at
    elif quiet_from <= now:
        found["not_logging_since"] = quiet_from
    else:
        turns_at = quiet_from
    if summary["pain_trend"] == "rising":
        found["pain_rising_since"] = now
    week, previous = summary["percent_7_days"], summary["percent_prev_7_days"]
    if week is not None and previous is not None and previous - week >= FALLING_BY:
        found["adherence_falling_since"] = now
    if week is not None and week < LOW_ADHERENCE:
        found["low_adherence_since"] = now
    found["high_pain_since"] = high_pain(entries, rules, today)
    by_item = sessions_by_item(entries, today).values()
    found["exercise_pain_since"] = _worst([exercise_pain_rising(s, rules) for s in by_item])
    found["too_hard_since"] = _worst([too_hard(s, rules) for s in by_item])
    found["pain_skips_since"] = pain_skips(entries, rules, today)
    if facts.has_reminders and not facts.has_push and not facts.has_email:
        found["unreachable_since"] = now
    mode = mode_on(periods, today)
    flare = next((p for p in periods if p.covers(today) and p.mode == "flare_up"), None)
    found["flare_up_since"] = flare.started_at if flare else None
    found["step_back_since"] = facts.regress_at
    found["progress_ready_since"] = facts.progress_at
    return found | {
        "pause_mode": mode,
        "acknowledged_at": facts.acknowledged_at,
        "turns_at": turns_at,
    }


LASTING = tuple(r.column for r in REASONS if r.lasting)
"""Columns whose moment a recompute carries over while the reason goes on holding."""


def thresholds_for(session: Session, patient_id: uuid.UUID) -> CareRules:
    """One patient's thresholds as they stand: one query."""
    row = session.execute(_FACTS, {"patients": [patient_id], "week_ago": None}).one()
    return effective(row.clinic_rules, row.own_rules)


def is_high_pain(session: Session, patient_id: uuid.UUID, pain: int | None) -> bool:
    return pain is not None and pain >= thresholds_for(session, patient_id).high_pain
