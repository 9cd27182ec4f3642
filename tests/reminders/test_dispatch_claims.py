"""The dispatcher's claims are leases: a pass that outlives one leaves the reminders another
dispatcher took over to that one, so no occurrence is decided twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from hep.db import Database, db
from hep.models import Occurrence, Role
from hep.push.keys import generate_vapid_keys
from hep.push.subscriptions import policy_from_config
from hep.reminders import dispatch
from hep.reminders.dispatch import DispatchSettings, TickReport, claim_reminders, decide_batch
from hep.reminders.rules import create_reminder
from tests.conftest import Cast

MONDAY = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)  # 07:00 in Berlin


def test_a_claim_taken_over_after_its_lease_is_decided_once(
    app: Flask, cast: Cast, monkeypatch: pytest.MonkeyPatch
):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite runs one writing transaction at a time: no pass decides inside another")
    settings = DispatchSettings(
        grace=dt.timedelta(minutes=30),
        base_url="http://localhost",
        vapid=generate_vapid_keys(),
        subject="mailto:test@example.org",
        policy=policy_from_config(app.config),
    )
    patient = cast.user(Role.PATIENT, timezone="Europe/Berlin")
    rule = {"type": "times", "times": [dt.time(8)], "weekdays": [1, 2, 3, 4, 5, 6, 7]}
    create_reminder(db.session, patient, {"rule": rule}, MONDAY)
    db.session.commit()
    at = MONDAY + dt.timedelta(hours=1, seconds=1)
    later = at + settings.lease + dt.timedelta(minutes=1)
    factory = Database.sessionmaker(app)
    original = dispatch._load_context

    def meanwhile(session: Any, *args: Any) -> Any:
        # a second dispatcher, whose pass began after the first one's lease ran out, claims
        # the same reminder and decides it while the first is deciding
        monkeypatch.setattr(dispatch, "_load_context", original)
        with factory() as other:
            taken = claim_reminders(other, later, settings)
            decide_batch(other, taken, later, settings, TickReport())
        return original(session, *args)

    with factory() as slow:
        ids = claim_reminders(slow, at, settings)
        monkeypatch.setattr(dispatch, "_load_context", meanwhile)
        report = TickReport()
        assert decide_batch(slow, ids, at, settings, report) == []
    assert report.decided == 0
    fired = db.session.execute(select(Occurrence.fire_at, Occurrence.decided_at)).all()
    assert fired == [(MONDAY + dt.timedelta(hours=1), later)]
