"""Health: is this process able to serve (database reachable, schema at the newest
migration, a scheduler alive, the VAPID key loaded), and the scheduler's heartbeat."""

from __future__ import annotations

import datetime as dt
import os
import socket
from dataclasses import dataclass
from functools import cache

from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from hep.db import dialect_insert
from hep.models import Reminder, SchedulerHeartbeat

HEARTBEAT_SECONDS = 15
"""How often a scheduler process writes its heartbeat."""
HEARTBEAT_STALE = dt.timedelta(seconds=90)
"""A heartbeat older than this means no scheduler is running (six beats missed)."""


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def beat(session: Session, process: str, *, started_at: dt.datetime, now: dt.datetime) -> None:
    """Record that the scheduler `process` is alive at `now`. The caller commits."""
    insert = dialect_insert(session)
    statement = insert(SchedulerHeartbeat).values(
        process=process, started_at=started_at, beat_at=now
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["process"], set_={"beat_at": statement.excluded.beat_at}
        )
    )


def forget(session: Session, process: str) -> None:
    """A scheduler stopping says so, rather than letting its heartbeat go stale."""
    session.execute(delete(SchedulerHeartbeat).where(SchedulerHeartbeat.process == process))


@cache
def head_revision() -> str | None:
    """The newest migration this hep ships (read once: the files do not change while it runs)."""
    from alembic.script import ScriptDirectory

    from hep.migrate import alembic_config

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def heartbeat_age(session: Session, now: dt.datetime) -> dt.timedelta | None:
    """How long ago the newest scheduler heartbeat was written (None: never)."""
    newest = session.scalar(select(func.max(SchedulerHeartbeat.beat_at)))
    if newest is None:
        return None
    if newest.tzinfo is None:  # an aggregate bypasses the column type on SQLite
        newest = dt.datetime.fromisoformat(str(newest)).replace(tzinfo=dt.UTC)
    return now - newest


_UNKNOWN_SCHEDULER = Check("scheduler", False, "unknown: the schema is not at the newest")


def checks(session: Session, *, vapid_key: bool, now: dt.datetime) -> list[Check]:
    """Each readiness check and its state. Read-only; a database that fails answers the
    checks that need it as failed too."""
    found = [Check("vapid_key", vapid_key, "loaded" if vapid_key else "missing: run hep init")]
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        session.rollback()
        reason = f"unreachable ({type(exc).__name__})"
        return [
            Check("database", False, reason),
            Check("migrations", False, "unknown: no database"),
            Check("scheduler", False, "unknown: no database"),
            *found,
        ]
    head = head_revision()
    try:
        current = session.scalar(text("SELECT version_num FROM alembic_version"))
    except SQLAlchemyError:
        session.rollback()
        current = None
    migrations = Check(
        "migrations",
        current == head,
        f"at {current}" if current == head else f"at {current}, newest {head}: run hep migrate",
    )
    try:
        age = heartbeat_age(session, now)
    except SQLAlchemyError:  # a schema too old to have heartbeats
        session.rollback()
        return [Check("database", True, "reachable"), migrations, _UNKNOWN_SCHEDULER, *found]
    if age is None:
        scheduler = Check("scheduler", False, "no scheduler has run: start hep scheduler")
    else:
        seconds = max(0, int(age.total_seconds()))
        scheduler = Check("scheduler", age <= HEARTBEAT_STALE, f"last heartbeat {seconds} s ago")
    return [Check("database", True, "reachable"), migrations, scheduler, *found]


@dataclass(frozen=True)
class Backlog:
    """Reminders due and not yet decided: how many, and how late the oldest is."""

    due: int
    oldest_seconds: float


def backlog(session: Session, now: dt.datetime) -> Backlog:
    count, oldest = session.execute(
        select(func.count(), func.min(Reminder.next_fire_at)).where(Reminder.next_fire_at <= now)
    ).one()
    if oldest is None:
        return Backlog(0, 0.0)
    if oldest.tzinfo is None:
        oldest = dt.datetime.fromisoformat(str(oldest)).replace(tzinfo=dt.UTC)
    return Backlog(int(count), max(0.0, (now - oldest).total_seconds()))
