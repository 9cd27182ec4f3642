"""Week arithmetic the weekly check-in, questionnaires and their reminders share, pure (no
session, no clock), so the dispatcher can decide those reminders without the domain modules:
a week's plan against its logs, and the due dates of something asked every few weeks."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from hep.adherence import DayLog, Subject, day_fraction

ASK_AGAIN_AFTER = dt.timedelta(days=3)  # a measure still open on this day is asked once more


@dataclass(frozen=True)
class WeekFigures:
    """The plan of the 7 local days ending on `week_end` and what the logs hold of it.
    Sessions: program sessions prescribed (by the version in force each day) and done (a
    partial one counts half, as adherence counts it). Habits: habit-days due and met (a
    weekly habit counts its target and the days done, up to it)."""

    week_end: dt.date
    sessions_planned: int
    sessions_logged: float
    habits_planned: int
    habits_met: int

    @property
    def planned(self) -> bool:
        return bool(self.sessions_planned or self.habits_planned)


def week_days(week_end: dt.date) -> list[dt.date]:
    return [week_end - dt.timedelta(days=back) for back in range(6, -1, -1)]


def figures_of(
    subjects: Sequence[Subject], logs: dict[tuple[uuid.UUID, dt.date], DayLog], week_end: dt.date
) -> WeekFigures:
    """The week's figures from what `load_subjects` and `load_logs` read: pure."""
    days = week_days(week_end)
    planned = habits_planned = habits_met = 0
    logged = 0.0
    for subject in subjects:
        if subject.per_week:
            active = [d for d in days if d >= subject.start]
            if not active:
                continue
            habits_planned += subject.per_week
            met = sum(1 for d in active if (log := logs.get((subject.id, d))) and log.done >= 1)
            habits_met += min(met, subject.per_week)
            continue
        for day in days:
            dose = subject.dose_on(day)
            if not dose:
                continue
            log = logs.get((subject.id, day))
            if subject.kind == "item":
                planned += dose
                logged += min(float(dose), log.done) if log else 0.0
            else:
                habits_planned += 1
                habits_met += 1 if day_fraction(subject, log, 1) >= 1 else 0
    return WeekFigures(week_end, planned, logged, habits_planned, habits_met)


def slot_on(first_due: dt.date, every_weeks: int, day: dt.date) -> dt.date | None:
    """The due date in force on `day`: the last one on or before it (None before the first)."""
    if day < first_due:
        return None
    step = 7 * every_weeks
    return first_due + dt.timedelta(days=(day - first_due).days // step * step)
