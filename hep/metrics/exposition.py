"""Serving the metrics: every hep process of the host added up (the metrics folder), with
figures read from the database at each scrape (readiness, the due backlog, the scheduler's
heartbeat). Never public by default: `/metrics` answers only a bearer HEP_METRICS_TOKEN, and
HEP_METRICS_LISTEN serves them on an internal address; with neither, `/metrics` is 404."""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from flask import Flask, Response, abort, g, request
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, start_http_server
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from hep import health
from hep.clock import utcnow
from hep.db import Database
from hep.metrics import folder, meters
from hep.web import www_authenticate

log = logging.getLogger("hep.metrics")


class HostCollector(Collector):
    """The metrics of every process of this host: all process groups' folders under the root."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def collect(self) -> Iterable[Metric]:
        for _ in range(3):
            files = sorted(str(p) for p in self.root.glob("*/*.db"))
            try:
                return MultiProcessCollector.merge(files, accumulate=True)
            except FileNotFoundError:  # a folder cleaned meanwhile; read again
                continue
        return []


class ProcessCollector(Collector):
    """This process's metrics, when it keeps them in memory (not in multiprocess mode)."""

    def collect(self) -> Iterable[Metric]:
        return REGISTRY.collect()


class StateCollector(Collector):
    """What the database says at scrape time: each readiness check (1 passing, 0 failing),
    reminders due and not yet decided, and the scheduler heartbeat's age."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterator[Metric]:
        now = utcnow()
        ready = GaugeMetricFamily(
            "hep_ready", "Readiness checks of /api/health/ready, 1 passing", labels=["check"]
        )
        with Database.sessionmaker(self.app)() as session:
            found = health.checks(
                session, vapid_key=bool(self.app.config["VAPID_PRIVATE_KEY"]), now=now
            )
            for check in found:
                ready.add_metric([check.name], 1.0 if check.ok else 0.0)
            yield ready
            if not all(check.ok for check in found[:2]):  # no database, or an old schema
                return
            due = health.backlog(session, now)
            age = health.heartbeat_age(session, now)
            session.rollback()
        yield GaugeMetricFamily(
            "hep_reminders_due", "Reminders due and not yet decided", value=due.due
        )
        yield GaugeMetricFamily(
            "hep_reminders_due_oldest_seconds",
            "How late the oldest reminder due and not yet decided is (0 when none)",
            value=due.oldest_seconds,
        )
        if age is not None:
            yield GaugeMetricFamily(
                "hep_scheduler_heartbeat_age_seconds",
                "Seconds since a scheduler process last wrote its heartbeat",
                value=age.total_seconds(),
            )


def registry(app: Flask) -> CollectorRegistry:
    """The registry a scrape reads, made once per app."""
    found: CollectorRegistry | None = app.extensions.get("hep_metrics")
    if found is None:
        found = CollectorRegistry(auto_describe=False)
        own = folder.current()
        found.register(HostCollector(own.parent) if own is not None else ProcessCollector())
        found.register(StateCollector(app))
        app.extensions["hep_metrics"] = found
    return found


def serve(app: Flask) -> bool:
    """With HEP_METRICS_LISTEN, serve the metrics there from this process (the gunicorn
    master, a scheduler). Every process group of a host serves the same sums, so when the
    address is taken by another, this one leaves it be. True if this process serves."""
    listen = app.config["METRICS_LISTEN"]
    if listen is None:
        return False
    host, port = listen
    engine = Database.sessionmaker(app).kw["bind"]
    # a process that forks later (the gunicorn master) must not hand its connections on
    os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))
    try:
        start_http_server(port, host, registry=registry(app))
    except OSError:
        log.info(
            "metrics: %s:%d is taken (another hep process of this host serves them)", host, port
        )
        return False
    log.info("metrics served at http://%s:%d/metrics", host, port)
    return True


def init_app(app: Flask) -> None:
    """Count and time every request by its URL rule; `/metrics` for a bearer token."""

    @app.before_request
    def _start_clock() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _count(response: Response) -> Response:
        started = g.get("metrics_started")
        if started is not None:
            route = request.url_rule.rule if request.url_rule is not None else "unmatched"
            meters.requests.labels(request.method, route, str(response.status_code)).inc()
            meters.request_seconds.labels(request.method, route).observe(
                time.perf_counter() - started
            )
        return response

    @app.get("/metrics")
    def metrics() -> Response:
        token = app.config["METRICS_TOKEN"]
        if not token:
            abort(404)
        sent = request.headers.get("Authorization", "")
        given = sent[7:].strip() if sent.lower().startswith("bearer ") else ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            return Response(
                "Send the metrics token as a bearer token.\n",
                401,
                {"WWW-Authenticate": www_authenticate()},
                mimetype="text/plain",
            )
        return Response(
            generate_latest(registry(app)), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )
