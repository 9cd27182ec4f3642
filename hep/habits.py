"""Habits: patients create their own, therapists suggest them, and a starter set is one tap away."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hep.care import export_section, patient_of
from hep.db import lock_names
from hep.errors import Conflict, Forbidden, Invalid, NotFound
from hep.languages import DEFAULT, LANGUAGES
from hep.models import Habit, User
from hep.translations import _, say

MAX_HABITS = 50
PATIENTS_OWN = _("The patient chose this habit: only they change it.")

# the lifestyle habits that feed muscle tension, as a therapist would suggest them; names and
# units are said in the reader's language (`starter`)
STARTERS: dict[str, dict[str, Any]] = {
    "movement-breaks": {
        "kind": "movement",
        "name": _("Movement break every hour at the desk"),
        "target": 6,
        "direction": "at_least",
        "unit": _("breaks"),
    },
    "water": {
        "kind": "hydration",
        "name": _("Drink water"),
        "target": 8,
        "direction": "at_least",
        "unit": _("glasses"),
    },
    "sleep": {
        "kind": "sleep",
        "name": _("Sleep"),
        "target": 7,
        "direction": "at_least",
        "unit": _("hours"),
    },
    "downtime": {"kind": "stress", "name": _("Ten minutes of calm downtime (breathing, a walk)")},
    "posture-checks": {
        "kind": "posture",
        "name": _("Posture check (shoulders down, chin tucked)"),
        "target": 3,
        "direction": "at_least",
        "unit": _("checks"),
    },
    "long-sitting": {
        "kind": "movement",
        "name": _("Long sitting bouts (over 60 minutes)"),
        "target": 3,
        "direction": "at_most",
        "unit": _("bouts"),
    },
    "break-repetition": {
        "kind": "custom",
        "name": _("Break up repetitive tasks (switch or pause)"),
    },
    "walk": {"kind": "movement", "name": _("A 20-minute walk"), "per_week": 4},
}

FIELDS = ("kind", "name", "target", "direction", "unit", "weekdays", "per_week", "start_date")

ANY = "*"
# The most one day can hold of a habit, by its kind and unit (units as written, any case): a
# target or a day's total past it is a slip of the finger, not a day. The first match of
# (kind, unit), (any kind, unit), (kind, any unit), (any, any) holds.
AMOUNT_MAX: dict[tuple[str, str], float] = {
    (ANY, "hours"): 24,
    (ANY, "hour"): 24,
    (ANY, "h"): 24,
    (ANY, "hrs"): 24,
    (ANY, "minutes"): 1440,
    (ANY, "minute"): 1440,
    (ANY, "min"): 1440,
    (ANY, "mins"): 1440,
    (ANY, "glasses"): 40,
    (ANY, "cups"): 40,
    (ANY, "bottles"): 20,
    (ANY, "ml"): 10_000,
    (ANY, "litres"): 10,
    (ANY, "liters"): 10,
    (ANY, "l"): 10,
    (ANY, "steps"): 100_000,
    (ANY, "km"): 100,
    (ANY, "miles"): 60,
    (ANY, "breaks"): 100,
    (ANY, "checks"): 100,
    (ANY, "bouts"): 48,
    (ANY, "times"): 100,
    ("sleep", ANY): 24,
    ("hydration", ANY): 40,
    ("movement", ANY): 1000,
    ("posture", ANY): 100,
    ("stress", ANY): 100,
    (ANY, ANY): 1000,
}
AMOUNT_WORDS = {
    ("target", True): _("Target: at most {max} {unit} a day."),
    ("target", False): _("Target: at most {max} a day."),
    ("value", True): _("Amount: at most {max} {unit} in a day."),
    ("value", False): _("Amount: at most {max} in a day."),
}


def amount_max(kind: str, unit: str) -> float:
    """The most a day can hold of a habit of this kind and unit."""
    unit = unit.strip().lower()
    unit = _starter_units().get(unit, unit)
    for key in ((kind, unit), (ANY, unit), (kind, ANY), (ANY, ANY)):
        if key in AMOUNT_MAX:
            return AMOUNT_MAX[key]
    raise AssertionError("the table ends with (any, any)")


def amount_bounds() -> list[dict[str, Any]]:
    """The table, for clients: each row's kind and unit ("*": any) and its most."""
    return [{"kind": k, "unit": u, "max": most} for (k, u), most in AMOUNT_MAX.items()]


def check_amount(habit: Habit | dict[str, Any], amount: float | None, field: str) -> None:
    """Refuse an amount (a target, or a day's total) past what a day of the habit holds."""
    kind, unit = (
        (habit["kind"], habit.get("unit")) if isinstance(habit, dict) else (habit.kind, habit.unit)
    )
    unit = (unit or "").strip()
    most = amount_max(kind, unit)
    if amount is not None and amount > most:
        shown = int(most) if float(most).is_integer() else most  # written the reader's way
        raise Invalid.field(field, AMOUNT_WORDS[field, bool(unit)].format(max=shown, unit=unit))


