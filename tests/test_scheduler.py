"""The scheduler's ticks run beside web workers that write, on both engines, and never fail."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Flask

from hep.models import Role
from hep.scheduler import _guarded, access_log, adherence_snapshots, housekeeping
from tests.concurrency.harness import Call, serve
from tests.conftest import PASSWORD, Cast

PATIENTS = 12
WRITERS = 4
DAYS = 4


@pytest.mark.slow
def test_the_ticks_never_fail_while_gunicorn_workers_write(
    app: Flask, cast: Cast, database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    therapist = cast.user(Role.THERAPIST)
    patients = [cast.user(Role.PATIENT) for _ in range(PATIENTS)]
    for patient in patients:
        cast.link(therapist, patient)
    yesterday = str(dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1))
    caplog.set_level(logging.ERROR, logger="hep.scheduler")

    with serve(database_url, tmp_path) as server:
        cookies = [
            server.call(
                Call("POST", "/api/auth/login", {"email": p.email, "password": PASSWORD})
            ).cookie
            for p in patients
        ]
        habits = [server.habit(cookie) for cookie in cookies]
        stop = threading.Event()
        statuses: list[int] = []

        def write(first: int) -> None:
            # each check-in moves its patient's figures (and commits), as phones do all day
            while not stop.is_set():
                for n in range(first, PATIENTS, WRITERS):
                    body = {"habit_id": habits[n], "local_date": yesterday, "state": "done"}
                    call = Call("PUT", f"/api/check-ins/{uuid.uuid4()}", body, cookies[n])
                    statuses.append(server.call(call).status)

        with ThreadPoolExecutor(WRITERS) as pool:
            writers = [pool.submit(write, n) for n in range(WRITERS)]
            try:
                for day in range(1, DAYS + 1):
                    # a later day makes every patient's snapshot stale: the tick rewrites them all
                    for name, tick in (
                        ("adherence snapshots", adherence_snapshots),
                        ("access log", access_log),
                        ("housekeeping", housekeeping),
                    ):
                        _guarded(
                            app,
                            name,
                            lambda a, now, t=tick, d=day: t(a, now + dt.timedelta(days=d)),
                        )()
            finally:
                stop.set()
                for writer in writers:
                    writer.result()
        log = server.log.read_text()

    assert [r.getMessage() for r in caplog.records if r.name == "hep.scheduler"] == []
    assert statuses and set(statuses) == {201}, sorted(set(statuses))
    assert "database is locked" not in log, log[-3000:]
