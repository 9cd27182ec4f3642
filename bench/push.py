"""Reminder push throughput: reminders due in one minute, delivered to a loopback HTTPS sink by
the scheduler's dispatcher processes (hep's default count), beside npm web-push and the crypto
floor in the same run; index check; SQLite and PostgreSQL."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import ipaddress
import json
import os
import random
import resource
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from flask import Flask
from pywebpush import WebPusher
from sqlalchemy import Engine, delete, event, func, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

import hep
from hep import create_app
from hep.clock import utcnow
from hep.db import Database
from hep.migrate import upgrade
from hep.models import Delivery, Occurrence, PushSubscription, Reminder, Role, User
from hep.push.keys import b64url_encode, generate_vapid_keys, load_vapid_keys
from hep.push.payload import reminder_payload
from hep.push.vapid import VapidTokenCache
from hep.reminders.claims import claim_reminders
from hep.reminders.dispatch import run_once
from hep.reminders.passes import DispatchSettings
from hep.reminders.workers import (
    MAX_DEFAULT_PROCESSES,
    MAX_DEFAULT_PROCESSES_SQLITE,
    Dispatchers,
    available_cpus,
    default_processes,
    peak_rss_kb,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WEB_PUSH = ROOT / "tests" / "node" / "node_modules" / "web-push" / "package.json"
PG_ADMIN = os.environ.get(
    "HEP_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
SUBJECT = "mailto:bench@hep.example"
BASE_URL = "https://hep.example.org"
SINK_DELAY_MS = 50
PEER_IN_FLIGHT = 256
GRACE_SECONDS = 30 * 60
CHUNK = 5_000
CHILD_TIMEOUT = 300.0
PEER_TIMEOUT = 300.0
INDEX_REPEAT = 9
# hep's defaults, per dispatcher process: a sweep on this 2-core machine (send_batch 500-5000,
# 128-512 in flight; batch 250-1000, which is also the send batch of fresh decisions) found
# nothing better; each connection in flight costs ~0.3 MB of peak RSS
TUNING: dict[str, int] = {"batch": 500, "send_batch": 2000, "max_in_flight": 256}
# the targets of the issue, and how "flat" and "about the same" are read here
TARGET_SECONDS = 60.0
TARGET_VS_PEER = 2.0
FLAT_MEMORY = 1.15  # peak RSS at the large run / at the small run
SAME_TICK = 1.5  # tick over the large store / over the small store


@dataclass(frozen=True)
class Scale:
    """How much work a run does."""

    due: tuple[int, int]  # small and large dispatcher runs (memory must stay flat)
    stored: tuple[int, int]  # reminders stored for the index check
    probe: int  # reminders due in the index check
    floor: int  # messages encrypted for the crypto floor
    peer: int  # messages npm web-push sends (its rate is steady well before 100,000)


FULL = Scale(
    due=(10_000, 100_000), stored=(10_000, 1_000_000), probe=1_000, floor=20_000, peer=30_000
)
QUICK = Scale(due=(1_000, 5_000), stored=(10_000, 50_000), probe=1_000, floor=5_000, peer=5_000)


@dataclass(frozen=True)
class Tls:
    """A self-signed certificate for 127.0.0.1 (generated per run, kept in the temp dir)."""

    cert: Path
    key: Path

    @classmethod
    def create(cls, folder: Path) -> Tls:
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hep bench push sink")])
        now = utcnow()
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.IPv4Address("127.0.0.1"))]),
                critical=False,
            )
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .sign(key, hashes.SHA256())
        )
        tls = cls(folder / "sink-cert.pem", folder / "sink-key.pem")
        tls.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        tls.key.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        return tls


class Sink:
    """The Node push sink in its own process: 201 after SINK_DELAY_MS, counting answers."""

    def __init__(self, tls: Tls, folder: Path) -> None:
        self._log = (folder / "sink.log").open("w")
        self._proc = subprocess.Popen(
            ["node", str(HERE / "push_sink.mjs"), str(tls.cert), str(tls.key), str(SINK_DELAY_MS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline().strip()
        if not line.isdigit():
            self.close()
            raise RuntimeError(f"the push sink did not start; see {folder / 'sink.log'}")
        self.port = int(line)
        self._ssl = ssl.create_default_context(cafile=str(tls.cert))
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=self._ssl)
        )

    def endpoint(self, n: int) -> str:
        return f"https://127.0.0.1:{self.port}/push/{n}"

    def _call(self, path: str, method: str) -> bytes:
        request = urllib.request.Request(
            f"https://127.0.0.1:{self.port}{path}",
            method=method,
            data=b"" if method == "POST" else None,
        )
        with self._opener.open(request, timeout=10) as response:
            body: bytes = response.read()
            return body

    def reset(self) -> None:
        self._call("/_reset", "POST")

    def stats(self) -> dict[str, Any]:
        stats: dict[str, Any] = json.loads(self._call("/_stats", "GET"))
        return stats

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        if self._proc.stdout is not None:
            self._proc.stdout.close()
        self._log.close()


@dataclass(frozen=True)
class Harness:
    """What every measurement of one run shares."""

    folder: Path
    vapid_pem: str
    keys: Sequence[tuple[str, str]]  # one browser key pair per subscription
    tls: Tls
    sink: Sink
    processes: int | None  # dispatcher worker processes; None: hep's default for the engine


def browser_keys(n: int) -> list[tuple[str, str]]:
    """`n` distinct subscriptions' keys as browsers make them: a P-256 point and 16 bytes."""
    rng = random.Random(7)
    keys = []
    for _ in range(n):
        point = (
            ec.generate_private_key(ec.SECP256R1())
            .public_key()
            .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        )
        keys.append((b64url_encode(point), b64url_encode(rng.randbytes(16))))
    return keys


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def sample_payload() -> bytes:
    """A reminder payload exactly as the dispatcher builds one (same size for every message)."""
    occurrence = uuid.uuid4().hex
    return reminder_payload(
        occurrence_id=occurrence,
        reminder_id=uuid.uuid4().hex,
        kind="general",
        navigate_url=f"{BASE_URL}/#/check-in/{occurrence}",
    )


