"""today, adherence and the patient list issue a fixed number of SQL queries, whatever the data."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import delete, event, select

from hep import caseload
from hep.adherence import adherence, today_view
from hep.checkins import put_check_in
from hep.db import db
from hep.habits import add_starter
from hep.models import AdherenceSnapshot, Exercise, Role
from hep.programs import prescribe
from tests.conftest import Cast

NOW = dt.datetime(2026, 6, 15, 15, 0, tzinfo=dt.UTC)


@contextmanager
def counted() -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def make_patient(cast: Cast, therapist, items: int, days: int):
    patient = cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    exercises = db.session.scalars(select(Exercise).limit(items)).all()
    program = prescribe(
        db.session,
        therapist,
        patient.id,
        {
            "title": "P",
            "start_date": NOW.date() - dt.timedelta(days=days),
            "items": [{"exercise_id": e.id} for e in exercises],
        },
        NOW - dt.timedelta(days=days),
    )
    add_starter(db.session, patient, "water", NOW - dt.timedelta(days=days))
    from hep.programs import view

    keys = [i.item_key for i, _ in view(db.session, program).items]
    for d in range(min(days, 7)):
        for key in keys:
            put_check_in(
                db.session,
                patient,
                uuid.uuid4(),
                {"item_key": key, "local_date": NOW.date() - dt.timedelta(days=d), "state": "done"},
                now=NOW,
                window_days=30,
            )
    db.session.commit()
    return patient


def cold_list(therapist) -> int:
    """GET /api/patients with every snapshot gone: the whole list is recomputed in one batch."""
    db.session.execute(delete(AdherenceSnapshot))
    return queries_for(
        lambda: caseload.patient_list(db.session, therapist, NOW, offset=0, limit=50)
    )


def warm_list(therapist) -> int:
    """GET /api/patients again: every snapshot is fresh."""
    return queries_for(
        lambda: caseload.patient_list(db.session, therapist, NOW, offset=0, limit=50)
    )


def queries_for(fn) -> int:
    db.session.expire_all()
    with counted() as statements:
        fn()
    return len(statements)


def test_query_counts_do_not_grow_with_program_size_or_patients(cast: Cast):
    therapist = cast.user(Role.THERAPIST)
    small = make_patient(cast, therapist, items=1, days=3)
    small_counts = (
        queries_for(lambda: today_view(db.session, small, NOW.date())),
        queries_for(lambda: adherence(db.session, small, NOW.date())),
        cold_list(therapist),
        warm_list(therapist),
    )
    big = make_patient(cast, therapist, items=8, days=60)
    for _ in range(4):
        make_patient(cast, therapist, items=3, days=10)
    big_counts = (
        queries_for(lambda: today_view(db.session, big, NOW.date())),
        queries_for(lambda: adherence(db.session, big, NOW.date())),
        cold_list(therapist),
        warm_list(therapist),
    )
    assert big_counts == small_counts
    # cold: the page (finding stale snapshots), which are stale, their pauses, their data,
    # the entries and facts behind their attention reasons, the upsert, the page again
    assert max(big_counts) <= 13
    # warm: the therapist (expired by the test) and the page, which also says none is stale
    assert big_counts[3] == 2


def test_the_clinic_caseload_and_the_discharged_list_do_not_grow_with_the_clinic(cast: Cast):
    from hep.caseload import clinic_caseload, patient_list
    from hep.discharges import discharge

    admin = cast.user(Role.THERAPIST)
    ann, ben = cast.user(Role.THERAPIST), cast.user(Role.THERAPIST)
    clinic_id = cast.clinic(admin, ann, ben).id

    def counts() -> tuple[int, ...]:
        def caseload(discharged: bool = False):
            return lambda: clinic_caseload(
                db.session, clinic_id, NOW, offset=0, limit=50, discharged=discharged
            )

        db.session.execute(delete(AdherenceSnapshot))
        cold = queries_for(caseload())
        return (
            cold,
            queries_for(caseload()),
            queries_for(caseload(discharged=True)),
            queries_for(
                lambda: patient_list(db.session, ann, NOW, offset=0, limit=50, discharged=True)
            ),
        )

    make_patient(cast, ann, items=1, days=3)
    gone = make_patient(cast, ann, items=1, days=3)
    discharge(db.session, ann, gone.id, "", NOW)
    db.session.commit()
    small = counts()
    for n in range(6):
        therapist = ann if n % 2 else ben
        patient = make_patient(cast, therapist, items=3, days=10)
        if n % 3 == 0:
            cast.link(admin, patient)  # a second therapist on some teams
        if n == 5:
            discharge(db.session, therapist, patient.id, "", NOW)
            db.session.commit()
    assert counts() == small
    # warm: the page (which also says none is stale) and the teams of its patients
    assert small[1] == 2


def care_history(therapist, patient) -> None:
    """What pain-aware care adds to a patient's history: pauses, painful and hard sessions,
    skips for pain, diary entries, acknowledgements, their own thresholds, step proposals."""
    from hep.acknowledgements import acknowledge
    from hep.care_rules import set_patient_rules
    from hep.checkins import put_pain
    from hep.models import Program, StepProposal
    from hep.pauses import start_pause
    from hep.programs import view

    for days in (20, 12, 4):
        start_pause(
            db.session,
            patient,
            "flare_up" if days % 2 else "busy",
            NOW - dt.timedelta(days=days),
            window_days=30,
            last_day=NOW.date() - dt.timedelta(days=days - 2),
        )
    program = db.session.scalars(select(Program).where(Program.patient_id == patient.id)).first()
    items = [item for item, _ in view(db.session, program).items]
    for days in range(6):
        day = NOW.date() - dt.timedelta(days=days)
        put_pain(db.session, patient, day, {"score": 8 - days}, now=NOW, window_days=30)
        for n, item in enumerate(items):
            put_check_in(
                db.session,
                patient,
                uuid.uuid4(),
                {"item_key": item.item_key, "local_date": day, "state": "done"}
                | ({"pain": 3 + days % 3, "difficulty": 5} if n % 2 else {"pain": 7}),
                now=NOW,
                window_days=30,
            )
        acknowledge(db.session, therapist, patient.id, f"note {days}", NOW)
    for item in items:
        item.previous_step = {"reps": 3}  # each has a step: hep works them all out
        db.session.add(
            StepProposal(
                patient_id=patient.id,
                program_id=program.id,
                item_key=item.item_key,
                direction="regress",
                status="dismissed",
                from_version=1,
                step={},
                evidence={},
                words="",
                created_at=NOW,
                decided_at=NOW,  # dismissed now: only newer sessions count
            )
        )
    set_patient_rules(
        db.session,
        therapist,
        patient.id,
        {"thresholds": {"high_pain": 6}, "auto_progress": False, "auto_regress": True},
        NOW,
    )
    db.session.commit()


def test_pain_aware_care_adds_no_queries_as_its_history_grows(cast: Cast):
    from hep.acknowledgements import attention_view
    from hep.progressions import evaluate

    therapist = cast.user(Role.THERAPIST)

    def counts(patient) -> tuple[int, ...]:
        return (
            queries_for(lambda: today_view(db.session, patient, NOW.date())),
            queries_for(lambda: adherence(db.session, patient, NOW.date())),
            cold_list(therapist),
            warm_list(therapist),
            queries_for(lambda: attention_view(db.session, therapist, patient, NOW)),
            queries_for(lambda: evaluate(db.session, [patient.id], NOW)),
        )

    small = make_patient(cast, therapist, items=1, days=3)
    care_history(therapist, small)
    small_counts = counts(small)
    db.session.rollback()
    big = make_patient(cast, therapist, items=8, days=60)
    care_history(therapist, big)
    for _ in range(3):
        care_history(therapist, make_patient(cast, therapist, items=3, days=10))
    assert counts(big) == small_counts
    assert small_counts[5] <= 12  # locks, items, patients, decisions, rules, subjects, logs...
    rows = caseload.patient_list(db.session, therapist, NOW, offset=0, limit=50)
    assert all("high pain" in r["attention"] + r["acknowledged"] for r in rows)
