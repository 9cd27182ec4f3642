"""Pauses of the whole account: a flare-up, being unwell or away, a busy week. Starting one,
saying it is over, reading them (what each mode leaves due: hep.pause_periods)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hep.care import export_section
from hep.errors import Invalid, NotFound
from hep.models import Pause, User
from hep.models.safety import PAUSE_MODES
from hep.pause_periods import pauses_of
from hep.timezones import local_date
from hep.translations import _, _n

LONGEST_DAYS = 366
"""How far ahead a pause may be planned or last."""


def _lock(session: Session, patient: User) -> None:
    # one pause change of a patient at a time: the one after sees the one before
    session.execute(select(User.id).where(User.id == patient.id).with_for_update())


def start_pause(
    session: Session,
    patient: User,
    mode: str,
    now: dt.datetime,
    *,
    window_days: int,
    first_day: dt.date | None = None,
    last_day: dt.date | None = None,
    note: str = "",
) -> Pause:
    """Pause the account from `first_day` (today by default; back to the edit window, or
    planned ahead) to `last_day` (open-ended: until the patient says it is over). Pauses never
    overlap: one begun before ends the day before; one within its days is dropped, or goes
    on after them if it lasts longer. Flushes."""
    if mode not in PAUSE_MODES:
        raise Invalid.field("mode", _("One of: {choices}.", choices=", ".join(PAUSE_MODES)))
    today = local_date(now, patient.timezone)
    first = first_day or today
    if first < today - dt.timedelta(days=window_days):
        raise Invalid.field(
            "first_day",
            _n(
                "A pause can start at most {count} day back.",
                "A pause can start at most {count} days back.",
                window_days,
            ),
        )
    if first > today + dt.timedelta(days=LONGEST_DAYS):
        raise Invalid.field("first_day", _("That is too far ahead."))
    if last_day is not None:
        if last_day < first:
            raise Invalid.field("last_day", _("The last day is before the first."))
        if last_day > first + dt.timedelta(days=LONGEST_DAYS):
            raise Invalid.field(
                "last_day", _("A pause lasts at most {days} days.", days=LONGEST_DAYS)
            )
    _lock(session, patient)
    for other in session.scalars(
        select(Pause).where(Pause.patient_id == patient.id).order_by(Pause.first_day)
    ):
        if other.last_day is not None and other.last_day < max(first, other.first_day):
            continue  # over before (or dropped)
        if last_day is not None and other.first_day > last_day:
            continue  # begins after
        if other.first_day < first:
            other.last_day = first - dt.timedelta(days=1)  # ends the day before
            other.ended_at = other.ended_at or now
        elif last_day is not None and (other.last_day is None or other.last_day > last_day):
            other.first_day = last_day + dt.timedelta(days=1)  # goes on after it
        else:
            other.last_day = other.first_day - dt.timedelta(days=1)  # covered: dropped
            other.ended_at = other.ended_at or now
    pause = Pause(
        patient_id=patient.id,
        mode=mode,
        note=note,
        first_day=first,
        last_day=last_day,
        started_at=now,
        started_by=patient.id,
    )
    session.add(pause)
    session.flush()
    return pause


def end_pause(session: Session, patient: User, pause_id: uuid.UUID, now: dt.datetime) -> Pause:
    """The patient says it is over: from today everything is due again (the pause keeps its
    days up to yesterday; one not begun yet is dropped). Ending an ended pause changes
    nothing. Flushes."""
    _lock(session, patient)
    pause = session.get(Pause, pause_id)
    if pause is None or pause.patient_id != patient.id:
        raise NotFound()
    today = local_date(now, patient.timezone)
    yesterday = today - dt.timedelta(days=1)
    if pause.last_day is not None and pause.last_day <= yesterday:
        return pause  # over already
    pause.last_day = max(yesterday, pause.first_day - dt.timedelta(days=1))
    pause.ended_at = now
    session.flush()
    return pause


@export_section
def _export_pauses(session: Session, user: User) -> tuple[str, Any]:
    return "pauses", [
        {
            "mode": p.mode,
            "note": p.note,
            "first_day": p.first_day.isoformat(),
            "last_day": p.last_day.isoformat() if p.last_day else None,
            "started_at": p.started_at.isoformat(),
            "ended_at": p.ended_at.isoformat() if p.ended_at else None,
        }
        for p in reversed(pauses_of(session, user.id))
    ]
