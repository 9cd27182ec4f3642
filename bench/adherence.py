"""Therapist list, adherence and today over 500 patients x 1 year of check-ins, on SQLite and
PostgreSQL, beside a trivial endpoint measured in the same run; with SQL query counts. Then a
group practice: 2,000 patients in a clinic of 20 therapists (some patients with two), the
therapist's list and the clinic admin's caseload, beside the same at 200 patients.

The list and adherence read snapshots (hep.snapshots): each is measured warm (nothing changed
since the last read), after one patient's write (that patient recomputed) and, for the list,
on a new day (every patient recomputed at once). A check-in refreshes that patient's list
figures as it commits, so its own time is printed too."""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import psycopg
from flask import Flask
from sqlalchemy import event, insert, select, update

from hep import create_app
from hep.accounts import SessionLifetimes, start_session
from hep.clock import utcnow
from hep.db import db
from hep.migrate import upgrade
from hep.models import (
    CareLink,
    CheckIn,
    Clinic,
    ClinicMember,
    ClinicRole,
    Exercise,
    Habit,
    Program,
    ProgramItem,
    ProgramVersion,
    Role,
    User,
)

PG_ADMIN = os.environ.get(
    "HEP_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
LIFETIMES = SessionLifetimes(dt.timedelta(days=1), dt.timedelta(days=1))


@dataclass(frozen=True)
class Population:
    therapist_token: str  # the first therapist, who is also the clinic's admin
    patient_token: str
    patient_id: uuid.UUID
    clinic_id: uuid.UUID


def populate(
    app: Flask, patients: int, days: int, therapists: int = 1, second_every: int = 0
) -> Population:
    """Bulk-insert a clinic of `therapists` (the first its admin) sharing the patients round
    the table (every `second_every`-th one with a second therapist), each patient with a
    3-item program, 2 habits and `days` of check-ins (about 70% done)."""
    rng = random.Random(1)
    now = utcnow()
    today = now.date()
    start = today - dt.timedelta(days=days)
    with app.app_context():
        session = db.session
        exercises = session.scalars(select(Exercise.id).limit(3)).all()
        staff = [
            User(
                email=f"t{n}@bench.example",
                name=f"T{n}",
                role=Role.THERAPIST,
                timezone="UTC",
                password_hash=None,
                is_active=True,
                created_at=now,
            )
            for n in range(therapists)
        ]
        clinic = Clinic(name="Bench Clinic", created_at=now)
        session.add_all([*staff, clinic])
        session.flush()
        therapist = staff[0]
        session.add_all(
            ClinicMember(
                clinic_id=clinic.id,
                user_id=t.id,
                role=ClinicRole.ADMIN if t is therapist else ClinicRole.THERAPIST,
                joined_at=now,
            )
            for t in staff
        )
        users, links, programs, versions, items, habits, checkins = [], [], [], [], [], [], []
        for n in range(patients):
            pid, prog, ver = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
            users.append(
                dict(
                    id=pid,
                    email=f"p{n}@bench.example",
                    name=f"Patient {n:03}",
                    role=Role.PATIENT,
                    timezone="UTC",
                    password_hash=None,
                    is_active=True,
                    created_at=now - dt.timedelta(days=days),
                )
            )
            carers = [staff[n % therapists]]
            if second_every and n % second_every == 0 and therapists > 1:
                carers.append(staff[(n + 1) % therapists])
            links.extend(
                dict(
                    id=uuid.uuid4(),
                    therapist_id=carer.id,
                    patient_id=pid,
                    clinic_id=clinic.id,
                    is_lead=lead == 0,
                    created_at=now,
                )
                for lead, carer in enumerate(carers)
            )
            programs.append(
                dict(
                    id=prog,
                    patient_id=pid,
                    therapist_id=carers[0].id,
                    current_version=1,
                    created_at=now - dt.timedelta(days=days),
                )
            )
            versions.append(
                dict(
                    id=ver,
                    program_id=prog,
                    version=1,
                    title="Bench",
                    notes="",
                    start_date=start,
                    end_date=None,
                    change_note="",
                    created_at=now - dt.timedelta(days=days),
                    created_by=carers[0].id,
                )
            )
            keys = []
            for pos, ex in enumerate(exercises):
                key = uuid.uuid4()
                keys.append(key)
                items.append(
                    dict(
                        id=uuid.uuid4(),
                        version_id=ver,
                        item_key=key,
                        exercise_id=ex,
                        position=pos,
                        sets=2,
                        reps=10,
                        hold_seconds=None,
                        duration_seconds=None,
                        rest_seconds=None,
                        side="both",
                        load_note="",
                        times_per_day=1,
                        weekdays=0b1111111 if pos else 0b0010101,
                        notes="",
                    )
                )
            habit_ids = [uuid.uuid4(), uuid.uuid4()]
            habits.append(
                dict(
                    id=habit_ids[0],
                    owner_id=pid,
                    kind="hydration",
                    name="Water",
                    target=8.0,
                    direction="at_least",
                    unit="glasses",
                    weekdays=0b1111111,
                    per_week=None,
                    start_date=start,
                    created_at=now,
                )
            )
            habits.append(
                dict(
                    id=habit_ids[1],
                    owner_id=pid,
                    kind="movement",
                    name="Walk",
                    target=None,
                    direction=None,
                    unit="",
                    weekdays=0b1111111,
                    per_week=4,
                    start_date=start,
                    created_at=now,
                )
            )
            for d in range(days):
                day = start + dt.timedelta(days=d)
                subjects = [(k, None) for k in keys] + [(None, h) for h in habit_ids]
                for key, habit in subjects:
                    if rng.random() < 0.7:
                        checkins.append(
                            dict(
                                id=uuid.uuid4(),
                                owner_id=pid,
                                client_id=uuid.uuid4(),
                                item_key=key,
                                habit_id=habit,
                                local_date=day,
                                state="done",
                                value=float(rng.randint(4, 10)) if habit == habit_ids[0] else None,
                                skip_reason=None,
                                pain=rng.choice([None, 2, 3, 4]),
                                difficulty=None,
                                note="",
                                source="app",
                                created_at=now,
                                updated_at=now,
                                deleted_at=None,
                            )
                        )
        for model, rows in (
            (User, users),
            (CareLink, links),
            (Program, programs),
            (ProgramVersion, versions),
            (ProgramItem, items),
            (Habit, habits),
        ):
            session.execute(insert(model), rows)
        for i in range(0, len(checkins), 20_000):
            session.execute(insert(CheckIn), checkins[i : i + 20_000])
        session.commit()
        patient = session.get_one(User, users[0]["id"])
        _, t_token = start_session(session, therapist, kind="token", lifetimes=LIFETIMES, now=now)
        _, p_token = start_session(session, patient, kind="token", lifetimes=LIFETIMES, now=now)
        session.commit()
        # PostgreSQL: what autovacuum would do after the bulk load, done now rather than in
        # the middle of the timings
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                    "VACUUM ANALYZE"
                )
        print(
            f"  data: {patients} patients of {therapists} therapist(s), {days} days, "
            f"{len(checkins):,} check-ins"
        )
        return Population(t_token, p_token, patient.id, clinic.id)


