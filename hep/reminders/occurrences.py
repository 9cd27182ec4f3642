"""What a push was about, and acting on it from the notification: done, or snooze."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy.orm import Session

from hep.adherence import today_view
from hep.checkins import put_check_in
from hep.errors import NotFound
from hep.models import Occurrence, Reminder, User
from hep.reminders.rules import snooze

# check-in ids derived from (occurrence, subject, session) make "Done" safe to tap twice
_NAMESPACE = uuid.UUID("6f1c4f8e-4b0e-4d55-9a53-3f0d0c1f2a11")


def parse_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound() from None


def occurrence_of(
    session: Session, owner: User, occurrence_id: uuid.UUID
) -> tuple[Occurrence, Reminder]:
    occurrence = session.get(Occurrence, occurrence_id)
    if occurrence is None or occurrence.owner_id != owner.id:
        raise NotFound()
    reminder = session.get(Reminder, occurrence.reminder_id)
    if reminder is None:
        raise NotFound()
    return occurrence, reminder


def _covers(reminder: Reminder, entry: dict[str, Any]) -> bool:
    if reminder.target_kind == "habit":
        return entry["kind"] == "habit" and entry["habit_id"] == reminder.habit_id
    if reminder.target_kind == "program":
        wanted = set(reminder.item_keys or [])
        return (
            entry["kind"] == "item"
            and entry["program_id"] == reminder.program_id
            and (not wanted or str(entry["item_key"]) in wanted)
        )
    # a general reminder is about everything due; one that asks (a weekly check-in, a
    # questionnaire) about no exercise or habit, so "Done" on it logs nothing
    return reminder.target_kind == "none"


def due_entries(
    session: Session, owner: User, occurrence: Occurrence, reminder: Reminder
) -> list[dict[str, Any]]:
    """The day's entries this push is about (for the one-tap check-in page)."""
    day = today_view(session, owner, occurrence.local_date)
    return [e for e in day["entries"] if _covers(reminder, e)]


def mark_done(
    session: Session, owner: User, occurrence_id: uuid.UUID, *, now: dt.datetime, window_days: int
) -> list[dict[str, Any]]:
    """Log what the push was about as done as prescribed (source: notification). Idempotent:
    the check-in ids derive from the occurrence, so a second tap replays the same rows."""
    occurrence, reminder = occurrence_of(session, owner, occurrence_id)
    logged = []
    for entry in due_entries(session, owner, occurrence, reminder):
        if entry["kind"] == "item":
            session_number = min(entry["sessions_done"], entry["sessions_due"] - 1)
            subject = {"item_key": entry["item_key"]}
            name = f"{occurrence.id}/{entry['item_key']}/{session_number}"
            if entry["sessions_done"] >= entry["sessions_due"]:
                continue
        else:
            if entry["done"]:
                continue
            subject = {"habit_id": entry["habit_id"]}
            name = f"{occurrence.id}/{entry['habit_id']}"
        client_id = uuid.uuid5(_NAMESPACE, name)
        put_check_in(
            session,
            owner,
            client_id,
            {
                **subject,
                "local_date": occurrence.local_date,
                "state": "done",
                "source": "notification",
            },
            now=now,
            window_days=window_days,
        )
        logged.append({"id": client_id, **subject})
    return logged


def snooze_occurrence(
    session: Session, owner: User, occurrence_id: uuid.UUID, minutes: int, now: dt.datetime
) -> Reminder:
    occurrence, _ = occurrence_of(session, owner, occurrence_id)
    return snooze(session, owner, occurrence.reminder_id, minutes, now, due_at=occurrence.fire_at)