# --- data ------------------------------------------------------------------------------------


def daytime_zone(at: dt.datetime) -> str:
    """A fixed-offset zone where `at` is about noon: the reminders are due in the day, outside
    the quiet hours an account has by default (22:00-07:00), whenever the bench runs."""
    hours = 12 - at.astimezone(dt.UTC).hour  # -11 .. 12; Etc/GMT's sign is reversed
    return "UTC" if hours == 0 else f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}"


def _users(
    prefix: str, start: int, count: int, now: dt.datetime, timezone: str = "UTC"
) -> list[dict[str, Any]]:
    return [
        {
            "id": uuid.uuid4(),
            "email": f"{prefix}{start + i}@bench.example",
            "name": f"Patient {start + i}",
            "role": Role.PATIENT,
            "timezone": timezone,
            "password_hash": None,
            "is_active": True,
            "created_at": now,
        }
        for i in range(count)
    ]


def _reminder(owner: uuid.UUID, fire_at: dt.datetime, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "owner_id": owner,
        "proposed_by": None,
        "label": "",
        "target_kind": "none",
        "habit_id": None,
        "program_id": None,
        "item_keys": None,
        "rule_type": "times",
        "times": [fire_at.strftime("%H:%M")],
        "weekdays": 0b1111111,
        "every_minutes": None,
        "window_start": None,
        "window_end": None,
        "skip_if_done": True,
        "paused_until": None,
        "pause_reason": "",
        "next_fire_at": fire_at,
        "claimed_until": None,
        "created_at": now,
        "updated_at": now,
    }


