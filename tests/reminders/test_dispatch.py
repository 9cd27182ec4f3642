"""A pass, whole: dispatchers SIGKILLed mid-pass send nothing twice and lose nothing, and a
dispatcher process needs neither the Flask app nor the app's other domains."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import random
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, insert, select

from hep.db import Database, db
from hep.habits import add_starter
from hep.models import Delivery, Occurrence, PushSubscription, Reminder, Role, User
from hep.reminders.dispatch import run_once
from hep.reminders.passes import DispatchSettings
from hep.reminders.rules import create_reminder
from tests.conftest import Cast
from tests.push_service import BrowserSubscription, FakePushService

FIRE = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)
DUE = 2000
KILLS = 10

# A dispatcher host: imports once, then forks one process per pass (a pass each at the `now`
# read from stdin), so each of the ten passes starts in milliseconds; prints each child's pid.
PASSES = """
import datetime as dt, os, pickle, sys
from sqlalchemy.orm import configure_mappers
from hep.db import session_factory
from hep.reminders.dispatch import run_once
url, settings_file = sys.argv[1:]
with open(settings_file, "rb") as f:
    settings = pickle.load(f)
configure_mappers()  # as a dispatcher that has made a pass before
for line in sys.stdin:
    child = os.fork()
    if child == 0:
        run_once(session_factory(url), dt.datetime.fromisoformat(line.strip()), settings)
        os._exit(0)
    print(child, flush=True)
    os.waitpid(child, 0)
"""


def running(pid: int) -> bool:
    """Alive and not yet reaped (a finished pass is a zombie until its host waits for it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


@pytest.fixture(scope="module")
def service() -> Iterator[FakePushService]:
    running = FakePushService().start()
    try:
        yield running
    finally:
        running.stop()


def due_patients(count: int, endpoint: str) -> None:
    """`count` patients with a reminder due at FIRE and one push subscription each."""
    browser = BrowserSubscription.create()
    users, reminders, subscriptions = [], [], []
    for n in range(count):
        user_id = uuid.uuid4()
        users.append(
            {
                "id": user_id,
                "email": f"due{n}@example.org",
                "name": f"Due {n}",
                "role": Role.PATIENT,
                "timezone": "UTC",
                "is_active": True,
                "created_at": FIRE,
            }
        )
        reminders.append(
            {
                "owner_id": user_id,
                "label": "",
                "target_kind": "none",
                "rule_type": "times",
                "times": ["07:00"],
                "weekdays": 0b1111111,
                "skip_if_done": True,
                "pause_reason": "",
                "next_fire_at": FIRE,
                "created_at": FIRE,
                "updated_at": FIRE,
            }
        )
        subscriptions.append(
            {
                "user_id": user_id,
                "endpoint": f"{endpoint}/{n}",
                "p256dh": browser.p256dh,
                "auth": browser.auth,
                "created_at": FIRE,
            }
        )
    db.session.execute(insert(User), users)
    db.session.execute(insert(Reminder), reminders)
    db.session.execute(insert(PushSubscription), subscriptions)
    db.session.commit()


@pytest.mark.slow
def test_ten_kills_mid_pass_resend_only_what_was_unanswered(
    app: Flask, service: FakePushService, database_url: str, tmp_path: Path
):
    service.reset()
    due_patients(DUE, service.url("/push"))
    settings = DispatchSettings.from_app(app)
    settings_file = tmp_path / "settings.pickle"
    settings_file.write_bytes(pickle.dumps(settings))
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEP_")}
    host = subprocess.Popen(
        [sys.executable, "-c", PASSES, database_url, str(settings_file)],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert host.stdin is not None and host.stdout is not None
    rng = random.Random()
    step = settings.lease + dt.timedelta(seconds=1)  # each pass finds the last one's leases over
    try:
        for round_ in range(KILLS):
            received = len(service.received)
            now = FIRE + dt.timedelta(seconds=2) + round_ * step
            host.stdin.write(f"{now.isoformat()}\n")
            host.stdin.flush()
            child = int(host.stdout.readline())
            # a random moment of the pass while it is sending: after 1 to 50 more pushes
            target = received + rng.randint(1, 50)
            deadline = time.monotonic() + 30
            while len(service.received) < target and running(child):
                assert time.monotonic() < deadline, "the pass sent too little"
                time.sleep(0.001)
            assert running(child), "the pass finished before it could be killed"
            os.kill(child, signal.SIGKILL)
    finally:
        host.stdin.close()
        host.wait(timeout=30)
        host.stdout.close()
    # then a clean pass, once the last lease has run out
    report = run_once(
        Database.sessionmaker(app), FIRE + dt.timedelta(seconds=2) + KILLS * step, settings
    )
    topics = Counter(r.headers["topic"] for r in service.received)
    duplicates = sum(n - 1 for n in topics.values())
    print(f"clean pass after {KILLS} kills: {report}; {duplicates} duplicates")
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Occurrence)) == DUE
    assert len(topics) == DUE  # every occurrence delivered
    assert duplicates <= DUE // 100
    statuses = Counter(db.session.scalars(select(Delivery.status)))
    assert statuses == {"sent": DUE}  # none failed or left behind because of the kills
    # an attempt a killed dispatcher never had answered is not counted
    assert set(db.session.scalars(select(Delivery.attempts))) == {1}


ALONE = """
import datetime as dt, pickle, sys
from hep.db import session_factory
from hep.reminders.dispatch import run_once
from hep.reminders.workers import DispatcherPool
url, settings_file, now = sys.argv[1:]
with open(settings_file, "rb") as f:
    settings = pickle.load(f)
report = run_once(session_factory(url), dt.datetime.fromisoformat(now), settings)
print(report.outcomes["no_subscription"], *sorted(m for m in sys.modules if m.startswith("hep.")))
"""


def test_a_dispatcher_process_needs_no_app_and_none_of_the_other_domains(
    app: Flask, cast: Cast, database_url: str, tmp_path: Path
):
    patient = cast.user(Role.PATIENT)
    habit = add_starter(db.session, patient, "downtime", FIRE - dt.timedelta(hours=1))
    rule = {"type": "times", "times": [dt.time(7)], "weekdays": [1, 2, 3, 4, 5, 6, 7]}
    target = {"kind": "habit", "habit_id": habit.id}
    create_reminder(
        db.session, patient, {"rule": rule, "target": target}, FIRE - dt.timedelta(hours=1)
    )
    db.session.commit()
    settings_file = tmp_path / "settings.pickle"
    settings_file.write_bytes(pickle.dumps(DispatchSettings.from_app(app)))
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEP_")}
    now = (FIRE + dt.timedelta(seconds=2)).isoformat()
    done = subprocess.run(
        [sys.executable, "-c", ALONE, database_url, str(settings_file), now],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    decided, *modules = done.stdout.split()
    assert decided == "1"  # the habit reminder was decided (no device to send to)
    for other in ("hep.accounts", "hep.care", "hep.programs", "hep.api", "hep.web"):
        assert other not in modules
