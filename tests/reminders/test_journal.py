"""A dead dispatcher's journal is finished by the next pass on the host: what had left counts
as sent (or as the answer it got), what had not is left to its lease; a live one is left."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from hep.channels import Outcome, Result
from hep.db import Database, db
from hep.models import Delivery, Occurrence, PushSubscription, Reminder, Role
from hep.reminders import results
from hep.reminders.dispatch import run_once
from hep.reminders.journal import Journal
from hep.reminders.passes import DispatchSettings
from hep.reminders.rules import create_reminder
from tests.conftest import Cast

FIRE = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)
NOW = FIRE + dt.timedelta(seconds=2)


def leased_deliveries(cast: Cast, settings: DispatchSettings, count: int) -> list[uuid.UUID]:
    """`count` deliveries of one occurrence, leased to a pass at NOW (as one that died)."""
    patient = cast.user(Role.PATIENT)
    rule = {"type": "times", "times": [dt.time(7)], "weekdays": [1, 2, 3, 4, 5, 6, 7]}
    reminder = create_reminder(db.session, patient, {"rule": rule}, FIRE - dt.timedelta(hours=1))
    reminder_row = db.session.get_one(Reminder, reminder.id)
    reminder_row.next_fire_at = FIRE + dt.timedelta(days=1)
    occurrence = Occurrence(
        reminder_id=reminder.id,
        owner_id=patient.id,
        fire_at=FIRE,
        local_date=FIRE.date(),
        outcome="sent",
        decided_at=NOW,
    )
    db.session.add(occurrence)
    ids = []
    for n in range(count):
        subscription = PushSubscription(
            user_id=patient.id,
            endpoint=f"http://127.0.0.1:9/{n}",
            p256dh="x",
            auth="y",
            created_at=FIRE,
        )
        db.session.add(subscription)
        db.session.flush()
        delivery = Delivery(
            occurrence_id=occurrence.id,
            channel="push",
            address_id=subscription.id,
            status="sending",
            attempts=0,
            next_attempt_at=NOW,
            claimed_until=NOW + settings.lease,
            expires_at=FIRE + settings.grace,
            created_at=NOW,
            updated_at=NOW,
        )
        db.session.add(delivery)
        db.session.flush()
        ids.append(delivery.id)
    db.session.commit()
    return ids


def test_a_dead_passs_journal_is_finished_by_the_next_pass(
    app: Flask, cast: Cast, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(results, "RECOVER_CHUNK", 2)  # a long journal goes in several parts
    settings = DispatchSettings.from_app(app, journal=str(tmp_path))
    sent, retried, gone, unsent = leased_deliveries(cast, settings, 4)
    dead = Journal(tmp_path, NOW, NOW + settings.lease)
    for delivery_id in (sent, retried, gone):
        dead.left(delivery_id)
    dead.answered(Result(retried, Outcome.RETRY, retry_after=120.0, status=503))
    dead.answered(Result(gone, Outcome.GONE, status=410))
    dead.close(keep=True)  # as the kernel does for a killed process: the lock goes, the file stays
    later = NOW + dt.timedelta(seconds=5)  # its lease still runs: nothing is claimed again
    report = run_once(Database.sessionmaker(app), later, settings)
    assert (report.sent, report.retried, report.gone) == (1, 1, 1)
    assert not list(tmp_path.glob("*.journal"))
    db.session.rollback()
    rows = {
        row.id: row
        for row in db.session.execute(
            select(Delivery.id, Delivery.status, Delivery.attempts, Delivery.next_attempt_at)
        )
    }
    assert (rows[sent].status, rows[sent].attempts) == ("sent", 1)
    assert (rows[retried].status, rows[retried].attempts) == ("pending", 1)
    assert rows[retried].next_attempt_at == later + dt.timedelta(seconds=120)
    assert rows[gone].status == "gone"
    assert rows[unsent].status == "sending"  # not left: sent again once its lease runs out
    assert len(db.session.scalars(select(PushSubscription)).all()) == 3  # the gone one removed


def test_a_live_passs_journal_is_left_alone(app: Flask, cast: Cast, tmp_path: Path):
    settings = DispatchSettings.from_app(app, journal=str(tmp_path))
    (delivery_id,) = leased_deliveries(cast, settings, 1)
    live = Journal(tmp_path, NOW, NOW + settings.lease)
    live.left(delivery_id)
    try:
        run_once(Database.sessionmaker(app), NOW + dt.timedelta(seconds=5), settings)
        db.session.rollback()
        assert db.session.get_one(Delivery, delivery_id).status == "sending"
        assert live.path.exists()
    finally:
        live.close()


def test_a_pass_without_a_usable_journal_folder_still_runs(
    app: Flask, cast: Cast, tmp_path: Path, caplog
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    settings = DispatchSettings.from_app(app, journal=str(blocked))
    patient = cast.user(Role.PATIENT)
    rule = {"type": "times", "times": [dt.time(7)], "weekdays": [1, 2, 3, 4, 5, 6, 7]}
    create_reminder(db.session, patient, {"rule": rule}, FIRE - dt.timedelta(hours=1))
    db.session.commit()
    report = run_once(Database.sessionmaker(app), NOW, settings)
    assert report.outcomes == {"no_subscription": 1}
    assert any("dispatch journal unavailable" in r.getMessage() for r in caplog.records)
