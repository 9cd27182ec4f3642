"""Who is calling: the session behind a cookie or bearer token, and role checks for views."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, g, request

from hep.accounts import SessionLifetimes, resolve_token
from hep.clock import utcnow
from hep.db import db
from hep.errors import Forbidden, Unauthorized
from hep.models import AuthSession, Role, User
from hep.passwords import Hasher

F = TypeVar("F", bound=Callable[..., Any])


def cookie_name() -> str:
    # the __Host- prefix pins the cookie to this host, path / and https
    return "__Host-hep_session" if current_app.config["SECURE_COOKIES"] else "hep_session"


def lifetimes() -> SessionLifetimes:
    import datetime as dt

    return SessionLifetimes(
        cookie=dt.timedelta(days=current_app.config["SESSION_DAYS"]),
        token=dt.timedelta(days=current_app.config["API_TOKEN_DAYS"]),
    )


def hasher() -> Hasher:
    found: Hasher = current_app.extensions["hep_hasher"]
    return found


def client_address() -> str:
    return request.remote_addr or "unknown"


def load_principal() -> None:
    """Resolve the caller once per request; nothing is required here, views decide."""
    g.user = None
    g.auth_session = None
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else None
    if token is None:
        token = request.cookies.get(cookie_name())
    if not token:
        return
    found = resolve_token(db.session, token, lifetimes=lifetimes(), now=utcnow())
    if found is None:
        g.auth_failed = True
        return
    g.auth_session, g.user = found
    if db.session.dirty:  # the sliding expiry moved
        db.session.commit()


def current_user() -> User:
    user: User | None = g.get("user")
    if user is None:
        raise Unauthorized("Sign in first." if not g.get("auth_failed") else "Session expired.")
    return user


def current_session() -> AuthSession:
    current_user()
    session: AuthSession = g.auth_session
    return session


def requires(*roles: Role) -> Callable[[F], F]:
    """View decorator: 401 without a live session, 403 for a role not listed."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if roles and user.role not in roles:
                raise Forbidden("Your role cannot do this.")
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def patient_read_by_therapist(patient_id: uuid.UUID, what: str) -> User:
    """The calling therapist's own patient (404 otherwise), with the read written to the
    patient's access log and committed before any data is returned."""
    from hep.care import log_access, patient_of

    therapist = current_user()
    patient = patient_of(db.session, therapist, patient_id)
    log_access(db.session, therapist, [patient.id], what, utcnow())
    db.session.commit()
    return patient
