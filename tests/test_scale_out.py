"""Scale-out: two `hep scheduler` processes (as on two hosts) against one PostgreSQL database
and one push service deliver every due reminder exactly once, sharing the work. The time from
the first push to the last is printed for one scheduler and for two (not asserted: the
machine's load decides it)."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, update
from sqlalchemy.orm import Session

from hep.cli import generate_private_key_pem
from hep.migrate import upgrade
from hep.models import Delivery, Occurrence, PushSubscription, Reminder, Role, User
from tests.conftest import _postgres_database
from tests.push_service import BrowserSubscription, FakePushService
from tests.test_logs import hep_env

PATIENTS = 400
LATENCY = 1.0
"""The push service's answer time: the work is mostly waiting, which two processes share."""
FAR = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
def database() -> Iterator[str]:
    for url in _postgres_database():
        upgrade(url)
        yield url


def patients(session: Session, service: FakePushService, group: str, count: int) -> None:
    """`count` patients, each with one subscription and a reminder not yet due."""
    browser = BrowserSubscription.create()
    now = dt.datetime.now(dt.UTC)
    for n in range(count):
        user = User(
            email=f"{group}{n}-{uuid.uuid4().hex[:6]}@example.org",
            name=f"P {n}",
            role=Role.PATIENT,
            timezone="UTC",
            is_active=True,
            created_at=now,
        )
        session.add(user)
        session.flush()
        session.add(
            PushSubscription(
                user_id=user.id,
                endpoint=service.url(f"/push/{group}/{n}"),
                p256dh=browser.p256dh,
                auth=browser.auth,
                created_at=now,
            )
        )
        session.add(
            Reminder(
                owner_id=user.id,
                label=group,
                target_kind="none",
                rule_type="times",
                times=["03:00"],
                skip_if_done=False,
                next_fire_at=FAR,
                created_at=now,
                updated_at=now,
            )
        )
    session.commit()


def recorded(url: str, group: str) -> int:
    engine = create_engine(url)
    with Session(engine) as session:
        found = session.scalar(
            select(func.count())
            .select_from(Delivery)
            .join(Occurrence, Occurrence.id == Delivery.occurrence_id)
            .join(Reminder, Reminder.id == Occurrence.reminder_id)
            .where(Reminder.label == group, Delivery.status == "sent")
        )
    engine.dispose()
    return int(found or 0)


def deliver(
    url: str, env: dict[str, str], service: FakePushService, group: str, schedulers: int
) -> float:
    """Make the group's reminders due, run `schedulers` scheduler processes until the
    service has every push; returns seconds from the first push to the last."""
    engine = create_engine(url)
    with Session(engine) as session:
        session.execute(
            update(Reminder)
            .where(Reminder.label == group)
            .values(next_fire_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        )
        session.commit()
    engine.dispose()
    service.reset()
    service.latency = LATENCY
    running = [
        subprocess.Popen(
            [sys.executable, "-m", "hep.cli", "scheduler"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(schedulers)
    ]
    first = last = None
    deadline = time.monotonic() + 90
    try:
        while len(service.received) < PATIENTS and time.monotonic() < deadline:
            if first is None and service.received:
                first = time.monotonic()
            time.sleep(0.05)
        last = time.monotonic()
        # every answer recorded (a second push, if one were coming, would land meanwhile)
        while recorded(url, group) < PATIENTS and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        errors = []
        for process in running:
            process.send_signal(signal.SIGTERM)
        for process in running:
            _, err = process.communicate(timeout=60)
            errors.append(err)
    assert all("Traceback" not in e for e in errors), errors
    assert len(service.received) >= PATIENTS, f"only {len(service.received)} pushes arrived"
    return last - (first or last)


@pytest.mark.slow
def test_two_schedulers_deliver_each_occurrence_once_and_share_the_work(
    database: str, tmp_path: Path
):
    service = FakePushService().start()
    try:
        engine = create_engine(database)
        with Session(engine) as session:
            patients(session, service, "one", PATIENTS)
            patients(session, service, "two", PATIENTS)
        env = hep_env(database, tmp_path / "instance", generate_private_key_pem())
        # one dispatcher each: the two processes stand for two hosts
        env.update(HEP_DISPATCH_PROCESSES="1", HEP_LOG_LEVEL="WARNING")
        alone = deliver(database, env, service, "one", 1)
        together = deliver(database, env, service, "two", 2)
        received = Counter(r.path for r in service.received)
    finally:
        service.stop()
    print(
        f"\n{PATIENTS} reminders, push service answering after {LATENCY} s: "
        f"one scheduler {alone:.2f} s, two schedulers {together:.2f} s "
        f"(first push to last; {alone / max(together, 1e-3):.1f}x)"
    )
    assert len(received) == PATIENTS and set(received.values()) == {1}, received.most_common(3)
    with Session(engine) as session:
        for group in ("one", "two"):
            outcomes = session.scalars(
                select(Occurrence.outcome)
                .join(Reminder, Reminder.id == Occurrence.reminder_id)
                .where(Reminder.label == group)
            ).all()
            assert Counter(outcomes) == {"sent": PATIENTS}, group
        sent = session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.status == "sent")
        )
        assert sent == 2 * PATIENTS
    engine.dispose()
