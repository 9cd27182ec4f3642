"""What the dispatcher records for each push-service answer, against our fake push service;
and a dispatcher really killed (SIGKILL) after claiming."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from hep.db import Database, db
from hep.models import Delivery, Occurrence, PushSubscription, Reminder, Role
from hep.reminders.dispatch import run_once
from hep.reminders.passes import DispatchSettings
from hep.reminders.rules import create_reminder
from tests.conftest import Cast
from tests.push_service import BrowserSubscription, FakePushService, Reply

MONDAY = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)  # 07:00 in Berlin
FIRE = MONDAY + dt.timedelta(hours=1)  # 08:00 in Berlin


@pytest.fixture(scope="module")
def service() -> Iterator[FakePushService]:
    running = FakePushService().start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def setup(app, cast: Cast, service: FakePushService):
    service.reset()
    patient = cast.user(Role.PATIENT, timezone="Europe/Berlin")
    browser = BrowserSubscription.create()
    path = f"/push/{patient.id.hex}"
    db.session.add(
        PushSubscription(
            user_id=patient.id,
            endpoint=service.url(path),
            p256dh=browser.p256dh,
            auth=browser.auth,
            created_at=MONDAY,
        )
    )
    create_reminder(
        db.session,
        patient,
        {"rule": {"type": "times", "times": [dt.time(8)], "weekdays": [1, 2, 3, 4, 5, 6, 7]}},
        MONDAY,
    )
    db.session.commit()
    settings = DispatchSettings.from_app(app, timeout=1.0, max_attempts=3)
    return patient, browser, path, settings


def delivery() -> Delivery:
    db.session.rollback()  # a new snapshot: the dispatcher wrote through its own sessions
    return db.session.scalars(select(Delivery)).one()


def test_a_201_marks_the_delivery_sent_with_proper_headers(app, setup, service):
    _, browser, path, settings = setup
    report = run_once(Database.sessionmaker(app), FIRE + dt.timedelta(seconds=2), settings)
    assert report.sent == 1
    (received,) = service.to(path)
    headers = received.headers
    assert 0 < int(headers["ttl"]) <= 30 * 60
    assert headers["urgency"] == "normal" and len(headers["topic"]) <= 32
    payload = json.loads(browser.decrypt(received.body))
    assert (
        payload["notification"]["tag"] == f"hep-{payload['notification']['data']['occurrence_id']}"
    )
    assert delivery().status == "sent" and delivery().status_code == 201


def test_a_5xx_is_retried_with_backoff_then_given_up(app, setup, service):
    _, _, path, settings = setup
    service.reply(path, Reply(status=503))
    factory = Database.sessionmaker(app)
    now = FIRE + dt.timedelta(seconds=2)
    run_once(factory, now, settings)
    first = delivery()
    assert (first.status, first.attempts, first.status_code) == ("pending", 1, 503)
    assert first.next_attempt_at > now + dt.timedelta(seconds=20)  # 30 s +- jitter
    assert run_once(factory, now + dt.timedelta(seconds=5), settings).sent == 0  # not yet due
    # two more attempts (max_attempts=3), still inside the reminder's grace window
    for minutes in (2, 5):
        run_once(factory, now + dt.timedelta(minutes=minutes), settings)
    final = delivery()
    assert (final.status, final.attempts) == ("failed", 3)
    assert len(service.to(path)) == 3


def test_a_429_retry_after_is_honoured(app, setup, service):
    _, _, path, settings = setup
    service.reply(path, Reply(status=429, headers={"Retry-After": "120"}))
    now = FIRE + dt.timedelta(seconds=2)
    run_once(Database.sessionmaker(app), now, settings)
    row = delivery()
    assert row.status == "pending"
    assert abs((row.next_attempt_at - now).total_seconds() - 120) < 2


@pytest.mark.parametrize("status", [404, 410])
def test_gone_removes_the_subscription(app, setup, service, status):
    _, _, path, settings = setup
    service.reply(path, Reply(status=status))
    report = run_once(Database.sessionmaker(app), FIRE + dt.timedelta(seconds=2), settings)
    assert report.gone == 1
    assert delivery().status == "gone"
    assert db.session.scalars(select(PushSubscription)).all() == []


@pytest.mark.parametrize("status", [401, 403, 413])
def test_auth_and_size_errors_are_not_retried(app, setup, service, status, caplog):
    _, _, path, settings = setup
    service.reply(path, Reply(status=status))
    run_once(Database.sessionmaker(app), FIRE + dt.timedelta(seconds=2), settings)
    assert delivery().status == "failed"
    assert len(service.to(path)) == 1
    assert any(r.levelname == "ERROR" for r in caplog.records)


def test_a_hanging_push_service_times_out_and_is_retried(app, setup, service):
    _, _, path, settings = setup
    service.reply(path, Reply(hang=True))
    run_once(Database.sessionmaker(app), FIRE + dt.timedelta(seconds=2), settings)
    row = delivery()
    assert row.status == "pending" and row.status_code is None and row.last_error


def test_a_dispatcher_killed_after_claiming_loses_nothing(
    app, setup, service, database_url, tmp_path
):
    _, _, path, settings = setup
    claim_then_die = textwrap.dedent(f"""
        import datetime as dt, os, signal
        from hep import create_app
        from hep.db import Database
        from hep.reminders.claims import claim_reminders
        from hep.reminders.passes import DispatchSettings
        app = create_app({{"ENV": "testing", "DATABASE_URL": {database_url!r},
                          "INSTANCE_PATH": {str(tmp_path)!r},
                          "VAPID_PRIVATE_KEY": {app.config["VAPID_PRIVATE_KEY"]!r}}})
        now = dt.datetime.fromisoformat({(FIRE + dt.timedelta(seconds=2)).isoformat()!r})
        with Database.sessionmaker(app)() as session:
            assert claim_reminders(session, now, DispatchSettings.from_app(app))
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEP_")}
    done = subprocess.run([sys.executable, "-c", claim_then_die], env=env, timeout=60)
    assert done.returncode == -signal.SIGKILL
    db.session.rollback()
    assert db.session.scalars(select(Reminder)).one().claimed_until is not None
    factory = Database.sessionmaker(app)
    assert run_once(factory, FIRE + dt.timedelta(seconds=30), settings).decided == 0
    after_lease = FIRE + dt.timedelta(seconds=2) + settings.lease + dt.timedelta(seconds=1)
    assert run_once(factory, after_lease, settings).sent == 1
    assert run_once(factory, after_lease, settings).decided == 0
    assert len(service.to(path)) == 1
    db.session.rollback()
    assert [o.outcome for o in db.session.scalars(select(Occurrence))] == ["sent"]
