"""Demo data for trying hep locally: a therapist and a patient with known sign-ins."""

from __future__ import annotations

import datetime as dt
import random
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from hep.accounts import create_user
from hep.care_team import active_link, join_team
from hep.checkins import put_check_in
from hep.clinics import clinics_of, found_clinic
from hep.habits import add_starter
from hep.models import Clinic, Exercise, Role, User
from hep.passwords import Hasher
from hep.programs import prescribe, programs_of, view
from hep.reminders.rules import create_reminder
from hep.timezones import local_date

DEMO_CLINIC = "Demo Clinic"
THERAPIST_EMAIL = "therapist@demo.hep"
PATIENT_EMAIL = "patient@demo.hep"


@dataclass(frozen=True)
class DemoAccounts:
    therapist: User
    patient: User
    password: str


def _ensure_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: Role,
    password: str,
    hasher: Hasher,
    now: dt.datetime,
) -> User:
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        return create_user(
            session,
            email=email,
            name=name,
            role=role,
            timezone="Europe/Berlin",
            password=password,
            hasher=hasher,
            now=now,
        )
    # re-running the demo hands out a fresh password instead of duplicating accounts
    user.password_hash = hasher.hash(password)
    user.is_active = True
    return user


def load_demo(session: Session, *, hasher: Hasher, now: dt.datetime) -> DemoAccounts:
    """Create (or refresh) the demo therapist and patient; idempotent. Flushes, never commits."""
    password = "demo-" + secrets.token_urlsafe(9)
    therapist = _ensure_user(
        session,
        email=THERAPIST_EMAIL,
        name="Dana Demo",
        role=Role.THERAPIST,
        password=password,
        hasher=hasher,
        now=now,
    )
    patient = _ensure_user(
        session,
        email=PATIENT_EMAIL,
        name="Pat Demo",
        role=Role.PATIENT,
        password=password,
        hasher=hasher,
        now=now,
    )
    session.flush()
    clinic = _demo_clinic(session, therapist, now)
    if active_link(session, therapist.id, patient.id) is None:
        join_team(session, patient, therapist, clinic.id, by=therapist, now=now)
    if not programs_of(session, patient.id):
        _demo_program_and_habits(session, therapist, patient, now)
    for extend in DEMO_EXTENSIONS:
        extend(session, therapist, patient, now)
    session.flush()
    return DemoAccounts(therapist, patient, password)


def _demo_clinic(session: Session, therapist: User, now: dt.datetime) -> Clinic:
    """The demo therapist runs a clinic of their own ("Demo Clinic"), as its admin."""
    for clinic, _ in clinics_of(session, therapist):
        if clinic.name == DEMO_CLINIC:
            return clinic
    return found_clinic(session, DEMO_CLINIC, now, founder=therapist, actor=therapist)


def _demo_program_and_habits(
    session: Session, therapist: User, patient: User, now: dt.datetime
) -> None:
    """A short neck-and-upper-back program, three starter habits and a week of history."""
    slugs = ["upper-trapezius-ball-release", "chin-tucks", "doorway-pec-stretch"]
    by_slug = {e.slug: e for e in session.scalars(select(Exercise).where(Exercise.slug.in_(slugs)))}
    exercises = [by_slug[s] for s in slugs if s in by_slug] or list(
        session.scalars(select(Exercise).where(Exercise.built_in).limit(3))
    )
    if not exercises:
        return
    today = local_date(now, patient.timezone)
    program = prescribe(
        session,
        therapist,
        patient.id,
        {
            "title": "Desk neck and shoulders",
            "start_date": today - dt.timedelta(days=10),
            "notes": "Little and often. Ease off if pain goes above 5 out of 10.",
            "items": [{"exercise_id": e.id} for e in exercises],
        },
        now - dt.timedelta(days=10),
    )
    keys = [item.item_key for item, _ in view(session, program).items]
    weekdays = [1, 2, 3, 4, 5]
    create_reminder(
        session,
        patient,
        {
            "label": "Morning routine",
            "target": {"kind": "program", "program_id": program.id},
            "rule": {
                "type": "times",
                "times": [dt.time(8, 0), dt.time(18, 30)],
                "weekdays": weekdays,
            },
        },
        now,
    )
    typical = {"water": 6, "sleep": 7, "movement-breaks": 4}
    habits = [
        (add_starter(session, patient, slug, now - dt.timedelta(days=10)), amount)
        for slug, amount in typical.items()
    ]
    create_reminder(
        session,
        patient,
        {
            "label": "Movement break",
            "target": {"kind": "habit", "habit_id": habits[2][0].id},
            "rule": {
                "type": "interval",
                "every_minutes": 50,
                "start": dt.time(9),
                "end": dt.time(17),
                "weekdays": weekdays,
            },
        },
        now,
    )
    rng = random.Random(7)
    for days_ago in range(7, 0, -1):
        day = today - dt.timedelta(days=days_ago)
        for key in keys:
            if rng.random() < 0.75:
                put_check_in(
                    session,
                    patient,
                    uuid.uuid4(),
                    {
                        "item_key": key,
                        "local_date": day,
                        "state": "done",
                        "pain": rng.randint(2, 5),
                    },
                    now=now,
                    window_days=10,
                )
        for habit, amount in habits:
            value = float(rng.randint(amount - 2, amount + 2))
            put_check_in(
                session,
                patient,
                uuid.uuid4(),
                {"habit_id": habit.id, "local_date": day, "state": "done", "value": value},
                now=now,
                window_days=10,
            )


# later capabilities (reminders) add their demo rows here
DEMO_EXTENSIONS: list[Callable[[Session, User, User, dt.datetime], None]] = []
