"""Liveness and readiness: each check's state, 503 while one fails."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from hep import health, scheduler
from hep.clock import utcnow
from hep.db import db
from hep.models import SchedulerHeartbeat
from tests.conftest import make_test_app


def _beat(age: dt.timedelta) -> None:
    now = utcnow()
    health.beat(db.session, "host-a:1", started_at=now - age, now=now - age)
    db.session.commit()


def test_liveness_answers_ok_under_both_names(client: FlaskClient):
    for path in ("/api/health/live", "/api/health"):
        r = client.get(path)
        assert (r.status_code, r.get_json()) == (200, {"status": "ok"})


def test_it_is_ready_with_a_fresh_scheduler_heartbeat(client: FlaskClient):
    _beat(dt.timedelta(seconds=10))
    r = client.get("/api/health/ready")
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["status"] == "ready"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "migrations": True,
        "scheduler": True,
        "vapid_key": True,
    }
    assert body["checks"]["migrations"]["detail"] == f"at {health.head_revision()}"


@pytest.mark.parametrize("age", [None, dt.timedelta(minutes=5)], ids=["never", "stale"])
def test_it_is_not_ready_without_a_live_scheduler(client: FlaskClient, age: dt.timedelta | None):
    if age is not None:
        _beat(age)
    r = client.get("/api/health/ready")
    assert r.status_code == 503
    checks = r.get_json()["checks"]
    assert checks["scheduler"]["ok"] is False
    assert checks["database"]["ok"] and checks["migrations"]["ok"]


def test_it_is_not_ready_behind_the_newest_migration(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
):
    _beat(dt.timedelta(0))
    current = health.head_revision()
    monkeypatch.setattr(health, "head_revision", lambda: "9999")
    r = client.get("/api/health/ready")
    assert r.status_code == 503
    assert r.get_json()["checks"]["migrations"] == {
        "ok": False,
        "detail": f"at {current}, newest 9999: run hep migrate",
    }


def test_it_is_not_ready_without_a_vapid_key(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
):
    _beat(dt.timedelta(0))
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", None)
    r = client.get("/api/health/ready")
    assert r.status_code == 503
    assert r.get_json()["checks"]["vapid_key"]["ok"] is False


def test_it_is_not_ready_when_the_database_is_unreachable(tmp_path: Path):
    app = make_test_app(f"sqlite:///{tmp_path / 'missing' / 'hep.sqlite3'}", tmp_path / "i")
    r = app.test_client().get("/api/health/ready")
    assert r.status_code == 503
    checks = r.get_json()["checks"]
    assert checks["database"] == {"ok": False, "detail": "unreachable (OperationalError)"}
    assert not checks["migrations"]["ok"] and not checks["scheduler"]["ok"]
    assert app.test_client().get("/api/health/live").status_code == 200


def test_the_scheduler_beats_and_forgets_its_heartbeat_when_it_stops(app: Flask):
    scheduler.heartbeat(app, utcnow())
    scheduler.heartbeat(app, utcnow())
    process = db.session.scalars(select(SchedulerHeartbeat.process)).all()
    assert process == [health.this_process()]
    db.session.rollback()
    scheduler._forget_heartbeat(app)
    assert db.session.scalar(select(func.count()).select_from(SchedulerHeartbeat)) == 0
