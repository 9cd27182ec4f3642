"""A batch is decided under locks: a pass that outlived its lease leaves the reminders another
dispatcher took over to that one (no occurrence is decided twice), and a reminder edited while
a pass decides it keeps the edit (the pass never writes back a rule as it was)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from hep.db import Database, db
from hep.models import Occurrence, Reminder, Role, User
from hep.reminders import batches
from hep.reminders.batches import decide_batch
from hep.reminders.claims import claim_reminders
from hep.reminders.passes import TickReport
from hep.reminders.rules import create_reminder, update_reminder
from tests.conftest import Cast
from tests.reminders.test_decisions import dispatch_settings

MONDAY = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)  # 07:00 in Berlin
DAILY = [1, 2, 3, 4, 5, 6, 7]


# SQLite runs one writing transaction at a time: nothing runs inside a pass there
@pytest.mark.postgresql_only
def test_a_claim_taken_over_after_its_lease_is_decided_once(
    app: Flask, cast: Cast, monkeypatch: pytest.MonkeyPatch
):
    settings = dispatch_settings(app)
    channels = [channel.open() for channel in settings.channels]
    patient = cast.user(Role.PATIENT, timezone="Europe/Berlin")
    rule = {"type": "times", "times": [dt.time(8)], "weekdays": DAILY}
    create_reminder(db.session, patient, {"rule": rule}, MONDAY)
    db.session.commit()
    at = MONDAY + dt.timedelta(hours=1, seconds=1)
    later = at + settings.lease + dt.timedelta(minutes=1)
    factory = Database.sessionmaker(app)
    original = batches._lock

    def meanwhile(session: Any, *args: Any) -> Any:
        # a second dispatcher, whose pass began after the first one's lease ran out, claims
        # the same reminder and decides it while the first is deciding
        monkeypatch.setattr(batches, "_lock", original)
        with factory() as other:
            taken = claim_reminders(other, later, settings)
            decide_batch(other, taken, later, settings, channels, TickReport())
        return original(session, *args)

    with factory() as slow:
        ids = claim_reminders(slow, at, settings)
        monkeypatch.setattr(batches, "_lock", meanwhile)
        report = TickReport()
        assert decide_batch(slow, ids, at, settings, channels, report) == {}
    assert report.decided == 0
    fired = db.session.execute(select(Occurrence.fire_at, Occurrence.decided_at)).all()
    assert fired == [(MONDAY + dt.timedelta(hours=1), later)]


@pytest.mark.postgresql_only
def test_an_edit_made_while_a_pass_decides_the_reminder_is_kept(
    app: Flask, cast: Cast, monkeypatch: pytest.MonkeyPatch
):
    settings = dispatch_settings(app)
    channels = [channel.open() for channel in settings.channels]
    patient = cast.user(Role.PATIENT, timezone="Europe/Berlin")
    rule = {"type": "times", "times": [dt.time(8)], "weekdays": DAILY}
    reminder = create_reminder(db.session, patient, {"rule": rule}, MONDAY)
    db.session.commit()
    at = MONDAY + dt.timedelta(hours=1, seconds=1)  # 08:00:01 in Berlin
    factory = Database.sessionmaker(app)
    edited = threading.Event()

    def edit() -> None:
        # the patient adds a noon reminder from another connection while the pass decides
        with factory() as other:
            owner = other.get_one(User, patient.id)
            times = {"type": "times", "times": [dt.time(8), dt.time(12)], "weekdays": DAILY}
            update_reminder(other, owner, reminder.id, {"rule": times}, at)
            other.commit()
        edited.set()

    original = batches.load_context

    def deciding(*args: Any) -> Any:
        editor = threading.Thread(target=edit)
        editor.start()
        edited.wait(2)  # without a lock on the reminder the edit commits now
        return original(*args)

    monkeypatch.setattr(batches, "load_context", deciding)
    with factory() as session:
        ids = claim_reminders(session, at, settings)
        report = TickReport()
        decide_batch(session, ids, at, settings, channels, report)
    assert edited.wait(10)
    assert report.outcomes == {"no_subscription": 1}
    with factory() as fresh:
        stored = fresh.execute(select(Reminder.times, Reminder.next_fire_at)).one()
    # the edit's rule, and its next occurrence: noon in Berlin today
    assert tuple(stored) == (["08:00", "12:00"], MONDAY + dt.timedelta(hours=5))
