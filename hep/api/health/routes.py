"""Liveness and readiness: plain JSON for process managers, load balancers and monitoring,
outside the documented API (no sign-in, no body)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from hep import health
from hep.clock import utcnow
from hep.db import Database, set_immediate

blp = Blueprint("health", __name__, url_prefix="/api/health")


@blp.get("")
@blp.get("/live")
def live() -> Response:
    """The process answers (`/api/health` is kept as its older name)."""
    return jsonify(status="ok")


@blp.get("/ready")
def ready() -> tuple[Response, int]:
    """Every check's state; 503 while any fails."""
    set_immediate(False)  # a probe reads only: it must never queue for SQLite's write lock
    with Database.sessionmaker()() as session:
        checks = health.checks(
            session, vapid_key=bool(current_app.config["VAPID_PRIVATE_KEY"]), now=utcnow()
        )
        session.rollback()
    ok = all(check.ok for check in checks)
    body = {
        "status": "ready" if ok else "not ready",
        "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in checks},
    }
    return jsonify(body), 200 if ok else 503
