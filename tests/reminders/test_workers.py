"""Several dispatcher worker processes share a pass through their claims, deliver each due
reminder exactly once, and stop with their parent (signal, or the parent killed)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from hep.db import db
from hep.migrate import upgrade
from hep.models import Delivery, Occurrence, PushSubscription, Role
from hep.reminders.rules import create_reminder
from hep.reminders.workers import DispatcherPool, Dispatchers, dispatch_processes
from tests.conftest import Cast, make_test_app
from tests.push_service import BrowserSubscription, FakePushService

MONDAY = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)  # 07:00 in Berlin
FIRE = MONDAY + dt.timedelta(hours=1)  # 08:00 in Berlin
DAILY_8 = {"type": "times", "times": [dt.time(8)], "weekdays": [1, 2, 3, 4, 5, 6, 7]}


@pytest.fixture(scope="module")
def service() -> Iterator[FakePushService]:
    running = FakePushService().start()
    try:
        yield running
    finally:
        running.stop()


def patients_due_at_8(cast: Cast, service: FakePushService, count: int) -> list[str]:
    """`count` patients, each with a reminder at 08:00 and one or two subscriptions (on the
    service's two origins); returns every subscription's endpoint path."""
    browser = BrowserSubscription.create()
    paths = []
    for n in range(count):
        patient = cast.user(Role.PATIENT, timezone="Europe/Berlin")
        for origin in range(1 + n % 2):
            path = f"/push/{patient.id.hex}/{origin}"
            paths.append(path)
            db.session.add(
                PushSubscription(
                    user_id=patient.id,
                    endpoint=service.url(path, origin),
                    p256dh=browser.p256dh,
                    auth=browser.auth,
                    created_at=MONDAY,
                )
            )
        create_reminder(db.session, patient, {"rule": DAILY_8}, MONDAY)
    db.session.commit()
    return paths


@pytest.mark.slow
def test_several_processes_deliver_every_due_reminder_exactly_once(
    app: Flask, cast: Cast, service: FakePushService
):
    service.reset()
    service.latency = 0.05  # so that no one process gets through the batches alone
    paths = patients_due_at_8(cast, service, 30)
    now = FIRE + dt.timedelta(seconds=2)
    with DispatcherPool(app, 3, batch=2, send_batch=3, timeout=5.0) as pool:
        assert len(set(pool.pids)) == 3 and os.getpid() not in pool.pids
        result = pool.run(now)
        again = pool.run(now)
    assert result.errors == []
    assert result.report.decided == 30 and result.report.outcomes == {"sent": 30}
    assert result.report.sent == len(paths) == 45
    assert sum(1 for r in result.reports if r.decided) >= 2  # the work was shared
    assert Counter(r.path for r in service.received) == Counter(paths)  # each exactly once
    db.session.rollback()  # a new snapshot: the workers wrote through their own engines
    occurrences = db.session.execute(select(Occurrence.reminder_id, Occurrence.outcome)).all()
    assert len(occurrences) == 30 and len({r for r, _ in occurrences}) == 30
    rows = db.session.execute(
        select(Delivery.occurrence_id, Delivery.address_id, Delivery.status, Delivery.attempts)
    ).all()
    assert len(rows) == 45 and len({(o, s) for o, s, _, _ in rows}) == 45
    assert {(status, attempts) for _, _, status, attempts in rows} == {("sent", 1)}
    # a second pass at the same moment finds nothing left to do
    assert (again.report.decided, again.report.sent, again.errors) == (0, 0, [])
    assert len(service.received) == 45


@pytest.mark.slow
def test_closing_the_pool_stops_busy_workers_after_recording_their_pushes(
    app: Flask, cast: Cast, service: FakePushService
):
    service.reset()
    service.latency = 0.5
    patients_due_at_8(cast, service, 24)
    passes = []
    with DispatcherPool(app, 2, batch=1, send_batch=1, timeout=5.0) as pool:
        running = threading.Thread(target=lambda: passes.append(pool.run(FIRE)))
        running.start()
        time.sleep(1.5)  # mid-pass: ~4 batches a worker, 0.5 s each, two in flight
        started = time.monotonic()
        pool.close()
        assert time.monotonic() - started < 10
        running.join(10)
    (result,) = passes
    assert 0 < result.report.decided < 24  # stopped early ...
    db.session.rollback()
    statuses = db.session.scalars(select(Delivery.status)).all()
    # ... with every push it had started answered and recorded, none left leased
    assert statuses and set(statuses) == {"sent"}
    assert len(statuses) == result.report.sent == len(service.received)
    decided = db.session.scalar(select(func.count()).select_from(Occurrence))
    assert decided == result.report.decided


def test_with_one_process_the_scheduler_process_dispatches_itself(
    app: Flask, cast: Cast, service: FakePushService
):
    service.reset()
    paths = patients_due_at_8(cast, service, 3)
    with Dispatchers(app, 1) as dispatchers:
        assert dispatchers.pool is None
        result = dispatchers.run(FIRE + dt.timedelta(seconds=2))
    assert (result.report.decided, result.report.sent) == (3, len(paths))
    assert [w.pid for w in result.workers] == [os.getpid()]
    assert Counter(r.path for r in service.received) == Counter(paths)


def test_an_in_memory_database_is_dispatched_in_one_process():
    assert dispatch_processes({"DATABASE_URL": "sqlite://", "DISPATCH_PROCESSES": 4}) == 1
    assert dispatch_processes({"DATABASE_URL": "sqlite:///:memory:"}, 3) == 1
    assert dispatch_processes({"DATABASE_URL": "sqlite:///file:x?mode=memory&uri=true"}, 3) == 1
    on_file = {"DATABASE_URL": "sqlite:////tmp/x.sqlite3", "DISPATCH_PROCESSES": None}
    assert dispatch_processes(on_file, 3) == 3
    assert 1 <= dispatch_processes(on_file) <= 4
    on_postgresql = {"DATABASE_URL": "postgresql+psycopg://u@h/db", "DISPATCH_PROCESSES": None}
    assert 1 <= dispatch_processes(on_postgresql) <= 8
    assert dispatch_processes({**on_file, "DISPATCH_PROCESSES": 5}) == 5


# --- stopping with the parent ------------------------------------------------------------------


@pytest.fixture(scope="module")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('processes') / 'hep.sqlite3'}"
    upgrade(url)
    return url


def running(pid: int) -> bool:
    """Alive and not a zombie (a dead worker whose new parent has not reaped it yet)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


def all_gone(workers: list[int], seconds: float = 20) -> bool:
    """Whether every worker has exited within `seconds`."""
    deadline = time.monotonic() + seconds
    while any(running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not any(running(pid) for pid in workers)


def reap(parent: subprocess.Popen, workers: list[int]) -> None:
    """Leave no process behind, whatever the test's outcome."""
    if parent.poll() is None:
        parent.kill()
    parent.wait()
    for pid in workers:
        if running(pid):
            os.kill(pid, signal.SIGKILL)


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # as in a terminal, even if we ignore it


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "how", "exit_code"),
    [
        (["dispatch", "--every", "0.2"], signal.SIGTERM, 0),
        (["dispatch", "--every", "0.2"], signal.SIGKILL, -signal.SIGKILL),
        (["scheduler"], signal.SIGTERM, 0),  # how `hep run` stops it
        (["scheduler"], signal.SIGINT, 0),  # Ctrl-C: the whole process group
    ],
    ids=["dispatch-SIGTERM", "dispatch-SIGKILL", "scheduler-SIGTERM", "scheduler-Ctrl-C"],
)
def test_the_workers_exit_when_the_parent_is_stopped_or_killed(
    sqlite_url: str, tmp_path: Path, command: list[str], how: signal.Signals, exit_code: int
):
    app = make_test_app(sqlite_url, tmp_path / "instance")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEP_")}
    env.update(
        HEP_ENV="testing",
        HEP_DATABASE_URL=sqlite_url,
        HEP_INSTANCE_PATH=str(tmp_path / "instance"),
        HEP_VAPID_PRIVATE_KEY=app.config["VAPID_PRIVATE_KEY"],
        HEP_ARGON2_MEMORY_KIB="8",
        HEP_DISPATCH_PROCESSES="2",
    )
    parent = subprocess.Popen(
        [sys.executable, "-m", "hep.cli", *command],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_default_sigint,
    )
    assert parent.stderr is not None
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while not workers and time.monotonic() < deadline:
            line = parent.stderr.readline()
            if not line:
                break
            if "dispatcher processes:" in line:
                workers = [int(pid) for pid in line.rpartition(":")[2].split(",")]
        assert len(workers) == 2 and all(running(pid) for pid in workers)
        time.sleep(0.5)  # a few passes
        if how == signal.SIGINT:
            os.killpg(parent.pid, how)
        else:
            parent.send_signal(how)
        # well inside STOP_GRACE: idle workers leave at once, without being killed
        assert parent.wait(timeout=20) == exit_code
        assert all_gone(workers)
    finally:
        reap(parent, workers)
        parent.stderr.close()


