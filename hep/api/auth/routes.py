"""Sign-up, sign-in, sign-out and bearer tokens."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from hep import audit
from hep.accounts import (
    LoginLimits,
    begin_sign_in,
    create_user,
    end_session,
    finish_sign_in,
    start_session,
)
from hep.api.access import (
    client_address,
    cookie_name,
    current_session,
    hasher,
    lifetimes,
    public,
    requires,
)
from hep.api.auth.schemas import Credentials, SignedIn, SignUp, TokenOut
from hep.clinics import own_clinic
from hep.clock import utcnow
from hep.db import db
from hep.errors import Forbidden, Throttled, Unauthorized
from hep.languages import request_language
from hep.metrics import meters
from hep.models import Role, User
from hep.translations import _

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Sign-up and sign-in")


def _limits() -> LoginLimits:
    import datetime as dt

    cfg = current_app.config
    return LoginLimits(
        per_account=cfg["LOGIN_LIMIT_ACCOUNT"],
        per_address=cfg["LOGIN_LIMIT_ADDRESS"],
        window=dt.timedelta(seconds=cfg["LOGIN_WINDOW_SECONDS"]),
    )


def _authenticate(body: dict[str, Any], kind: str) -> User:
    now = utcnow()
    try:
        attempt = begin_sign_in(
            db.session, email=body["email"], address=client_address(), limits=_limits(), now=now
        )
    except Throttled:
        meters.sign_in_throttled.inc()
        raise
    # the attempt counts against the limits before its password is checked, whatever follows
    db.session.commit()
    try:
        user = finish_sign_in(db.session, attempt, password=body["password"], hasher=hasher())
    except Unauthorized:
        meters.sign_in_failures.inc()
        audit.record(
            db.session,
            "sign_in_failed",
            actor=None,
            subject=attempt.user,
            detail=f"from {client_address()}",
            now=now,
        )
        db.session.commit()
        raise
    audit.record(
        db.session,
        "sign_in",
        actor=user,
        subject=user,
        detail=f"{kind} from {client_address()}",
        now=now,
    )
    return user


def signed_in_response(user: User, status: int) -> Response:
    """Start a cookie session for the user and answer with it set."""
    now = utcnow()
    row, token = start_session(db.session, user, kind="cookie", lifetimes=lifetimes(), now=now)
    db.session.commit()
    response = jsonify(SignedIn().dump({"user": user}))
    response.status_code = status
    response.set_cookie(
        cookie_name(),
        token,
        max_age=int((row.expires_at - now).total_seconds()),
        httponly=True,
        secure=current_app.config["SECURE_COOKIES"],
        samesite="Lax",
        path="/",
    )
    return response


def _sign_up(body: dict[str, Any], role: Role, setting: str) -> Response:
    if not current_app.config[setting]:
        raise Forbidden(_("Sign-up is switched off on this server."))
    now = utcnow()
    body.setdefault("language", request_language())  # the browser's, until the person picks
    user = create_user(db.session, role=role, hasher=hasher(), now=now, **body)
    audit.record(db.session, "account_created", actor=user, subject=user, now=now)
    if role is Role.THERAPIST:
        own_clinic(db.session, user, now)  # a solo practice from the start: a clinic of one
    return signed_in_response(user, 201)


@blp.route("/signup/therapist")
class TherapistSignUp(MethodView):
    @public
    @blp.arguments(SignUp)
    @blp.response(201, SignedIn)
    def post(self, body: dict[str, Any]) -> Response:
        """Create a therapist account and sign in"""
        return _sign_up(body, Role.THERAPIST, "THERAPIST_SIGNUP")


@blp.route("/signup/patient")
class PatientSignUp(MethodView):
    @public
    @blp.arguments(SignUp)
    @blp.response(201, SignedIn)
    def post(self, body: dict[str, Any]) -> Response:
        """Create a patient account (habits without a therapist) and sign in"""
        return _sign_up(body, Role.PATIENT, "PATIENT_SIGNUP")


@blp.route("/login")
class Login(MethodView):
    @public
    @blp.arguments(Credentials)
    @blp.response(200, SignedIn)
    def post(self, body: dict[str, Any]) -> Response:
        """Sign in; sets the session cookie"""
        user = _authenticate(body, "browser")
        return signed_in_response(user, 200)


@blp.route("/logout")
class Logout(MethodView):
    @blp.response(204)
    @requires()
    def post(self) -> Response:
        """Sign out: the session ends on the server and the browser drops its data"""
        end_session(db.session, current_session().id)
        db.session.commit()
        response = Response(status=204)
        response.delete_cookie(
            cookie_name(),
            path="/",
            secure=current_app.config["SECURE_COOKIES"],
            httponly=True,
            samesite="Lax",
        )
        response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response


@blp.route("/tokens")
class Tokens(MethodView):
    @public
    @blp.arguments(Credentials)
    @blp.response(201, TokenOut)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Exchange email and password for a bearer token (API clients)"""
        now = utcnow()
        user = _authenticate(body, "API token")
        row, token = start_session(db.session, user, kind="token", lifetimes=lifetimes(), now=now)
        db.session.commit()
        return {"token": token, "expires_at": row.expires_at, "user": user}