def _validate(data: dict[str, Any]) -> None:
    if (data.get("target") is None) != (data.get("direction") is None):
        raise Invalid.field(
            "target", _("Target: give both the amount and whether it is at least or at most.")
        )
    if data.get("weekdays") == 0:
        raise Invalid.field("weekdays", _("Days: pick at least one."))
    check_amount(data, data.get("target"), "target")


def create_habit(
    session: Session,
    owner: User,
    data: dict[str, Any],
    now: dt.datetime,
    *,
    suggested_by: User | None = None,
) -> Habit:
    _validate(data)
    lock_names(session, [f"habits:{owner.id}"])  # counted and added one at a time
    count = session.scalar(
        select(func.count())
        .select_from(Habit)
        .where(Habit.owner_id == owner.id, Habit.archived_at.is_(None))
    )
    if (count or 0) >= MAX_HABITS:
        raise Conflict(_("At most {max_habits} active habits.", max_habits=MAX_HABITS))
    values: dict[str, Any] = {"unit": "", "weekdays": 0b1111111}
    values.update({k: v for k, v in data.items() if k in FIELDS and v is not None})
    habit = Habit(
        owner_id=owner.id,
        suggested_by=suggested_by.id if suggested_by else None,
        created_at=now,
        **values,
    )
    session.add(habit)
    session.flush()
    return habit


def suggest_habit(
    session: Session, therapist: User, patient_id: uuid.UUID, data: dict[str, Any], now: dt.datetime
) -> Habit:
    patient = patient_of(session, therapist, patient_id)
    return create_habit(session, patient, data, now, suggested_by=therapist)


def starter(slug: str, language: str) -> dict[str, Any]:
    """A starter habit with its name and unit in `language`."""
    return {key: say(value, language) for key, value in STARTERS[slug].items()}


@functools.cache
def _starter_units() -> dict[str, str]:
    """The starters' units as every language writes them (lower case) -> in English, so an
    amount is bounded alike whatever language its habit was added in."""
    return {
        say(data["unit"], language).strip().lower(): say(data["unit"], DEFAULT)
        for data in STARTERS.values()
        if "unit" in data
        for language in LANGUAGES
    }


def add_starter(session: Session, owner: User, slug: str, now: dt.datetime) -> Habit:
    """The starter added to the owner's habits, named in their language."""
    if slug not in STARTERS:
        raise NotFound()
    return create_habit(session, owner, starter(slug, owner.language), now)


def habit_of(session: Session, owner: User, habit_id: uuid.UUID) -> Habit:
    """The owner's habit; a stopped (archived) one is gone from the API, its history stays."""
    habit = session.get(Habit, habit_id)
    if habit is None or habit.owner_id != owner.id or habit.archived_at is not None:
        raise NotFound()
    return habit


def update_habit(
    session: Session, owner: User, habit_id: uuid.UUID, changes: dict[str, Any]
) -> Habit:
    habit = habit_of(session, owner, habit_id)
    merged = {f: getattr(habit, f) for f in FIELDS} | changes
    _validate(merged)
    for key, value in changes.items():
        setattr(habit, key, value)
    session.flush()
    return habit


def suggested_habit(
    session: Session, therapist: User, patient_id: uuid.UUID, habit_id: uuid.UUID
) -> tuple[User, Habit]:
    """A habit suggested to the therapist's patient (by them or a colleague), which the care
    team may change or stop; one the patient chose is theirs alone (403)."""
    patient = patient_of(session, therapist, patient_id)
    habit = habit_of(session, patient, habit_id)
    if habit.suggested_by is None:
        raise Forbidden(PATIENTS_OWN)
    return patient, habit


def archive_habit(session: Session, owner: User, habit_id: uuid.UUID, now: dt.datetime) -> None:
    """Archive rather than delete: past check-ins keep their meaning."""
    habit = habit_of(session, owner, habit_id)
    habit.archived_at = now
    session.flush()


def habits_of(session: Session, owner_id: uuid.UUID) -> Sequence[Habit]:
    return session.scalars(
        select(Habit)
        .where(Habit.owner_id == owner_id, Habit.archived_at.is_(None))
        .order_by(Habit.created_at, Habit.id)
    ).all()


@export_section
def _export_habits(session: Session, user: User) -> tuple[str, Any]:
    rows = session.scalars(
        select(Habit).where(Habit.owner_id == user.id).order_by(Habit.created_at)
    )
    return "habits", [
        {
            "id": str(h.id),
            "kind": h.kind,
            "name": h.name,
            "target": h.target,
            "direction": h.direction,
            "unit": h.unit,
            "weekdays": h.weekdays,
            "per_week": h.per_week,
            "archived": h.archived_at is not None,
        }
        for h in rows
    ]
