"""Reminder rows: create, change, pause, snooze, and keep `next_fire_at` right."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from hep.adherence import load_subjects
from hep.care import export_section, patient_of
from hep.db import insert_first, lock_names
from hep.errors import CHECK_FIELDS, Conflict, Invalid, NotFound
from hep.models import (
    Delivery,
    Habit,
    NotificationSettings,
    Occurrence,
    Program,
    Reminder,
    User,
)
from hep.reminders.schedule import (
    ScheduleError,
    mask_to_weekdays,
    next_occurrence,
    program_days,
    rule_of,
    targeted_items,
    weekdays_to_mask,
    within_days,
)
from hep.timezones import local_date, zone
from hep.translations import _

MAX_REMINDERS = 50


def schedule_next(session: Session, reminder: Reminder, user: User, after: dt.datetime) -> None:
    """Set next_fire_at to the first occurrence after `after` that is not inside a pause and,
    for a program, on a day its program runs (None once it has ended)."""
    tz = zone(user.timezone)
    first: dt.date | None = None
    last: dt.date | None = None
    if reminder.program_id is not None:
        subjects = load_subjects(session, [user.id], {user.id: user.timezone})[user.id]
        days = program_days(targeted_items(subjects, reminder.program_id, reminder.item_keys))
        if days is None:
            reminder.next_fire_at = None
            return
        first, last = days
    rule = rule_of(reminder)
    try:
        if reminder.paused_until is not None:
            resume = reminder.paused_until + dt.timedelta(days=1)
            first = max(first or resume, resume)
        reminder.next_fire_at = within_days(rule, tz, next_occurrence(rule, tz, after), first, last)
    except OverflowError:
        # the days to skip run into the calendar's end: nothing is left to fire
        reminder.next_fire_at = None


def reschedule_program(session: Session, program: Program, now: dt.datetime) -> None:
    """After a program changes (its dates or items), its reminders follow: from now, so
    nothing already fired repeats. The program write has locked the patient's row (its stats
    version), as a dispatcher deciding the patient's reminders does: one waits for the other,
    so the dispatcher never writes back a next_fire_at from the program as it was."""
    owner = session.get_one(User, program.patient_id)
    for reminder in session.scalars(select(Reminder).where(Reminder.program_id == program.id)):
        schedule_next(session, reminder, owner, now)


# a rule the schedule refuses, in the words of the form's field (the API's rule fields)
RULE_PROBLEMS = {
    "window_end": ("end", _("Until: a time later than From, on the same day.")),
    "window_start": ("start", _("From: a time of day, written HH:MM.")),
    "rule": ("weekdays", _("Days: this reminder would never come on these days.")),
}
PAST_PAUSE = _("Paused until: today or a later day.")
INCOMPLETE_RULE = _("When: give the times, or how often and between which times.")


def _apply(
    session: Session, owner: User, reminder: Reminder, data: dict[str, Any], now: dt.datetime
) -> None:
    if "target" in data:
        target = data["target"]
        kind = target["kind"]
        reminder.target_kind = kind
        reminder.habit_id = reminder.program_id = None
        reminder.item_keys = None
        if kind == "habit":
            habit = session.get(Habit, target.get("habit_id"))
            if habit is None or habit.owner_id != owner.id:
                raise Invalid.field("target", _("No such habit."))
            reminder.habit_id = habit.id
        elif kind == "program":
            program = session.get(Program, target.get("program_id"))
            if program is None or program.patient_id != owner.id:
                raise Invalid.field("target", _("No such program."))
            reminder.program_id = program.id
            keys = target.get("item_keys")
            if keys:
                subjects = load_subjects(session, [owner.id], {owner.id: owner.timezone})
                known = {
                    s.id
                    for s in subjects[owner.id]
                    if s.program_id == program.id and s.current is not None
                }
                if not set(keys) <= known:
                    raise Invalid.field("target", _("Some items are not in this program."))
                reminder.item_keys = sorted(str(k) for k in keys)
    rule = data.get("rule")
    if rule is not None:
        reminder.rule_type = rule["type"]
        reminder.weekdays = weekdays_to_mask(rule.get("weekdays", range(1, 8)))
        if rule["type"] == "times":
            reminder.times = sorted({t.strftime("%H:%M") for t in rule.get("times", [])})
            reminder.every_minutes = reminder.window_start = reminder.window_end = None
        else:
            reminder.times = []
            reminder.every_minutes = rule.get("every_minutes")
            start, end = rule.get("start"), rule.get("end")
            reminder.window_start = start.strftime("%H:%M") if start else None
            reminder.window_end = end.strftime("%H:%M") if end else None
    until = data.get("paused_until")
    if until is not None and until < local_date(now, owner.timezone):
        # a pause that ended before today would pause nothing
        raise Invalid.field("paused_until", PAST_PAUSE)
    for field in ("label", "skip_if_done", "paused_until", "pause_reason"):
        if field in data:
            setattr(
                reminder,
                field,
                data[field] if data[field] is not None or field == "paused_until" else "",
            )
    try:
        rule_of(reminder)
    except ScheduleError as exc:
        field, message = RULE_PROBLEMS.get(exc.field, (exc.field, exc.message))
        raise Invalid(CHECK_FIELDS, {"rule": {field: [message]}}) from None
    except AssertionError:
        raise Invalid(CHECK_FIELDS, {"rule": [INCOMPLETE_RULE]}) from None


def create_reminder(
    session: Session,
    owner: User,
    data: dict[str, Any],
    now: dt.datetime,
    *,
    proposed_by: User | None = None,
) -> Reminder:
    lock_names(session, [f"reminders:{owner.id}"])  # counted and added one at a time
    count = session.scalar(
        select(func.count()).select_from(Reminder).where(Reminder.owner_id == owner.id)
    )
    if (count or 0) >= MAX_REMINDERS:
        raise Conflict(_("At most {count} reminders.", count=MAX_REMINDERS))
    reminder = Reminder(
        owner_id=owner.id,
        proposed_by=proposed_by.id if proposed_by else None,
        label="",
        target_kind="none",
        skip_if_done=True,
        pause_reason="",
        weekdays=0b1111111,
        times=[],
        created_at=now,
        updated_at=now,
    )
    _apply(session, owner, reminder, {"target": {"kind": "none"}} | data, now)
    schedule_next(session, reminder, owner, now)
    session.add(reminder)
    session.flush()
    return reminder


def propose_reminder(
    session: Session, therapist: User, patient_id: uuid.UUID, data: dict[str, Any], now: dt.datetime
) -> Reminder:
    """A therapist sets a reminder up for a patient, who can change or delete it."""
    patient = patient_of(session, therapist, patient_id)
    return create_reminder(session, patient, data, now, proposed_by=therapist)


def reminder_of(session: Session, owner: User, reminder_id: uuid.UUID) -> Reminder:
    reminder = session.get(Reminder, reminder_id)
    if reminder is None or reminder.owner_id != owner.id:
        raise NotFound()
    return reminder


def update_reminder(
    session: Session, owner: User, reminder_id: uuid.UUID, data: dict[str, Any], now: dt.datetime
) -> Reminder:
    """Change a reminder; the next occurrence is recomputed from now (so nothing already
    fired repeats)."""
    reminder = reminder_of(session, owner, reminder_id)
    _apply(session, owner, reminder, data, now)
    reminder.updated_at = now
    schedule_next(session, reminder, owner, now)
    session.flush()
    return reminder


def reschedule_all(session: Session, owner: User, old_timezone: str, now: dt.datetime) -> None:
    """After a timezone change, future occurrences move to the new zone; a slot already served
    today (by the old zone's clock) is not served again."""
    old, new = zone(old_timezone), zone(owner.timezone)
    last_fired = dict(
        session.execute(
            select(Occurrence.reminder_id, func.max(Occurrence.fire_at))
            .join(Reminder, Reminder.id == Occurrence.reminder_id)
            .where(Reminder.owner_id == owner.id)
            .group_by(Occurrence.reminder_id)
        ).all()
    )
    for reminder in session.scalars(select(Reminder).where(Reminder.owner_id == owner.id)):
        after = now
        last = last_fired.get(reminder.id)
        if last is not None:
            served = last.astimezone(old)
            for _slot in range(64):  # bounded: a day holds at most 48 slots
                candidate = next_occurrence(rule_of(reminder), new, after).astimezone(new)
                if candidate.date() != served.date() or candidate.time() > served.time():
                    break
                after = candidate
        schedule_next(session, reminder, owner, after)


def delete_reminder(session: Session, owner: User, reminder_id: uuid.UUID) -> None:
    session.delete(reminder_of(session, owner, reminder_id))
    session.flush()


NOTHING_TO_SNOOZE = _("This reminder has nothing coming up to snooze.")


def snooze(
    session: Session,
    owner: User,
    reminder_id: uuid.UUID,
    minutes: int,
    now: dt.datetime,
    *,
    due_at: dt.datetime | None = None,
) -> Reminder:
    """Delay an occurrence by `minutes`: the one a push was about (`due_at`), else the next
    one. It goes off `minutes` after its own time, or after now once that has passed: a
    snooze never brings a reminder forward. The rule resumes after it."""
    reminder = reminder_of(session, owner, reminder_id)
    due = due_at or reminder.next_fire_at
    if due is None:
        raise Conflict(NOTHING_TO_SNOOZE)
    reminder.next_fire_at = max(due, now) + dt.timedelta(minutes=minutes)
    reminder.updated_at = now
    session.flush()
    return reminder


def reminder_history(
    session: Session, reminder: Reminder, *, limit: int, offset: int
) -> list[dict[str, Any]]:
    """Every occurrence of a reminder, newest first: what the dispatcher decided (sent, grouped
    into another push, already done, paused, quiet hours, daily cap, missed, no subscription)
    and how its pushes fared. One query."""

    def status_count(status: str) -> Any:
        return func.coalesce(func.sum(case((Delivery.status == status, 1), else_=0)), 0)

    rows = session.execute(
        select(
            Occurrence.id,
            Occurrence.fire_at,
            Occurrence.local_date,
            Occurrence.outcome,
            Occurrence.decided_at,
            status_count("sent"),
            status_count("failed") + status_count("gone"),
            status_count("pending") + status_count("sending"),
        )
        .outerjoin(Delivery, Delivery.occurrence_id == Occurrence.id)
        .where(Occurrence.reminder_id == reminder.id)
        .group_by(Occurrence.id)
        .order_by(Occurrence.fire_at.desc(), Occurrence.id)
        .offset(offset)
        .limit(limit)
    ).all()
    return [
        {
            "occurrence_id": occurrence_id,
            "fire_at": fire_at,
            "local_date": local_date,
            "outcome": outcome,
            "decided_at": decided_at,
            "pushes": {"sent": int(sent), "failed": int(failed), "pending": int(pending)},
        }
        for occurrence_id, fire_at, local_date, outcome, decided_at, sent, failed, pending in rows
    ]


def reminders_of(session: Session, owner_id: uuid.UUID) -> Sequence[Reminder]:
    return session.scalars(
        select(Reminder).where(Reminder.owner_id == owner_id).order_by(Reminder.created_at)
    ).all()


def settings_of(session: Session, user: User) -> NotificationSettings:
    """The user's settings; the row is made on first use (by whichever racer gets there)."""
    settings = session.get(NotificationSettings, user.id)
    if settings is None:
        settings = NotificationSettings.first_for(user.id)
        if not insert_first(session, settings):
            settings = session.get_one(NotificationSettings, user.id)
    return settings


def update_settings(session: Session, user: User, changes: dict[str, Any]) -> NotificationSettings:
    settings = settings_of(session, user)
    # locked and re-read: racing changes each check the quiet hours against the one before
    session.refresh(settings, with_for_update={"key_share": True})
    for field in ("quiet_start", "quiet_end"):
        if field in changes:
            value = changes[field]
            setattr(settings, field, value.strftime("%H:%M") if value is not None else None)
    if (settings.quiet_start is None) != (settings.quiet_end is None):
        raise Invalid.field("quiet_end", _("Give both ends of the quiet hours, or neither."))
    if "daily_cap" in changes:
        settings.daily_cap = changes["daily_cap"]
    session.flush()
    return settings


@export_section
def _export_reminders(session: Session, user: User) -> tuple[str, Any]:
    return "reminders", [
        {
            "id": str(r.id),
            "label": r.label,
            "target_kind": r.target_kind,
            "rule_type": r.rule_type,
            "times": r.times,
            "weekdays": mask_to_weekdays(r.weekdays),
            "every_minutes": r.every_minutes,
            "window": [r.window_start, r.window_end],
            "paused_until": r.paused_until.isoformat() if r.paused_until else None,
            "pause_reason": r.pause_reason,
        }
        for r in reminders_of(session, user.id)
    ]
