"""This release's migrations on a million rows: a database at the previous release's newest
revision (hep/migrations/releases.json) with 1,000,000 rows in each table the release's
migrations rewrite or index, upgraded one revision at a time on SQLite and PostgreSQL; each
revision's time is printed beside a plain rewrite of the deliveries table in one statement."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from bench.adherence import with_postgres
from bench.retention import days_ago, new_uuid, numbers
from hep.db import make_engine
from hep.migrate import MIGRATIONS, alembic_config, upgrade


def previous_release() -> str:
    releases = json.loads((MIGRATIONS / "releases.json").read_text())
    return str(releases[max(releases, key=lambda v: tuple(map(int, v.split("."))))])


def fill(engine: Engine, rows: int) -> None:
    """Rows at the previous release's schema: a patient's reminder history with a delivery
    each, the access log, failed sign-ins and sessions."""
    pg = engine.dialect.name == "postgresql"
    uid = new_uuid(pg)
    ago = days_ago(pg, "i % 400")
    fire = f"{ago} + i * INTERVAL '1 second'" if pg else f"datetime({ago}, '+' || i || ' seconds')"
    with engine.begin() as conn:
        user, reminder, subscription = (conn.execute(text(f"SELECT {uid}")).scalar() for _ in "123")
        ids = {"u": user, "r": reminder, "s": subscription}
        conn.execute(
            text(
                "INSERT INTO users (id, email, name, role, timezone, is_active, created_at, "
                "stats_version) VALUES (:u, 'm@bench.example', 'M', 'patient', 'UTC', true, "
                f"{days_ago(pg, '500')}, 0)"
            ),
            ids,
        )
        conn.execute(
            text(
                "INSERT INTO reminders (id, owner_id, label, target_kind, rule_type, times, "
                "weekdays, skip_if_done, pause_reason, created_at, updated_at) VALUES "
                f"(:r, :u, '', 'none', 'times', '[]', 127, true, '', {days_ago(pg, '500')}, "
                f"{days_ago(pg, '500')})"
            ),
            ids,
        )
        conn.execute(
            text(
                "INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, created_at) "
                f"VALUES (:s, :u, 'https://fcm.googleapis.com/x', 'p', 'a', {days_ago(pg, '500')})"
            ),
            ids,
        )
        statements = {
            "reminder_occurrences": "INSERT INTO reminder_occurrences (id, reminder_id, "
            "owner_id, fire_at, local_date, outcome, decided_at) "
            f"SELECT {uid}, :r, :u, {fire}, {days_ago(pg, 'i % 400')}, 'sent', {ago} "
            f"FROM {numbers(engine, rows)}",
            "deliveries": "INSERT INTO deliveries (id, occurrence_id, subscription_id, status, "
            "attempts, http_status, last_error, next_attempt_at, expires_at, created_at, "
            f"updated_at) SELECT {uid}, id, :s, 'sent', 1, 201, '', decided_at, decided_at, "
            "decided_at, decided_at FROM reminder_occurrences",
            "access_log": "INSERT INTO access_log (patient_id, actor_name, action, at) "
            f"SELECT :u, 'T', 'adherence', {ago} FROM {numbers(engine, rows)}",
            "login_failures": "INSERT INTO login_failures (key, at) "
            f"SELECT 'address:192.0.2.' || (i % 250), {ago} FROM {numbers(engine, rows)}",
            "auth_sessions": "INSERT INTO auth_sessions (id, user_id, token_hash, kind, "
            f"created_at, last_used_at, expires_at) SELECT {uid}, :u, 'token-' || i, 'cookie', "
            f"{ago}, {ago}, {ago} FROM {numbers(engine, rows)}",
        }
        for table, statement in statements.items():
            started = time.perf_counter()
            conn.execute(text(statement), ids)
            print(f"  {rows:,} rows into {table}: {time.perf_counter() - started:.1f} s")
    if pg:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


def run(label: str, url: str, rows: int) -> None:
    print(f"\n== {label}")
    start = previous_release()
    upgrade(url, start)
    engine = make_engine(url)
    fill(engine, rows)
    started = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(text("UPDATE deliveries SET attempts = attempts"))
    print(
        f"  baseline, every delivery rewritten in one UPDATE: {time.perf_counter() - started:.1f} s"
    )
    engine.dispose()
    config = alembic_config(url)
    script = ScriptDirectory.from_config(config)
    revisions = list(reversed(list(script.walk_revisions(base=start, head="heads"))))
    for revision in revisions:
        if revision.revision == start:
            continue
        started = time.perf_counter()
        command.upgrade(config, revision.revision)
        took = time.perf_counter() - started
        title = (revision.doc or "").splitlines()[0][:60]
        print(f"  {revision.revision} {title}: {took:.1f} s")
    engine = make_engine(url)
    with engine.connect() as conn:
        lost = conn.execute(
            text("SELECT count(*) FROM deliveries WHERE address_id IS NULL")
        ).scalar()
    engine.dispose()
    print(f"  deliveries left without their address: {lost} (expected 0)")


def main(quick: bool = False) -> None:
    rows = 20_000 if quick else 1_000_000
    print(f"migrations benchmark: this release's revisions over {rows:,} rows a table")
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", f"sqlite:///{Path(folder) / 'bench.sqlite3'}", rows)
    with_postgres(lambda url: run("PostgreSQL", url, rows))
