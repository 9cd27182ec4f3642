"""Pauses of the whole account as the due rule sees them: periods of local days in a mode,
and what each mode leaves due (`keeps`), said here once. `Subject.dose_on` in hep.adherence
applies it, so Today, the reminder dispatcher, adherence percentages, strength and streaks
all agree. Pure but for one query; the dispatcher imports it (hep.pauses does the rest)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from hep.models import Pause

WORDS = {
    "flare_up": "Flare-up",
    "unwell": "Unwell",
    "away": "Away",
    "busy": "Busy week",
}
"""Each mode as the app names it."""

NOTHING_DUE = ("unwell", "away")
"""Modes in which nothing is due (no reminders either); the others keep a subset of the
exercises (flare_up: those kept during a flare-up; busy: the minimum dose) and every habit."""


@dataclass(frozen=True)
class Period:
    """A pause as the due rule sees it: local days first..last (last None: open-ended)."""

    mode: str
    first: dt.date
    last: dt.date | None
    started_at: dt.datetime

    def covers(self, day: dt.date) -> bool:
        return self.first <= day and (self.last is None or day <= self.last)

    def before(self, day: dt.date) -> Period | None:
        """This period cut to the days before `day` (None if it has none): all a walk of the
        scores up to `day` can see of it."""
        if self.first >= day:
            return None
        last = day - dt.timedelta(days=1)
        if self.last is not None and self.last < last:
            last = self.last
        return Period(self.mode, self.first, last, self.started_at)


def mode_on(periods: Sequence[Period], day: dt.date) -> str | None:
    """The pause mode in force on a local day, if any (periods never overlap)."""
    for period in periods:
        if period.covers(day):
            return period.mode
    return None


def keeps(mode: str, *, habit: bool, flare: bool, minimum: bool) -> bool:
    """Whether something otherwise due stays due on a day paused in `mode`: the rule itself.
    Habits (water, sleep, breaks) stay due in a flare-up and a busy week."""
    if mode in NOTHING_DUE:
        return False
    if habit:
        return True
    return flare if mode == "flare_up" else minimum


_PERIODS = (
    select(Pause.patient_id, Pause.mode, Pause.first_day, Pause.last_day, Pause.started_at)
    .where(Pause.patient_id.in_(bindparam("patients", expanding=True)))
    .order_by(Pause.patient_id, Pause.first_day)
)


def load_periods(
    session: Session, patient_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Period]]:
    """Every pause of these patients that covers a day: one query."""
    found: dict[uuid.UUID, list[Period]] = defaultdict(list)
    if not patient_ids:
        return found
    for patient_id, mode, first, last, started in session.execute(
        _PERIODS, {"patients": list(patient_ids)}
    ):
        if last is None or last >= first:
            found[patient_id].append(Period(mode, first, last, started))
    return found


def periods_of(pauses: Sequence[Pause]) -> list[Period]:
    """The periods of these pause rows that cover a day, in order."""
    return sorted(
        (
            Period(p.mode, p.first_day, p.last_day, p.started_at)
            for p in pauses
            if p.last_day is None or p.last_day >= p.first_day
        ),
        key=lambda period: period.first,
    )


def pauses_of(session: Session, patient_id: uuid.UUID) -> Sequence[Pause]:
    """A patient's pauses, the latest first."""
    return session.scalars(
        select(Pause)
        .where(Pause.patient_id == patient_id)
        .order_by(Pause.first_day.desc(), Pause.started_at.desc())
    ).all()


def current_of(pauses: Sequence[Pause], today: dt.date) -> Pause | None:
    """The pause covering today, else the next one planned."""
    live = [
        p
        for p in pauses
        if (p.last_day is None or p.last_day >= today)
        and (p.last_day is None or p.last_day >= p.first_day)
    ]
    covering = [p for p in live if p.first_day <= today]
    if covering:
        return covering[0]
    return min(live, key=lambda p: p.first_day, default=None)


def pause_view(pause: Pause, today: dt.date) -> dict[str, Any]:
    return {
        "id": pause.id,
        "mode": pause.mode,
        "note": pause.note,
        "first_day": pause.first_day,
        "last_day": pause.last_day,
        "started_at": pause.started_at,
        "ended_at": pause.ended_at,
        "active": pause.first_day <= today and (pause.last_day is None or today <= pause.last_day),
        "dropped": pause.last_day is not None and pause.last_day < pause.first_day,
    }