def add_due_patients(
    session: Session,
    due: dt.datetime,
    count: int,
    prefix: str,
    endpoints: Sequence[str] | None = None,
    keys: Sequence[tuple[str, str]] = (),
) -> list[uuid.UUID]:
    """Patients with one reminder due at `due` each. With `endpoints`, each also gets a push
    subscription and yesterday's occurrence and delivery of the reminder (history, as a
    running site has: without it PostgreSQL plans the dispatcher's queries for empty
    tables). The patients live where `due` is daytime. Returns the reminders' ids."""
    now = due - dt.timedelta(days=2)
    yesterday = due - dt.timedelta(days=1)
    zone = daytime_zone(due)
    ids = []
    for start in range(0, count, CHUNK):
        users = _users(prefix, start, min(CHUNK, count - start), now, zone)
        reminders = [_reminder(u["id"], due, now) for u in users]
        session.execute(insert(User), users)
        session.execute(insert(Reminder), reminders)
        ids += [r["id"] for r in reminders]
        if endpoints is None:
            session.commit()
            continue
        subscriptions = [
            {
                "id": uuid.uuid4(),
                "user_id": u["id"],
                "endpoint": endpoints[start + i],
                "p256dh": keys[start + i][0],
                "auth": keys[start + i][1],
                "created_at": now,
                "last_success_at": yesterday,
            }
            for i, u in enumerate(users)
        ]
        occurrences = [
            {
                "id": uuid.uuid4(),
                "reminder_id": r["id"],
                "owner_id": r["owner_id"],
                "fire_at": yesterday,
                "local_date": yesterday.astimezone(ZoneInfo(zone)).date(),
                "outcome": "sent",
                "push_id": None,
                "decided_at": yesterday,
            }
            for r in reminders
        ]
        deliveries = [
            {
                "id": uuid.uuid4(),
                "occurrence_id": o["id"],
                "channel": "push",
                "address_id": sub["id"],
                "status": "sent",
                "attempts": 1,
                "status_code": 201,
                "last_error": "",
                "next_attempt_at": yesterday,
                "claimed_until": None,
                "expires_at": yesterday + dt.timedelta(seconds=GRACE_SECONDS),
                "created_at": yesterday,
                "updated_at": yesterday,
            }
            for o, sub in zip(occurrences, subscriptions, strict=True)
        ]
        session.execute(insert(PushSubscription), subscriptions)
        session.execute(insert(Occurrence), occurrences)
        session.execute(insert(Delivery), deliveries)
        session.commit()
    return ids