def make_stale(app: Flask, patient_id: uuid.UUID | None = None) -> None:
    """What a write does to the figures it moves (one patient), or what a new day does (all)."""
    with app.app_context():
        bump = update(User).values(stats_version=User.stats_version + 1)
        if patient_id is not None:
            bump = bump.where(User.id == patient_id)
        db.session.execute(bump)
        db.session.commit()


def check_in(app: Flask, token: str, patient_id: uuid.UUID) -> Callable[[], None]:
    """A real write through the API: the patient ticks their first exercise for today."""
    with app.app_context():
        key = db.session.scalar(
            select(ProgramItem.item_key)
            .join(ProgramVersion, ProgramVersion.id == ProgramItem.version_id)
            .join(Program, Program.id == ProgramVersion.program_id)
            .where(Program.patient_id == patient_id)
            .order_by(ProgramItem.position)
            .limit(1)
        )
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    body = {"item_key": str(key), "local_date": utcnow().date().isoformat(), "state": "done"}

    def put() -> None:
        response = client.put(f"/api/check-ins/{uuid.uuid4()}", json=body, headers=headers)
        assert response.status_code == 201, response.get_data(as_text=True)

    return put


def timed(
    app: Flask,
    request: Callable[[], object],
    repeat: int,
    before: Callable[[], None] | None = None,
) -> tuple[float, int]:
    """Median seconds per request and SQL statements per request; `before` runs untimed
    before each request."""
    statements = 0

    def count(*_: object) -> None:
        nonlocal statements
        statements += 1

    with app.app_context():
        engine = db.engine
    request()  # warm-up
    if before:
        before()
    event.listen(engine, "before_cursor_execute", count)
    request()
    event.remove(engine, "before_cursor_execute", count)
    samples = []
    for _ in range(repeat):
        if before:
            before()
        t0 = time.perf_counter()
        request()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples), statements


def getter(app: Flask, path: str, token: str) -> Callable[[], None]:
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def get() -> None:
        response = client.get(path, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)

    return get


def bench_app(url: str, folder: Path) -> Flask:
    upgrade(url)
    config = {"ENV": "testing", "DATABASE_URL": url, "INSTANCE_PATH": str(folder)}
    return create_app(config | {"LOG_LEVEL": "WARNING"})


