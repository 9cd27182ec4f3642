"""Retention: prune 1,000,000 expired rows (reminder history with a delivery each, access log,
failed sign-ins, ended sessions) beside 100,000 that stay, on SQLite and PostgreSQL; prints the
time, the rows a second and the longest transaction (what any writer may wait behind), beside
a plain single DELETE of the same rows measured in the same run."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from sqlalchemy import ColumnElement, Engine, Table, delete, text
from sqlalchemy.orm import Session, sessionmaker

from bench.adherence import with_postgres
from hep.db import make_engine
from hep.migrate import upgrade
from hep.retention import Retention, expired, prune

NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
PERIODS = Retention(
    occurrences=dt.timedelta(days=400),
    deliveries=dt.timedelta(days=90),
    sessions=dt.timedelta(days=30),
    login_failures=dt.timedelta(days=30),
    access_log=dt.timedelta(days=730),
)


def numbers(engine: Engine, count: int) -> str:
    """A FROM clause of `count` rows numbered i (1..count)."""
    if engine.dialect.name == "postgresql":
        return f"generate_series(1, {count}) AS n(i)"
    return (
        f"(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count}) "
        "SELECT i FROM n)"
    )


def days_ago(pg: bool, days: str) -> str:
    """SQL for NOW less `days` (an SQL expression) days."""
    if pg:
        return f"(TIMESTAMPTZ '{NOW.isoformat()}' - ({days}) * INTERVAL '1 day')"
    return f"datetime('{NOW:%Y-%m-%d %H:%M:%S}', '-' || ({days}) || ' days')"


def new_uuid(pg: bool) -> str:
    return "gen_random_uuid()" if pg else "lower(hex(randomblob(16)))"


def fill(engine: Engine, rows_expired: int, kept: int) -> None:
    """Bulk rows straight in SQL: `expired` past their period, split over the kinds, and
    `kept` recent ones."""
    pg = engine.dialect.name == "postgresql"
    uid = new_uuid(pg)

    ago = partial(days_ago, pg)

    share = rows_expired // 5  # occurrences, their deliveries, access log, failures, sessions
    with engine.begin() as conn:
        user = conn.execute(text(f"SELECT {uid}")).scalar()
        conn.execute(
            text(
                "INSERT INTO users (id, email, name, role, timezone, is_active, created_at, "
                f"stats_version) VALUES (:u, :u || '@bench.example', 'B', 'patient', 'UTC', true, "
                f"{ago('1000')}, 0)"
            ),
            {"u": user},
        )
        reminder = conn.execute(text(f"SELECT {uid}")).scalar()
        conn.execute(
            text(
                "INSERT INTO reminders (id, owner_id, label, target_kind, rule_type, times, "
                "weekdays, skip_if_done, pause_reason, created_at, updated_at) VALUES "
                f"(:r, :u, '', 'none', 'times', '[]', 127, true, '', {ago('1000')}, "
                f"{ago('1000')})"
            ),
            {"r": reminder, "u": user},
        )
        for label, rows, age in (("expired", share, "500 + i % 300"), ("kept", kept, "i % 30")):
            print(f"  inserting {rows:,} {label} occurrences, deliveries, access log rows ...")
            conn.execute(
                text(
                    "INSERT INTO reminder_occurrences (id, reminder_id, owner_id, fire_at, "
                    "local_date, outcome, decided_at) "
                    f"SELECT {uid}, :r, :u, {ago(age)} + i * INTERVAL '1 second', "
                    f"DATE '2024-01-01', 'sent', {ago(age)} FROM {numbers(engine, rows)}"
                    if pg
                    else "INSERT INTO reminder_occurrences (id, reminder_id, owner_id, fire_at, "
                    "local_date, outcome, decided_at) "
                    f"SELECT {uid}, :r, :u, datetime({ago(age)}, '+' || i || ' seconds'), "
                    f"'2024-01-01', 'sent', {ago(age)} FROM {numbers(engine, rows)}"
                ),
                {"r": reminder, "u": user},
            )
            conn.execute(
                text(
                    "INSERT INTO deliveries (id, occurrence_id, channel, address_id, status, "
                    "attempts, last_error, next_attempt_at, expires_at, created_at, updated_at) "
                    f"SELECT {uid}, id, 'push', {uid}, 'sent', 1, '', decided_at, decided_at, "
                    "decided_at, decided_at FROM reminder_occurrences WHERE decided_at "
                    + (f"< {ago('400')}" if label == "expired" else f">= {ago('400')}")
                )
            )
            conn.execute(
                text(
                    "INSERT INTO access_log (patient_id, actor_id, actor_name, action, at) "
                    f"SELECT :u, NULL, 'T', 'adherence', {ago(age.replace('500', '800'))} "
                    f"FROM {numbers(engine, rows)}"
                ),
                {"u": user},
            )
        print(f"  inserting {share:,} failed sign-ins and {share:,} ended sessions ...")
        conn.execute(
            text(
                "INSERT INTO login_failures (key, at) "
                f"SELECT 'address:192.0.2.' || (i % 250), {ago('40 + i % 300')} "
                f"FROM {numbers(engine, share)}"
            )
        )
        conn.execute(
            text(
                "INSERT INTO auth_sessions (id, user_id, token_hash, kind, created_at, "
                "last_used_at, expires_at) "
                f"SELECT {uid}, :u, 'token-' || i, 'cookie', {ago('100')}, {ago('90')}, "
                f"{ago('40 + i % 300')} FROM {numbers(engine, share)}"
            ),
            {"u": user},
        )
    if pg:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


def count(engine: Engine) -> int:
    tables = ("reminder_occurrences", "deliveries", "access_log", "login_failures", "auth_sessions")
    with engine.connect() as conn:
        return sum(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() or 0 for t in tables)


def run(label: str, url: str, expired: int, kept: int) -> None:
    print(f"\n== {label}")
    upgrade(url)
    engine = make_engine(url)
    fill(engine, expired, kept)
    before = count(engine)
    factory: Callable[[], Session] = sessionmaker(engine)
    started = time.perf_counter()
    report = prune(factory, PERIODS, NOW, budget_seconds=3600)
    took = time.perf_counter() - started
    deleted = sum(report.deleted.values())
    print(f"  pruned {deleted:,} of {before:,} rows in {took:.1f} s ({deleted / took:,.0f} rows/s)")
    print(f"  longest transaction: {report.longest_transaction * 1000:.0f} ms")
    print(f"  by table: {report.deleted}; left: {count(engine):,}")
    print("  baseline: the same rows again, one plain DELETE per table")
    fill(engine, expired, 0)
    longest, total = 0.0, time.perf_counter()
    for table, condition in expired_rows(NOW).items():
        started = time.perf_counter()
        with factory() as session:
            session.execute(delete(table).where(condition))
            session.commit()
        longest = max(longest, time.perf_counter() - started)
    took = time.perf_counter() - total
    print(f"  plain DELETEs: {took:.1f} s, longest transaction {longest * 1000:.0f} ms")
    engine.dispose()


def expired_rows(now: dt.datetime) -> dict[Table, ColumnElement[bool]]:
    return dict(expired(PERIODS, now).values())


def main(quick: bool = False) -> None:
    expired, kept = (20_000, 2_000) if quick else (1_000_000, 100_000)
    print(f"retention benchmark: {expired:,} expired rows beside {kept:,} kept")
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", f"sqlite:///{Path(folder) / 'bench.sqlite3'}", expired, kept)
    with_postgres(lambda url: run("PostgreSQL", url, expired, kept))
