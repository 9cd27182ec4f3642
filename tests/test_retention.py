"""Retention: rows past their period go in small committed batches; the rest stays."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from hep import retention, scheduler
from hep.db import db
from hep.metrics import meters
from hep.models import (
    AccessLogEntry,
    AuthSession,
    Delivery,
    LoginFailure,
    Occurrence,
    Reminder,
    Role,
    SchedulerHeartbeat,
)
from hep.retention import Retention
from tests.conftest import NOW, Cast

DAY = dt.timedelta(days=1)


def _periods(app: Flask) -> Retention:
    return Retention.from_config(app.config)


def _count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def seed(cast: Cast, ages: list[dt.timedelta]) -> None:
    """One row of every pruned kind per age (a delivery each pending and sent)."""
    patient = cast.user(Role.PATIENT)
    therapist = cast.user(Role.THERAPIST)
    reminder = Reminder(
        owner_id=patient.id,
        target_kind="none",
        rule_type="times",
        times=["09:00"],
        created_at=NOW,
        updated_at=NOW,
    )
    db.session.add(reminder)
    db.session.flush()
    for n, age in enumerate(ages):
        at = NOW - age
        occurrence = Occurrence(
            reminder_id=reminder.id,
            owner_id=patient.id,
            fire_at=at,
            local_date=at.date(),
            outcome="sent",
            decided_at=at,
        )
        db.session.add(occurrence)
        db.session.flush()
        for status in ("sent", "pending"):
            db.session.add(
                Delivery(
                    occurrence_id=occurrence.id,
                    channel="push",
                    address_id=uuid.uuid4(),
                    status=status,
                    next_attempt_at=at,
                    expires_at=at + DAY,
                    created_at=at,
                    updated_at=at,
                )
            )
        db.session.add(
            AuthSession(
                user_id=patient.id,
                token_hash=uuid.uuid4().hex,
                kind="cookie",
                created_at=at - DAY,
                last_used_at=at - DAY,
                expires_at=at,
            )
        )
        db.session.add(LoginFailure(key=f"address:192.0.2.{n}", at=at))
        db.session.add(
            AccessLogEntry(
                patient_id=patient.id,
                actor_id=therapist.id,
                actor_name="T",
                action="read",
                at=at,
            )
        )
        db.session.add(SchedulerHeartbeat(process=f"h:{n}", started_at=at, beat_at=at))
    db.session.commit()


def test_it_prunes_each_kind_after_its_period_in_batches(app: Flask, cast: Cast):
    periods = _periods(app)
    old = [
        periods.deliveries + DAY,
        periods.occurrences + DAY,
        periods.access_log + DAY,
        periods.access_log + 2 * DAY,
    ]
    seed(cast, [dt.timedelta(hours=1), *old])
    report = retention.prune(db.sessionmaker(app), periods, NOW, batch=1)
    assert report.finished
    # 4 occurrences are past the delivery period, 3 past their own; the rest stays
    assert report.deleted == {
        "deliveries": 4,
        "reminder_occurrences": 3,
        "auth_sessions": 4,
        "login_failures": 4,
        "access_log": 2,
        "scheduler_heartbeats": 4,
    }
    assert _count(Occurrence) == 2
    # pending deliveries are never pruned, but go with their occurrence
    assert db.session.scalars(select(Delivery.status).order_by(Delivery.status)).all() == [
        "pending",
        "pending",
        "sent",
    ]
    assert (_count(AuthSession), _count(LoginFailure), _count(AccessLogEntry)) == (1, 1, 3)
    assert _count(SchedulerHeartbeat) == 1


def test_a_delivery_a_digest_dropped_is_pruned_after_the_period(app: Flask, cast: Cast):
    periods = _periods(app)
    seed(cast, [periods.deliveries + DAY])
    db.session.execute(update(Delivery).where(Delivery.status == "sent").values(status="dropped"))
    db.session.commit()
    report = retention.prune(db.sessionmaker(app), periods, NOW, batch=10)
    assert report.deleted["deliveries"] == 1
    assert db.session.scalars(select(Delivery.status)).all() == ["pending"]


def test_failed_sign_ins_stay_while_the_limiter_counts_them(app: Flask):
    periods = Retention.from_config(
        {**app.config, "RETAIN_LOGIN_FAILURES_DAYS": 1, "LOGIN_WINDOW_SECONDS": 3 * 86400}
    )
    assert periods.login_failures == 3 * DAY


def test_a_run_out_of_time_stops_between_batches_and_the_next_goes_on(app: Flask, cast: Cast):
    periods = _periods(app)
    seed(cast, [periods.access_log + DAY * n for n in range(1, 4)])
    ticks = iter(range(100))
    first = retention.prune(
        db.sessionmaker(app), periods, NOW, batch=2, budget_seconds=2.5, clock=lambda: next(ticks)
    )
    assert not first.finished and first.deleted == {"deliveries": 2}
    second = retention.prune(db.sessionmaker(app), periods, NOW, batch=2)
    assert second.finished and second.deleted["deliveries"] == 1


def test_the_housekeeping_tick_prunes_logs_and_counts(
    app: Flask, cast: Cast, caplog: pytest.LogCaptureFixture
):
    periods = _periods(app)
    seed(cast, [periods.access_log + DAY])
    before = meters.pruned.labels("access_log")._value.get()
    with caplog.at_level(logging.INFO, logger="hep.scheduler"):
        scheduler.housekeeping(app, NOW)
    assert meters.pruned.labels("access_log")._value.get() == before + 1
    assert [r.getMessage() for r in caplog.records] == [
        "retention: deleted 1 deliveries, 1 reminder_occurrences, 1 auth_sessions, "
        "1 login_failures, 1 access_log, 1 scheduler_heartbeats"
    ]
