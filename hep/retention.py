"""Retention: rows that age out (reminder history, finished deliveries, ended sign-ins,
failed sign-ins, the access log) are deleted in small batches, each its own short
transaction, so pruning a backlog of millions never holds a long lock."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, delete, select
from sqlalchemy.orm import Session

from hep.models import (
    AccessLogEntry,
    AuthSession,
    Delivery,
    LoginFailure,
    Occurrence,
    SchedulerHeartbeat,
)

BATCH = 2000
"""Rows per delete: a few milliseconds of lock on either engine."""
FINISHED_DELIVERIES = ("sent", "failed", "gone", "dropped")
HEARTBEATS_KEPT = dt.timedelta(days=1)
# The audit log is kept whole: the database refuses to delete from it (append-only triggers).
# A period for it would go here, with a migration that lets those triggers pass this prune.


@dataclass(frozen=True)
class Retention:
    """How long each kind of row is kept (HEP_RETAIN_*)."""

    occurrences: dt.timedelta
    deliveries: dt.timedelta
    sessions: dt.timedelta
    login_failures: dt.timedelta
    access_log: dt.timedelta

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Retention:
        days = {
            "occurrences": "RETAIN_OCCURRENCES_DAYS",
            "deliveries": "RETAIN_DELIVERIES_DAYS",
            "sessions": "RETAIN_SESSIONS_DAYS",
            "login_failures": "RETAIN_LOGIN_FAILURES_DAYS",
            "access_log": "RETAIN_ACCESS_LOG_DAYS",
        }
        kept = {field: dt.timedelta(days=config[key]) for field, key in days.items()}
        # the sign-in limiter counts failures in its window: never prune inside it
        window = dt.timedelta(seconds=config["LOGIN_WINDOW_SECONDS"])
        kept["login_failures"] = max(kept["login_failures"], window)
        return cls(**kept)


def expired(retention: Retention, now: dt.datetime) -> dict[str, tuple[Table, ColumnElement[bool]]]:
    """Each pruned table and the condition its expired rows meet."""
    return {
        "deliveries": (  # first: an occurrence deleted takes its deliveries with it
            Delivery.__table__,  # type: ignore[dict-item]
            (Delivery.created_at < now - retention.deliveries)
            & Delivery.status.in_(FINISHED_DELIVERIES),
        ),
        "reminder_occurrences": (
            Occurrence.__table__,  # type: ignore[dict-item]
            Occurrence.decided_at < now - retention.occurrences,
        ),
        "auth_sessions": (
            AuthSession.__table__,  # type: ignore[dict-item]
            AuthSession.expires_at < now - retention.sessions,
        ),
        "login_failures": (
            LoginFailure.__table__,  # type: ignore[dict-item]
            LoginFailure.at < now - retention.login_failures,
        ),
        "access_log": (
            AccessLogEntry.__table__,  # type: ignore[dict-item]
            AccessLogEntry.at < now - retention.access_log,
        ),
        "scheduler_heartbeats": (
            SchedulerHeartbeat.__table__,  # type: ignore[dict-item]
            SchedulerHeartbeat.beat_at < now - HEARTBEATS_KEPT,
        ),
    }


def prune_batch(session: Session, table: Table, condition: ColumnElement[bool], batch: int) -> int:
    """Delete up to `batch` expired rows of `table`; rows another transaction holds are
    skipped (a delivery being sent), not waited for. The caller commits."""
    key = next(iter(table.primary_key.columns))
    chosen = select(key).where(condition).limit(batch).with_for_update(skip_locked=True)
    result = session.execute(delete(table).where(key.in_(chosen.scalar_subquery())))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@dataclass
class PruneReport:
    deleted: dict[str, int]
    longest_transaction: float
    finished: bool
    """False when the time budget ran out with expired rows left (the next run goes on)."""


def prune(
    new_session: Callable[[], Session],
    retention: Retention,
    now: dt.datetime,
    *,
    batch: int = BATCH,
    budget_seconds: float = 30.0,
    clock: Callable[[], float] = time.monotonic,
) -> PruneReport:
    """Delete expired rows table by table, one committed batch at a time, until none are
    left or `budget_seconds` have passed."""
    report = PruneReport({}, 0.0, True)
    deadline = clock() + budget_seconds
    for name, (table, condition) in expired(retention, now).items():
        while True:
            if clock() > deadline:
                report.finished = False
                return report
            started = clock()
            with new_session() as session:
                deleted = prune_batch(session, table, condition, batch)
                session.commit()
            report.longest_transaction = max(report.longest_transaction, clock() - started)
            if deleted:
                report.deleted[name] = report.deleted.get(name, 0) + deleted
            if deleted < batch:
                break
    return report
