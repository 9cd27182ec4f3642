"""Sign-in links for locked-out users: made by their therapist or an admin, used once."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from hep.accounts import issue_sign_in_link, open_sign_in_link, use_sign_in_link
from hep.api.access import current_user, hasher, public, requires
from hep.api.auth.routes import signed_in_response
from hep.api.auth.schemas import SignedIn
from hep.api.sign_in_links.schemas import NewPassword, SignInLinkOut, SignInLinkPreview
from hep.care import patient_of
from hep.clinic_members import member_for_sign_in_link
from hep.clock import utcnow
from hep.db import db
from hep.models import Role, SignInLink, User
from hep.roles import account

blp = Blueprint(
    "sign_in_links", __name__, url_prefix="/api", description="Sign-in links for locked-out users"
)


def _issue(user: User, clinic_id: uuid.UUID | None = None) -> dict[str, Any]:
    hours = current_app.config["SIGN_IN_LINK_HOURS"]
    link, code = issue_sign_in_link(
        db.session,
        user,
        issued_by=current_user(),
        lifetime=dt.timedelta(hours=hours),
        now=utcnow(),
        clinic_id=clinic_id,
    )
    db.session.commit()
    return _out(link, code)


def _out(link: SignInLink, code: str) -> dict[str, Any]:
    base = current_app.config["BASE_URL"].rstrip("/")
    # the code travels in the fragment, which browsers never send to a server or a log
    return {"url": f"{base}/#/sign-in-link/{code}", "expires_at": link.expires_at}


@blp.route("/patients/<uuid:patient_id>/sign-in-link")
class PatientSignInLink(MethodView):
    @blp.response(201, SignInLinkOut)
    @requires(Role.THERAPIST)
    def post(self, patient_id: uuid.UUID) -> Any:
        """A fresh sign-in link for your patient (lost password, new phone): they set a new
        password with it; the previous link stops working (HEP_SIGN_IN_LINK_HOURS)"""
        return _issue(patient_of(db.session, current_user(), patient_id))


@blp.route("/admin/users/<uuid:user_id>/sign-in-link")
class AccountSignInLink(MethodView):
    @blp.response(201, SignInLinkOut)
    @requires(Role.ADMIN)
    def post(self, user_id: uuid.UUID) -> Any:
        """A sign-in link for a locked-out user"""
        return _issue(account(db.session, user_id))


@blp.route("/clinics/<uuid:clinic_id>/members/<uuid:user_id>/sign-in-link")
class MemberSignInLink(MethodView):
    @blp.response(201, SignInLinkOut)
    @requires(Role.THERAPIST, Role.ADMIN)
    def post(self, clinic_id: uuid.UUID, user_id: uuid.UUID) -> Any:
        """A sign-in link for a locked-out member (a clinic admin: members of no other clinic)"""
        user = member_for_sign_in_link(db.session, current_user(), clinic_id, user_id)
        return _issue(user, clinic_id)


@blp.route("/sign-in-links/<string(maxlength=64):code>")
class SignInLinkResource(MethodView):
    @public
    @blp.response(200, SignInLinkPreview)
    def get(self, code: str) -> Any:
        """Whose sign-in link this is, before using it"""
        link, user = open_sign_in_link(db.session, code, utcnow())
        return {"name": user.name, "email": user.email, "expires_at": link.expires_at}


@blp.route("/sign-in-links/<string(maxlength=64):code>/accept")
class SignInLinkUse(MethodView):
    @public
    @blp.arguments(NewPassword)
    @blp.response(200, SignedIn)
    def post(self, body: dict[str, str], code: str) -> Response:
        """Set a new password and sign in; every other session ends; the link works once"""
        user = use_sign_in_link(
            db.session, code, password=body["password"], hasher=hasher(), now=utcnow()
        )
        return signed_in_response(user, 200)
