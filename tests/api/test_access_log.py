"""The access log: every therapist read of a patient's data reaches the patient's log. A page of
the list is written as one pending read and spread into per-patient rows later; the patient's
view, the export and the scheduler each spread what is pending, exactly once."""

from __future__ import annotations

import datetime as dt
import threading

from flask import Flask
from sqlalchemy import func, select

from hep import care, scheduler
from hep.db import db, immediate_transactions
from hep.models import AccessLogEntry, AccessLogPending, Role
from tests.conftest import Cast


def count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def actions(client) -> list[str]:
    return [e["action"] for e in client.get("/api/me/access-log").get_json()]


def test_a_list_read_reaches_every_listed_patients_log_once(cast: Cast):
    t = cast.user(Role.THERAPIST, "Dr List")
    p1, p2, other = (cast.user(Role.PATIENT) for _ in range(3))
    cast.link(t, p1)
    cast.link(t, p2)
    assert len(cast.client(t).get("/api/patients").get_json()) == 2
    # one pending row for the page, no per-patient rows yet
    assert count(AccessLogPending) == 1 and count(AccessLogEntry) == 0

    assert actions(cast.client(p1)) == ["patient list"]
    assert count(AccessLogPending) == 0 and count(AccessLogEntry) == 2
    entry = cast.client(p2).get("/api/me/access-log").get_json()
    assert [(e["actor"], e["action"]) for e in entry] == [("Dr List", "patient list")]
    assert actions(cast.client(p1)) == ["patient list"]  # reading again spreads nothing twice
    assert actions(cast.client(other)) == []


def test_single_and_page_reads_keep_their_order(cast: Cast):
    t = cast.user(Role.THERAPIST)
    p = cast.user(Role.PATIENT)
    cast.link(t, p)
    therapist = cast.client(t)
    therapist.get("/api/patients")  # one patient: written straight to the log
    therapist.get(f"/api/patients/{p.id}")
    assert count(AccessLogPending) == 0
    assert actions(cast.client(p)) == ["patient profile", "patient list"]


def test_the_export_and_the_scheduler_spread_pending_reads(app: Flask, cast: Cast):
    t = cast.user(Role.THERAPIST)
    p1, p2 = cast.user(Role.PATIENT), cast.user(Role.PATIENT)
    cast.link(t, p1)
    cast.link(t, p2)
    cast.client(t).get("/api/patients")
    export = cast.client(p1).get("/api/me/export").get_json()
    assert [e["action"] for e in export["access_log"]] == ["patient list"]
    assert count(AccessLogPending) == 0

    for _ in range(3):
        cast.client(t).get("/api/patients")
    assert count(AccessLogPending) == 3
    scheduler.access_log(app, dt.datetime.now(dt.UTC))
    assert count(AccessLogPending) == 0
    assert count(AccessLogEntry) == 2 + 3 * 2


def test_settling_goes_in_batches_oldest_first(cast: Cast):
    t = cast.user(Role.THERAPIST)
    p1, p2 = cast.user(Role.PATIENT), cast.user(Role.PATIENT)
    now = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    for minute in range(5):
        care.log_access(db.session, t, [p1.id, p2.id], f"read {minute}", now.replace(minute=minute))
    db.session.commit()
    assert care.settle_access_log(db.session, batch=2) == 2
    assert care.settle_access_log(db.session, batch=2) == 2
    assert care.settle_access_log(db.session, batch=2) == 1
    assert care.settle_access_log(db.session, batch=2) == 0
    db.session.commit()
    logged = db.session.scalars(
        select(AccessLogEntry.action)
        .where(AccessLogEntry.patient_id == p1.id)
        .order_by(AccessLogEntry.id)
    ).all()
    assert logged == [f"read {m}" for m in range(5)]


def two_listed(cast: Cast):
    """Two patients of one therapist, whose list has just been read (one pending read)."""
    t = cast.user(Role.THERAPIST)
    first, second = cast.user(Role.PATIENT), cast.user(Role.PATIENT)
    cast.link(t, first)
    cast.link(t, second)
    cast.client(t).get("/api/patients")
    return first, second


def test_a_patient_deleted_before_settling_is_left_out(cast: Cast):
    gone, stays = two_listed(cast)
    db.session.delete(gone)  # e.g. an administrator removed the account directly
    db.session.commit()
    assert actions(cast.client(stays)) == ["patient list"]
    assert count(AccessLogEntry) == 1


def test_deleting_an_account_leaves_no_pending_read_naming_it(cast: Cast):
    from tests.conftest import PASSWORD

    p, other = two_listed(cast)
    assert cast.client(p).delete("/api/me", json={"password": PASSWORD}).status_code == 204
    assert count(AccessLogPending) == 0
    rows = db.session.execute(select(AccessLogEntry.patient_id)).scalars().all()
    assert rows == [other.id]


def test_two_settlers_at_once_spread_each_read_once(app: Flask, cast: Cast):
    t = cast.user(Role.THERAPIST)
    p1, p2 = cast.user(Role.PATIENT), cast.user(Role.PATIENT)
    now = dt.datetime.now(dt.UTC)
    care.log_access(db.session, t, [p1.id, p2.id], "patient list", now)
    db.session.commit()
    factory = db.sessionmaker()
    first, second = factory(), factory()
    results: list[int] = []

    def race() -> None:
        with immediate_transactions():  # as the scheduler's writes begin on SQLite
            results.append(care.settle_access_log(second))

    try:
        with immediate_transactions():
            assert care.settle_access_log(first) == 1  # holds the claim until it commits
        racer = threading.Thread(target=race)
        racer.start()
        racer.join(0.5)
        assert racer.is_alive(), "the second settler should wait for the first"
        first.commit()
        racer.join(10)
        second.commit()
    finally:
        first.close()
        second.close()
    assert results == [0]
    assert count(AccessLogEntry) == 2


def test_repeated_reads_within_an_hour_are_one_entry_with_a_count(cast: Cast):
    t = cast.user(Role.THERAPIST, "Dr Often")
    p = cast.user(Role.PATIENT)
    cast.link(t, p)
    start = dt.datetime(2026, 3, 2, 9, 5, tzinfo=dt.UTC)
    for minutes in (0, 20, 40, 60):  # 09:05, 09:25, 09:45, then 10:05
        care.log_access(db.session, t, [p.id], "check-ins", start + dt.timedelta(minutes=minutes))
    care.log_access(db.session, t, [p.id], "pain diary", start + dt.timedelta(minutes=41))
    db.session.commit()
    entries = cast.client(p).get("/api/me/access-log").get_json()
    assert [(e["action"], e["count"], e["first_at"][11:16], e["at"][11:16]) for e in entries] == [
        ("check-ins", 1, "10:05", "10:05"),
        ("pain diary", 1, "09:46", "09:46"),
        ("check-ins", 3, "09:05", "09:45"),
    ]
    assert count(AccessLogEntry) == 5  # every read is still stored
    page = cast.client(p).get("/api/me/access-log?page=2&page_size=2").get_json()
    assert [(e["action"], e["count"]) for e in page] == [("check-ins", 3)]
