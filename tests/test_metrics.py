"""Metrics: never public by default, a bearer token opens them, requests counted by route."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

from hep import health
from hep.clock import utcnow
from hep.db import db

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
