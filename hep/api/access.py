"""Who is calling: the session behind a cookie or bearer token, and role checks for views."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, g, request
from flask_smorest import Blueprint

from hep.accounts import SessionLifetimes, resolve_token
from hep.clock import utcnow
from hep.db import db
from hep.errors import Forbidden, Unauthorized
from hep.models import AuthSession, Role, User
from hep.passwords import Hasher
from hep.translations import _

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
    if isinstance(found, str):
        g.auth_failed = found
        return
    g.auth_session, g.user = found
    if db.session.dirty:  # the sliding expiry moved
        db.session.commit()


# why a request has no signed-in user, as the person is told
SIGN_IN = {
    None: _("Sign in first."),
    "unknown": _("Sign in again."),
    "expired": _("Your session has expired. Sign in again."),
}


def current_user() -> User:
    user: User | None = g.get("user")
    if user is None:
        raise Unauthorized(SIGN_IN[g.get("auth_failed")])
    return user


def current_session() -> AuthSession:
    current_user()
    session: AuthSession = g.auth_session
    return session


@dataclasses.dataclass(frozen=True)
class Access:
    """Who may call a view: anyone (public), or a signed-in user of these roles (all if empty)."""

    public: bool = False
    roles: frozenset[Role] = frozenset()


_MARK = "_hep_access"


def requires(*roles: Role) -> Callable[[F], F]:
    """Mark a view: 401 without a live session, 403 for a role not listed. The request edge
    (enforce_access) checks the mark before any argument is parsed, so a caller who may not
    use an operation learns nothing about its input rules."""

    def decorate(view: F) -> F:
        setattr(view, _MARK, Access(roles=frozenset(roles)))
        return view

    return decorate


def public(view: F) -> F:
    """Mark a view callable without signing in (and document it so)."""
    setattr(view, _MARK, Access(public=True))
    documented: F = Blueprint.doc(security=[])(view)
    return documented


def access_of(view: Callable[..., Any] | None) -> Access | None:
    """The mark of a view function or method (decorators copy it outwards)."""
    found: Access | None = getattr(view, _MARK, None)
    return found


def view_for(endpoint: str | None, method: str) -> Callable[..., Any] | None:
    """The function that would answer `method` at `endpoint`, if any."""
    view = current_app.view_functions.get(endpoint or "")
    view_class = getattr(view, "view_class", None)
    if view_class is None:
        return view
    name = "get" if method == "HEAD" and not hasattr(view_class, "head") else method.lower()
    found: Callable[..., Any] | None = getattr(view_class, name, None)
    return found


def enforce_access() -> None:
    """Authentication, then role, before flask-smorest parses path, query or body. A resource
    view without a mark is treated as needing a session: forgetting one fails closed."""
    if request.endpoint is None or request.method == "OPTIONS":
        return  # no route matched: 404/405 from routing
    view = view_for(request.endpoint, request.method)
    if view is None:
        return
    access = access_of(view)
    if access is None:
        if getattr(current_app.view_functions[request.endpoint], "view_class", None) is None:
            return  # plain functions (health, docs) are outside the resource API
        access = Access()
    if access.public:
        return
    user = current_user()
    if access.roles and user.role not in access.roles:
        raise Forbidden(_("Your role cannot do this."))


def patient_read_by_therapist(patient_id: uuid.UUID, what: str) -> User:
    """The calling therapist's own patient (404 otherwise), with the read written to the
    patient's access log and committed before any data is returned."""
    from hep.care import log_access, patient_of

    therapist = current_user()
    patient = patient_of(db.session, therapist, patient_id)
    log_access(db.session, therapist, [patient.id], what, utcnow())
    db.session.commit()
    return patient
