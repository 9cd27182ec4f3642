"""The scheduler process: thin APScheduler ticks over database rows; never inside web workers."""

from __future__ import annotations

import datetime as dt
import logging
import signal
import time
from collections.abc import Callable
from types import FrameType

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from hep import alerts, care, health, media, messages, progressions, retention, snapshots
from hep.clock import utcnow
from hep.db import db, immediate_transactions
from hep.logs import describe
from hep.mail.outbox import send_pending
from hep.mail.smtp import MailSettings
from hep.metrics import meters
from hep.metrics.exposition import serve as serve_metrics
from hep.reminders.workers import Dispatchers
from hep.retention import Retention

log = logging.getLogger("hep.scheduler")

# capabilities that need a periodic tick register (name, seconds, function(app, now)) here
Tick = tuple[str, int, Callable[[Flask, dt.datetime], None]]


def housekeeping(app: Flask, now: dt.datetime) -> None:
    """Delete what has aged out (HEP_RETAIN_*), batch by batch; a backlog bigger than one
    run's time budget goes on at the next."""
    report = retention.prune(db.sessionmaker(app), Retention.from_config(app.config), now)
    for table, count in report.deleted.items():
        meters.pruned.labels(table).inc(count)
    if report.deleted:
        log.info(
            "retention: deleted %s%s",
            ", ".join(f"{count} {table}" for table, count in report.deleted.items()),
            "" if report.finished else "; more at the next run",
        )
    with app.app_context():
        gone = media.sweep_now(app)
    if gone:
        log.info("media: removed the files of %d deleted uploads", gone)


def heartbeat(app: Flask, now: dt.datetime) -> None:
    """Say this scheduler is alive (the readiness check reads it)."""
    with app.app_context():
        health.beat(db.session, health.this_process(), started_at=now, now=now)
        db.session.commit()


SNAPSHOT_BATCH = 200


def adherence_snapshots(app: Flask, now: dt.datetime) -> None:
    """Recompute stale adherence snapshots of patients with a therapist (after each local
    midnight, or a write nobody has looked at yet), so a therapist's first look at the list in
    the morning does not pay for every patient at once. Bounded per tick; the next goes on."""
    total = 0
    started = time.perf_counter()
    with app.app_context():
        for _ in range(10):
            done = snapshots.refresh_for_therapists(db.session, now, SNAPSHOT_BATCH)
            total += done
            if done < SNAPSHOT_BATCH:
                break
    if total:
        meters.snapshot_refresh_seconds.labels("scheduler").observe(time.perf_counter() - started)
        log.info("adherence snapshots: %d patients recomputed", total)


def access_log(app: Flask, now: dt.datetime) -> None:
    """Spread pending reads of many patients into the per-patient access log, so the table a
    patient's look at the log settles stays small."""
    total = 0
    with app.app_context():
        for _ in range(20):
            spread = care.settle_access_log(db.session)
            db.session.commit()
            total += spread
            if spread < care.SETTLE_BATCH:
                break
    if total:
        log.info("access log: %d pending reads spread", total)


def mail(app: Flask, now: dt.datetime) -> None:
    """Send the account mail waiting in the outbox (verification, reset, invites, digests)."""
    settings = MailSettings.from_config(app.config)
    if settings is None:
        return
    report = send_pending(db.sessionmaker(app), settings, now)
    if report:
        log.info("mail: %s", dict(report))


def attention_alerts(app: Flask, now: dt.datetime) -> None:
    """Tell therapists about patients entering their attention list (push, daily email)."""
    with app.app_context():
        report = alerts.run(db.session, app.config, now)
    if any(report.values()):
        log.info("attention alerts: %s", dict(report))


def message_notices(app: Flask, now: dt.datetime) -> None:
    """Tell patients their care team wrote ("You have a new message", nothing more)."""
    with app.app_context():
        told = messages.notify(db.session, app.config, now)
    if told:
        log.info("message notices: %d patients told", told)


def step_proposals(app: Flask, now: dt.datetime) -> None:
    """Work out progression and regression proposals, every patient with steps in batches
    (a check-in rating an exercise works its patient out at once besides)."""
    with app.app_context():
        report = progressions.run(db.session, now)
    if report:
        log.info("step proposals: %s", dict(report))


DISPATCH_SECONDS = 5


def ticks(dispatchers: Dispatchers) -> list[Tick]:
    return [
        ("heartbeat", health.HEARTBEAT_SECONDS, heartbeat),
        ("housekeeping", 600, housekeeping),
        ("adherence snapshots", 60, adherence_snapshots),
        ("access log", 60, access_log),
        ("mail", 10, mail),
        ("attention alerts", 300, attention_alerts),
        ("step proposals", 3600, step_proposals),
        ("message notices", 30, message_notices),
        ("dispatch", DISPATCH_SECONDS, dispatchers.tick),
    ]


def _guarded(app: Flask, name: str, fn: Callable[[Flask, dt.datetime], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            # ticks read and then write: on SQLite they take the write lock up front, or the
            # upgrade fails at once ("database is locked") while web workers write
            with immediate_transactions():
                fn(app, utcnow())
        except Exception as exc:  # a failed tick must not stop the scheduler; the next retries
            log.error("tick %s failed: %s", name, describe(exc))

    return run


def _leave(signum: int, _frame: FrameType | None) -> None:
    # once: a second SIGTERM (a service manager stopping every process of the service while
    # `hep run` stops its children) must not break into the stop itself
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise SystemExit(0)


def exit_on_sigterm() -> None:
    """SIGTERM leaves through SystemExit, so `with` blocks stop the worker processes."""
    signal.signal(signal.SIGTERM, _leave)


def run_scheduler(app: Flask) -> None:
    """Run the ticks until SIGTERM or Ctrl-C; rows, not jobs, hold the schedule, so a restart
    loses nothing. The dispatch tick runs in HEP_DISPATCH_PROCESSES worker processes, which
    stop with this one (see hep.reminders.workers)."""
    exit_on_sigterm()  # leave through the `with`: workers are stopped
    serve_metrics(app)
    scheduler = BlockingScheduler(timezone=dt.UTC)
    with Dispatchers(app) as dispatchers:
        jobs = ticks(dispatchers)
        for name, seconds, fn in jobs:
            scheduler.add_job(
                _guarded(app, name, fn),
                "interval",
                seconds=seconds,
                id=name,
                next_run_time=utcnow(),
                max_instances=1,
                coalesce=True,
                misfire_grace_time=None,
            )
        log.info(
            "scheduler started with ticks: %s; %d dispatcher process(es)",
            ", ".join(n for n, _, _ in jobs),
            dispatchers.processes,
        )
        try:
            scheduler.start()
        except KeyboardInterrupt:
            pass
        finally:
            if scheduler.running:
                scheduler.shutdown(wait=False)
            _forget_heartbeat(app)


def _forget_heartbeat(app: Flask) -> None:
    try:
        with app.app_context(), immediate_transactions():
            health.forget(db.session, health.this_process())
            db.session.commit()
    except Exception as exc:  # stopping goes on; the heartbeat simply ages
        log.warning("could not remove this scheduler's heartbeat: %s", describe(exc))