def run(label: str, url: str, folder: Path, patients: int, days: int, repeat: int) -> None:
    app = bench_app(url, folder)
    print(f"\n== {label}")
    data = populate(app, patients, days)
    t_token, p_token, patient_id = data.therapist_token, data.patient_token, data.patient_id
    base, base_q = timed(app, getter(app, "/api/me", t_token), repeat)
    listing = getter(app, "/api/patients?page_size=100", t_token)
    searched = getter(app, "/api/patients?page_size=100&q=01", t_token)
    filtered = getter(app, "/api/patients?page_size=100&reason=low%20adherence", t_token)
    therapist_view = getter(app, f"/api/patients/{patient_id}/adherence", t_token)
    patient_view = getter(app, "/api/adherence", p_token)
    write = check_in(app, p_token, patient_id)
    stale_one = partial(make_stale, app, patient_id)
    stale_all = partial(make_stale, app)
    cases: list[tuple[str, Callable[[], object], Callable[[], None] | None]] = [
        ("therapist patient list (100 per page)", listing, None),
        ("  the same after a patient's check-in", listing, write),
        ("  the same after a write left one stale", listing, stale_one),
        ("  the same on a new day (all recomputed)", listing, stale_all),
        ("  searched (a part of names and emails)", searched, None),
        ("  filtered (an attention reason)", filtered, None),
        ("one patient's adherence (therapist)", therapist_view, None),
        ("  the same after that patient's check-in", therapist_view, write),
        ("patient today", getter(app, "/api/today", p_token), None),
        ("patient adherence", patient_view, None),
        ("  the same after a check-in", patient_view, write),
        ("patient check-in (PUT; refreshes list figures)", write, None),
    ]
    print(f"  {'endpoint':48} {'median ms':>10} {'x trivial':>10} {'queries':>8}")
    print(f"  {'trivial: GET /api/me':48} {base * 1000:10.2f} {1:10.1f} {base_q:8}")
    for name, request, before in cases:
        seconds, queries = timed(app, request, repeat, before)
        print(f"  {name:48} {seconds * 1000:10.2f} {seconds / base:10.1f} {queries:8}")


CLINIC_THERAPISTS = 20


def run_clinic(
    label: str, sized: list[tuple[int, str]], folder: Path, days: int, repeat: int
) -> None:
    """The lists of a clinic of CLINIC_THERAPISTS at each size (patients, database URL); a
    tenth of the patients have a second therapist. Query counts must not depend on size."""
    print(f"\n== {label}: clinic of {CLINIC_THERAPISTS} therapists, {days} days")
    rows: dict[str, list[str]] = {}
    for patients, url in sized:
        app = bench_app(url, folder)
        data = populate(app, patients, days, CLINIC_THERAPISTS, second_every=10)
        admin = data.therapist_token  # the clinic's admin, who also treats 1/20 of it
        base, base_q = timed(app, getter(app, "/api/me", admin), repeat)
        caseload = getter(app, f"/api/clinics/{data.clinic_id}/caseload?page_size=100", admin)
        write = check_in(app, data.patient_token, data.patient_id)
        cases: list[tuple[str, Callable[[], object], Callable[[], None] | None]] = [
            (
                "therapist patient list (100 per page)",
                getter(app, "/api/patients?page_size=100", admin),
                None,
            ),
            ("clinic caseload (100 per page)", caseload, None),
            ("  the same after a patient's check-in", caseload, write),
            ("  the same on a new day (all recomputed)", caseload, partial(make_stale, app)),
            (
                "  the discharged list",
                getter(app, f"/api/clinics/{data.clinic_id}/caseload?discharged=true", admin),
                None,
            ),
        ]
        rows.setdefault("trivial: GET /api/me", []).append(
            f"{base * 1000:9.2f} {1:6.1f} {base_q:4}"
        )
        for name, request, before in cases:
            seconds, queries = timed(app, request, repeat, before)
            rows.setdefault(name, []).append(
                f"{seconds * 1000:9.2f} {seconds / base:6.1f} {queries:4}"
            )
    head = "".join(f" {f'{n:,} patients: ms, x, queries':>21}" for n, _ in sized)
    print(f"  {'endpoint':44}{head}")
    for name, figures in rows.items():
        print(f"  {name:44}" + "".join(f" {f:>21}" for f in figures))


def with_postgres(fn: Callable[[str], None]) -> None:
    conninfo = PG_ADMIN.replace("postgresql+psycopg://", "postgresql://")
    try:
        admin = psycopg.connect(conninfo, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        print(f"\n== PostgreSQL: skipped, cannot connect ({exc})")
        return
    name = f"hep_bench_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        fn(f"{PG_ADMIN.rpartition('/')[0]}/{name}")
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def main(quick: bool = False) -> None:
    patients, repeat = (50, 5) if quick else (500, 15)
    print("adherence benchmark: the same requests at two history lengths; query counts must match")
    for days in (30, 90) if quick else (30, 365):
        with tempfile.TemporaryDirectory() as folder:
            run(
                f"SQLite, {days} days",
                f"sqlite:///{folder}/bench.sqlite3",
                Path(folder),
                patients,
                days,
                repeat,
            )
            with_postgres(
                lambda url, f=folder, d=days: run(
                    f"PostgreSQL, {d} days", url, Path(f), patients, d, repeat
                )
            )
    sizes, days = ((50, 200), 14) if quick else ((200, 2000), 30)
    with tempfile.TemporaryDirectory() as folder:
        sqlite = [(n, f"sqlite:///{folder}/clinic{n}.sqlite3") for n in sizes]
        run_clinic("SQLite", sqlite, Path(folder), days, repeat)
        with_postgres(
            lambda small, f=folder: with_postgres(
                lambda big: run_clinic(
                    "PostgreSQL", list(zip(sizes, (small, big), strict=True)), Path(f), days, repeat
                )
            )
        )
