"""Demo data for trying hep locally: a therapist running a clinic and a caseload in different
states (on track, not logging, pain rising, new), so the list's attention order can be seen.
Every demo account shares one password, printed when made and replaced by `hep demo --show`:
hep keeps only its hash."""

from __future__ import annotations

import datetime as dt
import random
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from hep.accounts import create_user
from hep.care_team import active_link, join_team
from hep.checkins import put_check_in, put_pain
from hep.clinics import clinics_of, found_clinic
from hep.habits import add_starter
from hep.models import Clinic, Exercise, Role, User
from hep.passwords import Hasher
from hep.programs import prescribe, programs_of, view
from hep.reminders.rules import create_reminder
from hep.timezones import local_date

DEMO_CLINIC = "Demo Clinic"
DEMO_DOMAIN = "@demo.hep"
THERAPIST_EMAIL = "therapist@demo.hep"
PATIENT_EMAIL = "patient@demo.hep"


@dataclass(frozen=True)
class CaseloadPatient:
    """One more demo patient, and the state their data puts them in."""

    email: str
    name: str
    state: str


# besides Pat Demo (on track): who the list shows first, and why
CASELOAD = (
    CaseloadPatient("rising@demo.hep", "Raj Rising", "pain rising"),
    CaseloadPatient("quiet@demo.hep", "Nora Quiet", "not logging"),
    CaseloadPatient("new@demo.hep", "Nina New", "new"),
    CaseloadPatient("steady@demo.hep", "Otto Steady", "on track"),
)


@dataclass(frozen=True)
class DemoAccounts:
    therapist: User
    patient: User
    password: str
    caseload: tuple[tuple[User, str], ...] = ()


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
    caseload = tuple(
        (_caseload_patient(session, therapist, clinic, who, password, hasher, now), who.state)
        for who in CASELOAD
    )
    session.flush()
    return DemoAccounts(therapist, patient, password, caseload)


def show_demo(session: Session, *, hasher: Hasher) -> tuple[str, list[User]]:
    """The demo accounts with a new shared password (the old one is not kept anywhere):
    (password, accounts by email). No accounts: nothing changes."""
    accounts = list(
        session.scalars(select(User).where(User.email.endswith(DEMO_DOMAIN)).order_by(User.email))
    )
    password = "demo-" + secrets.token_urlsafe(9)
    hashed = hasher.hash(password)
    for user in accounts:
        user.password_hash = hashed
        user.is_active = True
    session.flush()
    return password, accounts


def _caseload_patient(
    session: Session,
    therapist: User,
    clinic: Clinic,
    who: CaseloadPatient,
    password: str,
    hasher: Hasher,
    now: dt.datetime,
) -> User:
    """A demo patient whose two weeks put them in `who.state`; made once, refreshed after."""
    patient = _ensure_user(
        session,
        email=who.email,
        name=who.name,
        role=Role.PATIENT,
        password=password,
        hasher=hasher,
        now=now if who.state == "new" else now - dt.timedelta(days=15),
    )
    session.flush()
    if active_link(session, therapist.id, patient.id) is not None:
        return patient
    join_team(session, patient, therapist, clinic.id, by=therapist, now=now)
    today = local_date(now, patient.timezone)
    started = today if who.state == "new" else today - dt.timedelta(days=14)
    slugs = ["chin-tucks", "doorway-pec-stretch"]
    exercises = list(session.scalars(select(Exercise).where(Exercise.slug.in_(slugs))))
    if not exercises:
        return patient
    program = prescribe(
        session,
        therapist,
        patient.id,
        {
            "title": "Neck and chest",
            "start_date": started,
            "items": [{"exercise_id": e.id, "times_per_day": 1} for e in exercises],
        },
        now - (today - started),
    )
    keys = [item.item_key for item, _ in view(session, program).items]
    rng = random.Random(who.email)
    zone = ZoneInfo(patient.timezone)
    for back in range(14, -1, -1):
        day = today - dt.timedelta(days=back)
        if who.state == "new" or (who.state == "not logging" and back < 6):
            continue  # nothing logged: new, or gone quiet for the last days
        # logged that evening, as the phone would have
        evening = dt.datetime.combine(day, dt.time(19), zone).astimezone(dt.UTC)
        logged_at = min(evening, now)
        pain = (2 if back >= 7 else 5) if who.state == "pain rising" else rng.randint(1, 2)
        for key in keys:
            if rng.random() < 0.9:
                body = {"item_key": key, "local_date": day, "state": "done", "pain": pain}
                put_check_in(session, patient, uuid.uuid4(), body, now=logged_at, window_days=1)
        put_pain(session, patient, day, {"score": pain}, now=logged_at, window_days=1)
    return patient


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
            "items": [{"exercise_id": e.id, "times_per_day": 1} for e in exercises],
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
                        "pain": 2,
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
