"""The scheduler process: thin APScheduler ticks over database rows; never inside web workers."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from hep import accounts
from hep.clock import utcnow
from hep.db import db

log = logging.getLogger("hep.scheduler")

# capabilities that need a periodic tick register (name, seconds, function(app, now)) here
Tick = tuple[str, int, Callable[[Flask, dt.datetime], None]]


def housekeeping(app: Flask, now: dt.datetime) -> None:
    """Daily-ish cleanup: expired sessions and old failed-login records."""
    window = dt.timedelta(seconds=app.config["LOGIN_WINDOW_SECONDS"])
    with app.app_context():
        accounts.prune(db.session, window=window, now=now)
        db.session.commit()


def ticks() -> list[Tick]:
    found: list[Tick] = [("housekeeping", 3600, housekeeping)]
    try:
        from hep.reminders.dispatch import TICKS
    except ImportError:
        return found
    return found + list(TICKS)


def _guarded(app: Flask, name: str, fn: Callable[[Flask, dt.datetime], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            fn(app, utcnow())
        except Exception:  # a failed tick must not stop the scheduler; the next one retries
            log.exception("tick %s failed", name)

    return run


def run_scheduler(app: Flask) -> None:
    """Run the ticks forever; rows, not jobs, hold the schedule, so a restart loses nothing."""
    scheduler = BlockingScheduler(timezone=dt.UTC)
    for name, seconds, fn in ticks():
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
    log.info("scheduler started with ticks: %s", ", ".join(n for n, _, _ in ticks()))
    scheduler.start()