PARENT = """
import datetime as dt, sys
from hep import create_app
from hep.reminders.workers import DispatcherPool
app = create_app()
with DispatcherPool(app, 2, batch=1, send_batch=1, timeout=5.0) as pool:
    print(*pool.pids, flush=True)
    pool.run(dt.datetime.fromisoformat(sys.argv[1]))
"""


@pytest.mark.slow
def test_busy_workers_stop_early_when_the_parent_is_killed_mid_pass(
    app: Flask, cast: Cast, service: FakePushService, database_url: str, tmp_path: Path
):
    service.reset()
    service.latency = 0.5  # a pass over 40 takes ~5 s: 2 workers, 2 batches of 1 in flight
    patients_due_at_8(cast, service, 40)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEP_")}
    env.update(
        HEP_ENV="testing",
        HEP_DATABASE_URL=database_url,
        HEP_INSTANCE_PATH=str(tmp_path),
        HEP_VAPID_PRIVATE_KEY=app.config["VAPID_PRIVATE_KEY"],
        HEP_PUSH_ALLOW_LOOPBACK="1",
        HEP_ARGON2_MEMORY_KIB="8",
    )
    now = (FIRE + dt.timedelta(seconds=2)).isoformat()
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, now], env=env, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    workers = [int(pid) for pid in parent.stdout.readline().split()]
    try:
        assert len(workers) == 2
        deadline = time.monotonic() + 30
        while len(service.received) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        parent.kill()  # mid-pass
        parent.wait(timeout=10)
        assert all_gone(workers)
    finally:
        reap(parent, workers)
        parent.stdout.close()
    db.session.rollback()
    decided = db.session.scalar(select(func.count()).select_from(Occurrence))
    statuses = db.session.scalars(select(Delivery.status)).all()
    assert 0 < decided < 40  # they stopped instead of finishing the pass alone
    assert set(statuses) == {"sent"} and len(statuses) == len(service.received)