def add_filler(session: Session, base: dt.datetime, start: int, count: int) -> None:
    """`count` reminders that are not due: next_fire_at spread over the next 30 days, 50 per
    patient (the most one patient may have)."""
    rng = random.Random(start)
    now = base - dt.timedelta(days=1)
    per_user = 50
    for first in range(start, start + count, CHUNK):
        n = min(CHUNK, start + count - first)
        users = _users("f", first // per_user, -(-n // per_user), now)
        reminders = [
            _reminder(
                users[i // per_user]["id"],
                base + dt.timedelta(minutes=rng.randint(60, 30 * 24 * 60)),
                now,
            )
            for i in range(n)
        ]
        session.execute(insert(User), users)
        session.execute(insert(Reminder), reminders)
        session.commit()


def copy_filler(session: Session, base: dt.datetime, count: int) -> None:
    """`count` more reminders that are not due, copied with new ids from those stored: the
    database does the work (a million rows in seconds) and next_fire_at keeps its spread."""
    if session.get_bind().dialect.name == "postgresql":
        new_id = func.gen_random_uuid()
    else:  # SQLAlchemy's Uuid on SQLite: 32 lowercase hex digits
        new_id = func.lower(func.hex(func.randomblob(16)))
    columns = [c for c in Reminder.__table__.c if c.key != "id"]
    not_due = Reminder.next_fire_at > base
    added = 0
    while added < count:
        available = session.scalar(select(func.count()).select_from(Reminder).where(not_due))
        n = min(available or 0, count - added)
        source = select(new_id, *columns).where(not_due).limit(n)
        session.connection().execute(
            insert(Reminder).from_select(["id", *(c.key for c in columns)], source)
        )
        session.commit()
        added += n


# --- databases and the app -------------------------------------------------------------------


@contextlib.contextmanager
def temp_database(engine: str, folder: Path) -> Iterator[str]:
    """A new, migrated database; dropped (PostgreSQL) or deleted (SQLite) afterwards."""
    if engine == "sqlite":
        path = folder / f"bench-{uuid.uuid4().hex[:8]}.sqlite3"
        url = f"sqlite:///{path}"
        try:
            upgrade(url)
            yield url
        finally:
            for suffix in ("", "-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
        return
    conninfo = PG_ADMIN.replace("postgresql+psycopg://", "postgresql://")
    name = f"hep_bench_push_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(conninfo, autocommit=True, connect_timeout=3) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            url = f"{PG_ADMIN.rpartition('/')[0]}/{name}"
            upgrade(url)
            yield url
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_available() -> str | None:
    """None if PostgreSQL answers, else why not."""
    conninfo = PG_ADMIN.replace("postgresql+psycopg://", "postgresql://")
    try:
        psycopg.connect(conninfo, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        return str(exc).strip().splitlines()[0]
    return None


def make_app(url: str, folder: Path, vapid_pem: str) -> Flask:
    return create_app(
        {
            "ENV": "testing",
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(folder),
            "PUSH_ALLOW_LOOPBACK": True,
            "VAPID_PRIVATE_KEY": vapid_pem,
            "VAPID_SUBJECT": SUBJECT,
            "BASE_URL": BASE_URL,
            "LOG_LEVEL": "WARNING",
        }
    )


def engine_of(factory: sessionmaker[Session]) -> Engine:
    bind = factory.kw["bind"]
    assert isinstance(bind, Engine)
    return bind


def settle(factory: sessionmaker[Session]) -> None:
    """After a bulk load, do what PostgreSQL's autovacuum would do soon anyway (statistics,
    visibility map), so it does not run during a measurement on this 2-core machine."""
    engine = engine_of(factory)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")


# --- the dispatcher, as the scheduler runs it ------------------------------------------------


def dispatch_child(spec: dict[str, Any]) -> dict[str, Any]:
    """Runs in a subprocess that plays the scheduler process: its dispatcher worker processes
    (`Dispatchers`, as `hep scheduler` starts them) make one pass over everything due."""
    app = make_app(spec["url"], Path(spec["folder"]), spec["vapid_pem"])
    with Dispatchers(app, spec["processes"], **spec["tuning"]) as dispatchers:
        # started and connected before the clock starts (as in a running scheduler)
        started = dispatchers.pool.started if dispatchers.pool else []
        base_rss = max([w.peak_rss_kb for w in started] or [peak_rss_kb()])
        due = dt.datetime.fromisoformat(spec["due"])
        print("ready", flush=True)
        if not sys.stdin.readline():
            raise SystemExit("the benchmark is gone")
        before = resource.getrusage(resource.RUSAGE_SELF)
        started_ms = time.time() * 1000
        t0 = time.perf_counter()
        result = dispatchers.run(due + dt.timedelta(seconds=1))
        seconds = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_SELF)
        processes = dispatchers.processes
    own_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    report = result.report
    return {
        "processes": processes,
        "seconds": seconds,
        "started_ms": started_ms,
        # the workers' CPU in the pass, plus this (scheduler) process's if it dispatched itself
        "cpu": sum(w.cpu_seconds for w in result.workers if w.pid != os.getpid()) + own_cpu,
        "worker_cpu": [round(w.cpu_seconds, 1) for w in result.workers],
        "worker_sent": [r.sent for r in result.reports],
        "base_rss_kb": base_rss,
        "peak_rss_kb": max(w.peak_rss_kb for w in result.workers),
        "decided": report.decided,
        "outcomes": dict(report.outcomes),
        "sent": report.sent,
        "failed": report.failed,
        "retried": report.retried,
        "gone": report.gone,
    }


@dataclass
class DispatchRun:
    """One measured dispatcher run."""

    due: int
    seconds: float
    cpu: float
    base_rss_mb: float
    peak_rss_mb: float
    first_push_after: float
    sent: int
    sink_created: int
    sink_cpu: float
    worker_sent: list[int]
    processes: int

    @property
    def rate(self) -> float:
        return self.sent / self.seconds


def run_dispatchers(h: Harness, url: str, due: dt.datetime, count: int) -> DispatchRun:
    """The scheduler's dispatcher processes make one pass; due->last runs from the pass's
    start to its end (every push answered and recorded)."""
    spec_file = h.folder / "dispatch.json"
    spec = {
        "url": url,
        "folder": str(h.folder),
        "vapid_pem": h.vapid_pem,
        "due": due.isoformat(),
        "tuning": TUNING,
        "processes": h.processes,
    }
    spec_file.write_text(json.dumps(spec))
    sink = h.sink
    sink.reset()
    # aiohttp builds its default SSL context at import: the trust store must be set before;
    # the child imports the same hep as this process (a scratch copy on PYTHONPATH too)
    hep_root = str(Path(hep.__file__).resolve().parent.parent)
    path = os.pathsep.join(p for p in (hep_root, str(ROOT), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "SSL_CERT_FILE": str(h.tls.cert), "PYTHONPATH": path}
    if h.processes is None:  # measure the default, as `hep run` has it
        env.pop("HEP_DISPATCH_PROCESSES", None)
    log = h.folder / "dispatcher.log"
    # `-c`, not this file: the worker processes are spawned and would import __main__ again
    code = "import sys; from bench.push import _dispatch_main; _dispatch_main(sys.argv[1])"
    with log.open("w") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-c", code, str(spec_file)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    watchdog = threading.Timer(CHILD_TIMEOUT, proc.kill)
    watchdog.start()
    try:
        assert proc.stdout is not None and proc.stdin is not None
        if proc.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the dispatcher did not start:\n{_tail([log])}")
        proc.stdin.write("go\n")
        proc.stdin.flush()
        output = proc.communicate()[0]
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    if proc.returncode:
        raise RuntimeError(f"the dispatcher failed:\n{_tail([log])}")
    result = json.loads(output.strip().splitlines()[-1])
    stats = sink.stats()
    sent = result["sent"]
    if sent != count or stats["created"] != count or stats["bad"]:
        raise RuntimeError(
            f"expected {count} deliveries: dispatcher {result}, sink {stats}\n{_tail([log])}"
        )
    return DispatchRun(
        due=count,
        seconds=result["seconds"],
        cpu=result["cpu"],
        base_rss_mb=result["base_rss_kb"] / 1024,
        peak_rss_mb=result["peak_rss_kb"] / 1024,
        first_push_after=(stats["first_ms"] - result["started_ms"]) / 1000,
        sent=sent,
        sink_created=stats["created"],
        sink_cpu=stats["cpu_seconds"],
        worker_sent=result["worker_sent"],
        processes=result["processes"],
    )


def _dispatch_main(spec_file: str) -> None:
    print(json.dumps(dispatch_child(json.loads(Path(spec_file).read_text()))))


def _tail(logs: Sequence[Path]) -> str:
    return "\n".join(log.read_text()[-2000:] for log in logs if log.exists())


def dispatch_at(h: Harness, engine: str, count: int) -> DispatchRun:
    """A fresh database with `count` reminders due this minute, each with a subscription on
    the sink; the dispatcher subprocesses deliver them all."""
    due = utcnow().replace(second=0, microsecond=0)
    with temp_database(engine, h.folder) as url:
        app = make_app(url, h.folder, h.vapid_pem)
        factory = Database.sessionmaker(app)
        t0 = time.perf_counter()
        endpoints = [h.sink.endpoint(i) for i in range(count)]
        with factory() as session:
            add_due_patients(session, due, count, "p", endpoints, h.keys)
        settle(factory)
        engine_of(factory).dispose()
        print(
            f"    stored {count:,} patients, reminders, subscriptions and yesterday's pushes in "
            f"{time.perf_counter() - t0:.1f} s; dispatching...",
            flush=True,
        )
        return run_dispatchers(h, url, due, count)


# --- the index check -------------------------------------------------------------------------


def claim_plan(
    factory: sessionmaker[Session], now: dt.datetime, settings: DispatchSettings
) -> list[str]:
    """The database's plan for the claim query exactly as `claim_reminders` sends it (this
    runs the claim once, capturing its SQL)."""
    engine = engine_of(factory)
    captured: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE REMINDERS"):
            captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", grab)
    try:
        with factory() as session:
            claim_reminders(session, now, settings)
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    statement, parameters = captured[0]
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
        rows = conn.exec_driver_sql(prefix + statement, parameters).all()
        conn.rollback()
    return [str(row[-1]) if sqlite else str(row[0]) for row in rows]


class ClaimTimer:
    """Seconds spent in the reminder claim statement, the part the index serves."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.seconds = 0.0
        self._started = 0.0

    def _before(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        claim = statement.lstrip().upper().startswith("UPDATE REMINDERS SET CLAIMED_UNTIL")
        self._started = time.perf_counter() if claim else 0.0

    def _after(self, *_: Any) -> None:
        if self._started:
            self.seconds += time.perf_counter() - self._started
            self._started = 0.0

    def __enter__(self) -> ClaimTimer:
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)


@dataclass
class IndexCheck:
    """Tick time with `probe` due over two store sizes."""

    stored: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    claim_seconds: list[float] = field(default_factory=list)
    plans: list[list[str]] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.seconds[-1] / self.seconds[0]


def reset_probes(
    factory: sessionmaker[Session], probes: Sequence[uuid.UUID], due: dt.datetime
) -> None:
    """Make the probe reminders due again and forget their earlier decisions."""
    with factory() as session:
        session.execute(delete(Occurrence))
        session.execute(
            update(Reminder)
            .where(Reminder.id.in_(probes))
            .values(next_fire_at=due, claimed_until=None)
        )
        session.commit()


def index_check(h: Harness, engine: str, scale: Scale) -> IndexCheck:
    """One tick (run_once, `probe` due, no subscriptions) over the small and the large store."""
    result = IndexCheck()
    base = utcnow().replace(second=0, microsecond=0)
    with temp_database(engine, h.folder) as url:
        app = make_app(url, h.folder, h.vapid_pem)
        settings = DispatchSettings.from_app(app, **TUNING)
        factory = Database.sessionmaker(app)
        with factory() as session:
            probes = add_due_patients(session, base, scale.probe, "q")
        stored = scale.probe
        for target in scale.stored:
            t0 = time.perf_counter()
            with factory() as session:
                if stored == scale.probe:
                    add_filler(session, base, stored, target - stored)
                else:
                    copy_filler(session, base, target - stored)
            stored = target
            settle(factory)
            print(f"    {stored:,} reminders stored ({time.perf_counter() - t0:.1f} s)", flush=True)
            samples, claims = [], []
            for rep in range(INDEX_REPEAT + 1):
                reset_probes(factory, probes, base)
                with ClaimTimer(engine_of(factory)) as timer:
                    t0 = time.perf_counter()
                    report = run_once(factory, base + dt.timedelta(seconds=1), settings)
                    elapsed = time.perf_counter() - t0
                if report.outcomes != {"no_subscription": scale.probe}:
                    raise RuntimeError(f"index check: unexpected outcomes {report.outcomes}")
                if rep:  # the first is a warm-up
                    samples.append(elapsed)
                    claims.append(timer.seconds)
            result.stored.append(stored)
            result.seconds.append(statistics.median(samples))
            result.claim_seconds.append(statistics.median(claims))
            reset_probes(factory, probes, base)
            result.plans.append(claim_plan(factory, base + dt.timedelta(seconds=1), settings))
        engine_of(factory).dispose()
    return result


# --- the baselines ---------------------------------------------------------------------------


def crypto_floor(keys: Sequence[tuple[str, str]], payload: bytes, n: int) -> float:
    """Messages per second for encryption alone: pywebpush aes128gcm per recipient, VAPID
    header from the cache; no database, no network."""
    tokens = VapidTokenCache(generate_vapid_keys(), SUBJECT)
    origin = "https://127.0.0.1"
    t0 = time.perf_counter()
    for i in range(n):
        p256dh, auth = keys[i % len(keys)]
        tokens.header_for(origin, utcnow())
        subscription = {"endpoint": f"{origin}/push/{i}", "keys": {"p256dh": p256dh, "auth": auth}}
        WebPusher(subscription).encode(payload, content_encoding="aes128gcm")
    return n / (time.perf_counter() - t0)


def web_push_peer(h: Harness, payload: bytes, count: int) -> dict[str, Any]:
    """npm web-push sending the same messages (the first `count`) to the same sink,
    PEER_IN_FLIGHT at once."""
    vapid = load_vapid_keys(h.vapid_pem)
    keys, sink = h.keys[:count], h.sink
    scalar = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    spec = {
        "subscriptions": [
            {"endpoint": sink.endpoint(i), "keys": {"p256dh": p256dh, "auth": auth}}
            for i, (p256dh, auth) in enumerate(keys)
        ],
        "payload": payload.decode(),
        "ttl": GRACE_SECONDS,
        "in_flight": PEER_IN_FLIGHT,
        "vapid": {
            "subject": SUBJECT,
            "public_key": vapid.public_key,
            "private_key": b64url_encode(scalar),
        },
    }
    spec_file = h.folder / "peer.json"
    spec_file.write_text(json.dumps(spec))
    sink.reset()
    done = subprocess.run(
        ["node", str(HERE / "web_push_peer.mjs"), str(spec_file)],
        env={**os.environ, "NODE_EXTRA_CA_CERTS": str(h.tls.cert)},
        capture_output=True,
        text=True,
        timeout=PEER_TIMEOUT,
        check=False,
    )
    spec_file.unlink()
    if done.returncode != 0:
        raise RuntimeError(f"web-push peer failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["sink_created"] = sink.stats()["created"]
    if result["sent"] != len(keys) or result["sink_created"] != len(keys):
        raise RuntimeError(f"web-push peer: {result}")
    return result


# --- output ----------------------------------------------------------------------------------


@dataclass
class EngineResult:
    """Everything measured on one database engine."""

    label: str
    runs: list[DispatchRun]
    index: IndexCheck


def print_runs(runs: Sequence[DispatchRun], peer_rate: float) -> None:
    print(
        f"    {'due':>8} {'procs':>5} {'due->last':>10} {'deliv/s':>8} {'x npm':>6} {'CPU s':>6} "
        f"{'CPU µs/msg':>10} {'peak RSS':>9} {'RSS before':>10} {'1st push':>8} "
        f"{'sink 201':>9} {'sink CPU':>8}  sent per process"
    )
    for r in runs:
        print(
            f"    {r.due:8,} {r.processes:5} {r.seconds:9.1f}s {r.rate:8,.0f} "
            f"{r.rate / peer_rate:5.2f}x "
            f"{r.cpu:6.1f} {r.cpu / r.due * 1e6:10.0f} {r.peak_rss_mb:7.0f}MB "
            f"{r.base_rss_mb:8.0f}MB {r.first_push_after:7.1f}s {r.sink_created:9,} "
            f"{r.sink_cpu:7.1f}s  {' / '.join(f'{n:,}' for n in r.worker_sent)}"
        )


def print_index(check: IndexCheck, probe: int) -> None:
    cells = ", ".join(
        f"{n:,} stored {s * 1000:.0f} ms (claim SQL {c * 1000:.1f} ms)"
        for n, s, c in zip(check.stored, check.seconds, check.claim_seconds, strict=True)
    )
    print(
        f"    tick with {probe:,} due (median of {INDEX_REPEAT}): {cells}; ratio {check.ratio:.2f}"
    )
    plan = check.plans[-1]
    used = any("ix_reminders_next_fire_at" in line for line in plan)
    print(
        f"    claim query plan at {check.stored[-1]:,} stored "
        f"(ix_reminders_next_fire_at used: {'yes' if used else 'NO'}):"
    )
    for line in plan:
        print(f"      {line}")


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def print_summary(results: Sequence[EngineResult], peer_rate: float, floor: float) -> None:
    print("\n== targets")
    labels = [f"{r.label}, {r.runs[-1].processes} processes" for r in results]
    print(f"  {'target':52} " + " ".join(f"{label:>24}" for label in labels))
    rows: list[tuple[str, list[str]]] = []
    cells = []
    for r in results:
        big = r.runs[-1]
        cells.append(f"{big.seconds:.1f} s {verdict(big.seconds <= TARGET_SECONDS)}")
    rows.append((f"{results[0].runs[-1].due:,} delivered within {TARGET_SECONDS:.0f} s", cells))
    cells = []
    for r in results:
        ratio = r.runs[-1].rate / peer_rate
        cells.append(f"{ratio:.2f}x {verdict(ratio >= TARGET_VS_PEER)}")
    rows.append(
        (f"end-to-end rate >= {TARGET_VS_PEER:.0f}x npm web-push ({peer_rate:,.0f}/s)", cells)
    )
    cells = []
    for r in results:
        small, big = r.runs[0], r.runs[-1]
        growth = big.peak_rss_mb / small.peak_rss_mb
        cells.append(
            f"{small.peak_rss_mb:.0f}->{big.peak_rss_mb:.0f} MB {verdict(growth <= FLAT_MEMORY)}"
        )
    rows.append(
        (
            f"peak RSS flat {results[0].runs[0].due:,} -> {results[0].runs[-1].due:,} due "
            f"(<= {FLAT_MEMORY:.2f}x)",
            cells,
        )
    )
    cells = []
    for r in results:
        used = any("ix_reminders_next_fire_at" in line for line in r.index.plans[-1])
        ok = r.index.ratio <= SAME_TICK and used
        cells.append(f"{r.index.ratio:.2f}x {verdict(ok)}")
    stored = results[0].index.stored
    rows.append((f"tick {stored[-1]:,} vs {stored[0]:,} stored (<= {SAME_TICK}x, index)", cells))
    cells = [f"{r.runs[-1].rate / floor:.0%} of floor" for r in results]
    rows.append((f"end-to-end vs crypto floor ({floor:,.0f}/s)", cells))
    for name, values in rows:
        print(f"  {name:52} " + " ".join(f"{v:>24}" for v in values))


# --- main ------------------------------------------------------------------------------------


def run_engine(h: Harness, engine: str, scale: Scale, peer_rate: float) -> EngineResult:
    label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[engine]
    print(f"\n== {label}", flush=True)
    runs = []
    for count in scale.due:
        print(f"  {count:,} due", flush=True)
        runs.append(dispatch_at(h, engine, count))
    print_runs(runs, peer_rate)
    print(
        f"  index check ({scale.probe:,} due; one pass in this process: the claim query and its "
        f"plan are what is measured)",
        flush=True,
    )
    check = index_check(h, engine, scale)
    print_index(check, scale.probe)
    return EngineResult(label, runs, check)


def describe_processes(processes: int | None) -> str:
    if processes:
        return f"{processes} processes (--processes)"
    return (
        f"processes: hep's default (HEP_DISPATCH_PROCESSES unset): the {available_cpus()} CPUs "
        f"available, at most {MAX_DEFAULT_PROCESSES} ({MAX_DEFAULT_PROCESSES_SQLITE} on SQLite)"
        f" = {default_processes('postgresql://')} on PostgreSQL, "
        f"{default_processes('sqlite:///x')} on SQLite"
    )


def run(scale: Scale, engines: Sequence[str], processes: int | None = None) -> None:
    if shutil.which("node") is None or not WEB_PUSH.exists():
        raise SystemExit("push bench needs node and tests/node/node_modules (make bench installs)")
    peer_version = json.loads(WEB_PUSH.read_text())["version"]
    started = time.perf_counter()
    payload = sample_payload()
    largest = max(scale.due)
    print(
        f"push benchmark: reminders due in one minute -> loopback HTTPS sink (201 after "
        f"{SINK_DELAY_MS} ms), {os.cpu_count()} cores\n"
        f"  dispatcher: as `hep run` runs it, the scheduler process's dispatcher worker "
        f"processes (hep.reminders.workers), ready and connected before the clock starts; "
        f"{describe_processes(processes)}\n"
        f"  {', '.join(f'{k}={v}' for k, v in TUNING.items())} per process; payload "
        f"{len(payload)} bytes; TTL {GRACE_SECONDS} s; every subscription has its own P-256 key "
        f"and auth secret",
        flush=True,
    )
    print(
        "  TLS: the sink's self-signed certificate is trusted through SSL_CERT_FILE (dispatcher) "
        "and NODE_EXTRA_CA_CERTS (npm peer); both verify it"
    )
    print(f"  load average before: {load_average()} (a shared machine slows every figure)")
    keys = browser_keys(largest)
    vapid_pem = generate_vapid_keys().private_pem()
    # the index check ticks in this process: keep collections from walking the keys
    gc.collect()
    gc.freeze()
    with tempfile.TemporaryDirectory(prefix="hep-bench-push-") as tmp:
        folder = Path(tmp)
        tls = Tls.create(folder)
        sink = Sink(tls, folder)
        h = Harness(folder, vapid_pem, keys, tls, sink, processes)
        try:
            print("\n== baselines (same sink, no database)", flush=True)
            floor = crypto_floor(keys, payload, scale.floor)
            print(
                f"  crypto floor (pywebpush aes128gcm encode, VAPID cached): "
                f"{scale.floor:,} msgs, {floor:,.0f} msg/s, {1e6 / floor:.0f} µs/msg",
                flush=True,
            )
            peer = web_push_peer(h, payload, scale.peer)
            print(
                f"  npm web-push {peer_version}, {PEER_IN_FLIGHT} in flight, keep-alive: "
                f"{peer['sent']:,} msgs in {peer['seconds']:.1f} s, {peer['rate']:,.0f} msg/s, "
                f"CPU {peer['cpu_seconds']:.1f} s, peak RSS {peer['max_rss_kb'] / 1024:.0f} MB, "
                f"sink 201s {peer['sink_created']:,}",
                flush=True,
            )
            results = []
            for engine in engines:
                if engine == "postgresql" and (why := postgres_available()):
                    print(f"\n== PostgreSQL: skipped, cannot connect ({why})")
                    continue
                results.append(run_engine(h, engine, scale, peer["rate"]))
            if results:
                print_summary(results, peer["rate"], floor)
        finally:
            sink.close()
    print(f"\n  total {time.perf_counter() - started:.0f} s; load average after: {load_average()}")


def main(quick: bool = False) -> None:
    run(QUICK if quick else FULL, ("sqlite", "postgresql"))


def _cli() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.push")
    parser.add_argument("--quick", action="store_true", help="small data, for a smoke run")
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument(
        "--processes",
        type=int,
        help="dispatcher worker processes (default: hep's default, CPUs available, at most 8)",
    )
    for name in TUNING:
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, dest=name)
    args = parser.parse_args()
    TUNING.update({k: getattr(args, k) for k in TUNING if getattr(args, k) is not None})
    run(QUICK if args.quick else FULL, args.engine or ("sqlite", "postgresql"), args.processes)


if __name__ == "__main__":
    _cli()
