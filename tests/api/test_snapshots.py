"""Adherence snapshots: the therapist's list and the adherence screens read stored figures, so
every write that moves them must show at once, a new local day must recompute them, and a write
racing a computation must never leave a snapshot that looks fresh."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo

from sqlalchemy import select, update

from hep import caseload, snapshots
from hep.checkins import put_check_in
from hep.db import db
from hep.models import AdherenceSnapshot, Exercise, Role, User
from hep.programs import prescribe, view
from tests.api.test_query_counts import counted
from tests.conftest import Cast

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def today_in(tz: str) -> dt.date:
    return dt.datetime.now(dt.UTC).astimezone(zoneinfo.ZoneInfo(tz)).date()


def listed(client, patient_id) -> dict:
    rows = client.get("/api/patients?page_size=100").get_json()
    return next(r for r in rows if r["id"] == str(patient_id))


def test_every_write_that_moves_the_figures_shows_at_once(cast: Cast):
    therapist = cast.user(Role.THERAPIST)
    patient = cast.user(Role.PATIENT, timezone="America/New_York")
    cast.link(therapist, patient)
    t, p = cast.client(therapist), cast.client(patient)
    today = today_in("America/New_York")
    exercise = t.get("/api/exercises?region=neck").get_json()[0]["id"]
    program = t.post(
        f"/api/patients/{patient.id}/programs",
        json={
            "title": "Neck",
            "start_date": (today - dt.timedelta(days=6)).isoformat(),
            "items": [{"exercise_id": exercise, "times_per_day": 1}],
        },
    ).get_json()
    key = program["items"][0]["item_key"]
    # days -6..-1 are due once each; today is open until something is logged
    assert listed(t, patient.id)["percent_7_days"] == 0.0
    assert p.get("/api/adherence").get_json()["percent_7_days"] == 0.0  # now stored

    yesterday = (today - dt.timedelta(days=1)).isoformat()
    client_id = uuid.uuid4()
    body = {"item_key": key, "local_date": yesterday, "state": "done"}
    assert p.put(f"/api/check-ins/{client_id}", json=body).status_code == 201
    assert listed(t, patient.id)["percent_7_days"] == round(100 / 6, 1)
    assert p.get("/api/adherence").get_json()["percent_7_days"] == round(100 / 6, 1)
    assert listed(t, patient.id)["last_activity_at"] is not None

    assert p.put(f"/api/check-ins/{client_id}", json=dict(body, state="partial")).status_code == 200
    assert listed(t, patient.id)["percent_7_days"] == round(50 / 6, 1)

    assert p.delete(f"/api/check-ins/{client_id}").status_code == 204
    assert listed(t, patient.id)["percent_7_days"] == 0.0
    assert t.get(f"/api/patients/{patient.id}/adherence").get_json()["percent_7_days"] == 0.0

    assert p.put(f"/api/pain/{today.isoformat()}", json={"score": 8}).status_code == 201
    assert p.get("/api/adherence").get_json()["daily"][-1]["pain"] == 8

    names = {s["name"] for s in p.get("/api/adherence").get_json()["subjects"]}
    habit = p.post("/api/habits/starters/water").get_json()
    after = {s["name"] for s in p.get("/api/adherence").get_json()["subjects"]}
    assert after - names == {habit["name"]}
    assert p.delete(f"/api/habits/{habit['id']}").status_code == 204
    assert {s["name"] for s in p.get("/api/adherence").get_json()["subjects"]} == names

    custom = t.post(
        "/api/exercises", json={"name": "Wall angel", "regions": ["neck"], "category": "posture"}
    ).get_json()
    version = t.post(
        f"/api/programs/{program['id']}/versions",
        json={
            "title": "Neck",
            "start_date": (today - dt.timedelta(days=6)).isoformat(),
            "items": [{"exercise_id": exercise, "times_per_day": 1}, {"exercise_id": custom["id"]}],
        },
    )
    assert version.status_code == 201, version.get_json()
    assert "Wall angel" in {s["name"] for s in p.get("/api/adherence").get_json()["subjects"]}
    renamed = t.patch(f"/api/exercises/{custom['id']}", json={"name": "Wall slide"})
    assert renamed.status_code == 200, renamed.get_json()
    subjects = {
        s["name"] for s in t.get(f"/api/patients/{patient.id}/adherence").get_json()["subjects"]
    }
    assert "Wall slide" in subjects and "Wall angel" not in subjects

    assert p.patch("/api/me", json={"timezone": "Pacific/Kiritimati"}).status_code == 200
    as_of = p.get("/api/adherence").get_json()["as_of"]
    assert as_of == today_in("Pacific/Kiritimati").isoformat()


def daily_exercise(therapist: User, patient: User, since: dt.datetime):
    """Prescribe one exercise once a day from `since` (when the program is made); its key."""
    exercise = db.session.scalars(select(Exercise).limit(1)).one()
    program = prescribe(
        db.session,
        therapist,
        patient.id,
        {
            "title": "P",
            "start_date": since.date(),
            "items": [{"exercise_id": exercise.id, "times_per_day": 1}],
        },
        since,
    )
    db.session.commit()
    return view(db.session, program).items[0][0].item_key


def make_patient(cast: Cast, therapist: User, name: str, now: dt.datetime, done_days: list[int]):
    """A patient with one daily exercise since two weeks ago, done on `done_days` (days ago)."""
    patient = cast.user(Role.PATIENT, name, timezone="UTC")
    cast.link(therapist, patient)
    key = daily_exercise(therapist, patient, now - dt.timedelta(days=13))
    for days_ago in done_days:
        put_check_in(
            db.session,
            patient,
            uuid.uuid4(),
            {
                "item_key": key,
                "local_date": now.date() - dt.timedelta(days=days_ago),
                "state": "done",
            },
            now=now,
            window_days=30,
        )
    db.session.commit()
    return patient


def page(therapist: User, now: dt.datetime, offset: int = 0, limit: int = 50):
    rows = caseload.patient_list(db.session, therapist, now, offset=offset, limit=limit)
    db.session.commit()
    return rows


def test_the_list_is_ordered_by_attention_across_pages_and_flags_falling_adherence(cast: Cast):
    now = dt.datetime.now(dt.UTC).replace(hour=12)
    therapist = cast.user(Role.THERAPIST)
    # Ada: every day of both weeks; Bea: the week before all done, the last week 3 of 6;
    # Cy: nothing at all
    make_patient(cast, therapist, "Ada", now, list(range(0, 14)))
    make_patient(cast, therapist, "Bea", now, [1, 2, 3, *range(7, 14)])
    make_patient(cast, therapist, "Cy", now, [])
    rows = [page(therapist, now, offset=n, limit=1)[0] for n in range(3)]
    names = [row["name"] for row in rows]
    assert names == ["Cy", "Bea", "Ada"]
    cy, bea, ada = rows
    assert cy["attention"] == ["not logging", "low adherence"]
    assert (bea["percent_prev_7_days"], bea["percent_7_days"]) == (100.0, 50.0)
    assert bea["attention"] == ["adherence falling"]
    assert ada["attention"] == [] and ada["percent_7_days"] == 100.0
    # the SQL order and the reasons shown agree
    counts = [len(row["attention"]) for row in page(therapist, now)]
    assert counts == sorted(counts, reverse=True)


def test_a_new_local_day_recomputes_and_a_quiet_fresh_list_recomputes_nothing(cast: Cast):
    now = dt.datetime.now(dt.UTC).replace(hour=12)
    therapist = cast.user(Role.THERAPIST)
    patient = make_patient(cast, therapist, "Ada", now, [1])
    page(therapist, now)
    mine = [patient.id]
    assert snapshots.refresh_stale(db.session, mine, now + dt.timedelta(hours=11)) == 0
    snap = db.session.get_one(AdherenceSnapshot, patient.id)
    assert snap.as_of == now.date()
    assert snap.valid_until == dt.datetime.combine(
        now.date() + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC
    )
    tomorrow = now + dt.timedelta(days=1)
    assert snapshots.refresh_stale(db.session, mine, tomorrow) == 1
    db.session.commit()
    db.session.expire_all()
    assert db.session.get_one(AdherenceSnapshot, patient.id).as_of == tomorrow.date()


def test_a_write_racing_a_computation_leaves_the_snapshot_stale_not_fresh(cast: Cast):
    now = dt.datetime.now(dt.UTC).replace(hour=12)
    therapist = cast.user(Role.THERAPIST)
    patient = make_patient(cast, therapist, "Ada", now, [])
    page(therapist, now)
    basis = db.session.get_one(AdherenceSnapshot, patient.id).basis
    # another transaction's write lands after our computation read the version
    db.session.execute(
        update(User).where(User.id == patient.id).values(stats_version=User.stats_version + 1)
    )
    db.session.commit()
    assert snapshots.refresh_stale(db.session, [patient.id], now) == 1
    db.session.commit()
    db.session.expire_all()
    assert db.session.get_one(AdherenceSnapshot, patient.id).basis == basis + 1
    # and a late writer holding the older version cannot overwrite the newer snapshot
    stale_row = {
        "patient_id": patient.id,
        "basis": basis,
        "as_of": now.date(),
        "valid_until": now + dt.timedelta(hours=1),
        "computed_at": now,
        "percent_7_days": 99.0,
        "percent_prev_7_days": None,
        "pain_trend": "unknown",
        "last_activity_at": None,
        "document": None,
    }
    snapshots._upsert(db.session, [stale_row])
    db.session.commit()
    db.session.expire_all()
    kept = db.session.get_one(AdherenceSnapshot, patient.id)
    assert kept.basis == basis + 1 and kept.percent_7_days != 99.0


def test_a_weekly_habit_done_in_full_counts_as_done(cast: Cast):
    from hep.adherence import DayLog, Subject, percent, score_subject
    from hep.models import Habit

    monday = dt.date(2026, 3, 2)
    habit = Habit(per_week=3, weekdays=0b1111111, target=None, direction=None)
    walk = Subject("habit", uuid.uuid4(), "walk", habit=habit, start=monday)
    logs = {(walk.id, monday + dt.timedelta(days=d)): DayLog(done=1, entries=1) for d in (0, 2)}
    logs[(walk.id, monday + dt.timedelta(days=7))] = DayLog(done=1, entries=1)
    logs[(walk.id, monday + dt.timedelta(days=4))] = DayLog(done=1, entries=1)
    sunday = monday + dt.timedelta(days=13)
    score = score_subject(walk, logs, monday, sunday + dt.timedelta(days=1))
    assert percent([score], monday, monday + dt.timedelta(days=6)) == 100.0  # 3 of 3
    assert percent([score], monday + dt.timedelta(days=7), sunday) == round(100 / 3, 1)


def test_the_list_answer_is_what_its_documented_schema_dumps(cast: Cast):
    from hep.api.patients.schemas import PatientOut

    now = dt.datetime.now(dt.UTC)
    therapist = cast.user(Role.THERAPIST)
    make_patient(cast, therapist, "Ada", now, [0, 1, 2])
    make_patient(cast, therapist, "Bea", now, [])
    cast.user(Role.PATIENT)  # not theirs
    answer = cast.client(therapist).get("/api/patients").get_json()
    rows = caseload.patient_list(db.session, therapist, now, offset=0, limit=50)
    assert [r["name"] for r in answer] == ["Bea", "Ada"]
    assert answer == PatientOut(many=True).dump(rows)
    assert set(answer[0]) == set(PatientOut().fields)


def test_the_scheduler_refreshes_stale_snapshots_in_batches(cast: Cast):
    now = dt.datetime.now(dt.UTC).replace(hour=12)
    therapist = cast.user(Role.THERAPIST)
    for name in ("Ada", "Bea", "Cy"):
        make_patient(cast, therapist, name, now, [1])
    cast.user(Role.PATIENT)  # no therapist: computed when they look, not ahead
    assert snapshots.refresh_for_therapists(db.session, now, batch=2) == 2
    assert snapshots.refresh_for_therapists(db.session, now, batch=2) == 1
    assert snapshots.refresh_for_therapists(db.session, now, batch=2) == 0
    tomorrow = now + dt.timedelta(days=1)
    assert snapshots.refresh_for_therapists(db.session, tomorrow, batch=10) == 3
    # the list then has nothing left to compute
    assert (
        snapshots.refresh_stale(db.session, [r["id"] for r in page(therapist, tomorrow)], tomorrow)
        == 0
    )


def test_the_scheduler_tick_leaves_no_therapist_list_stale(app, cast: Cast):
    from hep.scheduler import adherence_snapshots

    now = dt.datetime.now(dt.UTC).replace(hour=12)
    therapist = cast.user(Role.THERAPIST)
    ids = [make_patient(cast, therapist, f"P{n}", now, [1]).id for n in range(3)]
    adherence_snapshots(app, now + dt.timedelta(days=1))
    db.session.rollback()  # the tick wrote through its own session
    later = now + dt.timedelta(days=1, minutes=1)
    assert snapshots.refresh_stale(db.session, ids, later) == 0


def fresh(patient: User) -> bool:
    db.session.rollback()
    db.session.expire_all()
    snap = db.session.get(AdherenceSnapshot, patient.id)
    version = db.session.scalar(select(User.stats_version).where(User.id == patient.id))
    return snap is not None and snap.basis == version


def test_a_check_in_leaves_the_patients_figures_fresh_for_the_next_reader(cast: Cast):
    therapist = cast.user(Role.THERAPIST)
    patient = cast.user(Role.PATIENT, timezone="UTC")
    cast.link(therapist, patient)
    key = daily_exercise(therapist, patient, dt.datetime.now(dt.UTC) - dt.timedelta(days=3))
    t, p = cast.client(therapist), cast.client(patient)
    listed(t, patient.id)
    assert fresh(patient)
    body = {"item_key": key, "local_date": today_in("UTC").isoformat(), "state": "done"}
    assert p.put(f"/api/check-ins/{uuid.uuid4()}", json=body).status_code == 201
    # recomputed as the write's response went out, before anyone looked
    assert fresh(patient)
    snap = db.session.get_one(AdherenceSnapshot, patient.id)
    assert snap.last_activity_at is not None
    with counted() as statements:
        row = listed(t, patient.id)
    assert not [s for s in statements if "adherence_snapshots" in s and "INSERT" in s]
    assert row["last_activity_at"] == snap.last_activity_at.isoformat()


def test_a_failed_refresh_after_a_write_loses_nothing(cast: Cast, monkeypatch):
    from sqlalchemy.exc import OperationalError

    therapist = cast.user(Role.THERAPIST)
    patient = cast.user(Role.PATIENT, timezone="UTC")
    cast.link(therapist, patient)
    key = daily_exercise(therapist, patient, dt.datetime.now(dt.UTC) - dt.timedelta(days=3))
    t, p = cast.client(therapist), cast.client(patient)
    before = listed(t, patient.id)["last_activity_at"]

    def broken(*_args, **_kwargs):
        raise OperationalError("refresh", {}, Exception("database went away"))

    monkeypatch.setattr(snapshots, "refresh_stale", broken)
    body = {"item_key": key, "local_date": today_in("UTC").isoformat(), "state": "done"}
    client_id = uuid.uuid4()
    assert p.put(f"/api/check-ins/{client_id}", json=body).status_code == 201
    assert not fresh(patient)  # left stale, so the next reader recomputes
    monkeypatch.undo()
    assert p.put(f"/api/check-ins/{client_id}", json=body).status_code == 200  # it landed
    after = listed(t, patient.id)["last_activity_at"]
    assert before is None and after is not None


def test_a_write_that_moves_many_patients_leaves_them_to_readers(cast: Cast):
    therapist = cast.user(Role.THERAPIST)
    t = cast.client(therapist)
    t_exercise = t.post(
        "/api/exercises",
        json={"name": "Wall angel", "regions": ["upper_back"], "category": "posture"},
    )
    assert t_exercise.status_code == 201, t_exercise.get_json()
    exercise = t_exercise.get_json()["id"]
    patients = []
    for _ in range(snapshots.REFRESH_AFTER_WRITE + 1):
        patient = cast.user(Role.PATIENT, timezone="UTC")
        cast.link(therapist, patient)
        body = {
            "title": "P",
            "start_date": today_in("UTC").isoformat(),
            "items": [{"exercise_id": exercise, "times_per_day": 1}],
        }
        assert t.post(f"/api/patients/{patient.id}/programs", json=body).status_code == 201
        patients.append(patient)
    t.get("/api/patients?page_size=100")
    assert all(fresh(patient) for patient in patients)
    renamed = t.patch(f"/api/exercises/{exercise}", json={"name": "Wall slide"})
    assert renamed.status_code == 200, renamed.get_json()
    assert not any(fresh(patient) for patient in patients)
    t.get("/api/patients?page_size=100")  # the reader recomputes them, in one batch
    assert all(fresh(patient) for patient in patients)
