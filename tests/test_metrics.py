"""Metrics: never public by default, a bearer token opens them, requests counted by route."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import urllib.request
import uuid
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

from hep import health
from hep.clock import utcnow
from hep.config import ConfigError
from hep.db import db
from hep.metrics import folder, meters
from hep.migrate import upgrade
from hep.models import PushSubscription, Role
from hep.reminders.rules import create_reminder
from tests.conftest import NOW, Cast, make_test_app
from tests.push_service import BrowserSubscription, FakePushService, free_port
from tests.test_logs import GUNICORN, _answers, hep_env, push_service, run_hep, wait_for  # noqa: F401

TOKEN = "a-metrics-token-of-some-length"


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a scrape, parsed by prometheus_client's own parser."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_metrics_are_off_by_default(client: FlaskClient):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 404


def test_the_token_is_required(app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", TOKEN)
    for sent in ({}, {"Authorization": "Bearer wrong-token-wrong-token"}):
        r = client.get("/metrics", headers=sent)
        assert r.status_code == 401
        assert r.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_scrape_counts_requests_by_route_and_reads_the_database(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    before = samples(client.get("/metrics", headers=auth).get_data(as_text=True))
    key = (
        "hep_http_requests_total",
        (("method", "GET"), ("route", "/api/reminders/<uuid:reminder_id>"), ("status", "401")),
    )
    for _ in range(3):
        client.get(f"/api/reminders/{uuid.uuid4()}")
    health.beat(db.session, "h:1", started_at=utcnow(), now=utcnow() - dt.timedelta(seconds=30))
    db.session.commit()
    r = client.get("/metrics", headers=auth)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain; version=")
    after = samples(r.get_data(as_text=True))
    assert after[key] - before.get(key, 0) == 3
    latency = ("hep_http_request_duration_seconds_count", key[1][:2])
    assert after[latency] - before.get(latency, 0) == 3
    assert after[("hep_ready", (("check", "scheduler"),))] == 1
    assert after[("hep_reminders_due", ())] == 0
    assert 29 <= after[("hep_scheduler_heartbeat_age_seconds", ())] < 60


def test_sign_in_failures_and_throttles_are_counted(
    app: Flask, client: FlaskClient, cast: Cast, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_ACCOUNT", 2)
    user = cast.user(Role.PATIENT)
    failures, throttled = (
        meters.sign_in_failures._value.get(),
        meters.sign_in_throttled._value.get(),
    )
    statuses = [
        client.post(
            "/api/auth/tokens", json={"email": user.email, "password": "wrong!"}
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [401, 401, 429]
    assert meters.sign_in_failures._value.get() == failures + 2
    assert meters.sign_in_throttled._value.get() == throttled + 1


# --- every process of a host added up -------------------------------------------------------


def scrape(
    url: str, token: str | None = None
) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return samples(response.read().decode())


@pytest.mark.slow
def test_gunicorn_workers_and_dispatcher_processes_add_up(
    tmp_path: Path,
    push_service: FakePushService,  # noqa: F811  (the fixture)
):
    """On SQLite alone: adding up the processes does not depend on the engine."""
    database_url = f"sqlite:///{tmp_path / 'hep.sqlite3'}"
    upgrade(database_url)
    app = make_test_app(database_url, tmp_path / "test-instance")
    browser = BrowserSubscription.create()
    due = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)
    with app.app_context():
        cast = Cast(app)
        for n in range(3):
            patient = cast.user(Role.PATIENT)
            db.session.add(
                PushSubscription(
                    user_id=patient.id,
                    endpoint=push_service.url(f"/push/{n}"),
                    p256dh=browser.p256dh,
                    auth=browser.auth,
                    created_at=NOW,
                )
            )
            reminder = create_reminder(
                db.session, patient, {"rule": {"type": "times", "times": [dt.time(9)]}}, NOW
            )
            reminder.next_fire_at = due
        db.session.commit()

    port, listen = free_port(), free_port()
    instance = tmp_path / "instance"
    env = hep_env(
        database_url,
        instance,
        app.config["VAPID_PRIVATE_KEY"],
        HEP_METRICS_TOKEN=TOKEN,
        HEP_METRICS_LISTEN=f"127.0.0.1:{listen}",
    )
    with (tmp_path / "web.log").open("wb") as out:
        web = subprocess.Popen(
            [*GUNICORN, "--workers", "2", "--bind", f"127.0.0.1:{port}"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(base), 30, "gunicorn to start")
        for _ in range(20):  # spread over both workers by the kernel
            urllib.request.urlopen(base + "/api/health/live", timeout=10).read()
        dispatched = run_hep(env, "dispatch", "--once", "--processes", "2")
        assert dispatched.returncode == 0, dispatched.stderr[-3000:]
        assert len(push_service.received) == 3

        found = scrape(base + "/metrics", TOKEN)
        served = scrape(f"http://127.0.0.1:{listen}/metrics")
    finally:
        web.terminate()
        web.wait(timeout=30)
    live = (
        "hep_http_requests_total",
        (("method", "GET"), ("route", "/api/health/live"), ("status", "200")),
    )
    assert found[live] >= 20  # the start-up probes count too
    workers = {p.name for p in (instance / "metrics").iterdir()}
    assert {w.split("-")[0] for w in workers} == {"web", "dispatch"}
    assert found[("hep_reminders_decided_total", (("outcome", "sent"),))] == 3
    assert found[("hep_deliveries_total", (("channel", "push"), ("status", "sent")))] == 3
    assert found[("hep_dispatch_lag_seconds_count", (("channel", "push"),))] == 3
    assert 4 <= found[("hep_dispatch_lag_seconds_sum", (("channel", "push"),))] / 3 < 120
    assert found[("hep_dispatch_passes_total", (("result", "ok"),))] == 2  # one per process
    assert found[("hep_reminders_due", ())] == 0
    # the master's listener serves the same sums, without a token
    assert served[live] >= found[live]
    assert served[("hep_deliveries_total", (("channel", "push"), ("status", "sent")))] == 3


def test_each_process_group_counts_in_a_clean_folder_and_dead_ones_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(folder, "_prepared", None)
    monkeypatch.setenv(folder.ENV, "")  # restored after the test
    host = socket.gethostname()
    gone = subprocess.Popen(["true"])  # a process id that has just ended
    gone.wait()
    root = tmp_path / "metrics"
    dead = root / f"web-{host}-{gone.pid}"
    alive = root / f"scheduler-{host}-{os.getppid()}"
    elsewhere = root / f"web-otherhost-{gone.pid}"
    for kept in (dead, alive, elsewhere):
        kept.mkdir(parents=True)
        (kept / "counter_1.db").write_bytes(b"")
    own = folder.prepare({"METRICS_DIR": str(root)}, "web")
    assert own == root / f"web-{host}-{os.getpid()}" and own.is_dir()
    assert os.environ[folder.ENV] == str(own) and folder.current() == own
    assert not dead.exists() and alive.exists() and elsewhere.exists()


def test_an_unusable_metrics_folder_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(folder, "_prepared", None)
    with pytest.raises(ConfigError, match="HEP_METRICS_DIR: cannot use /proc/hep-metrics"):
        folder.prepare({"METRICS_DIR": "/proc/hep-metrics"}, "web")
    assert folder.current() is None
