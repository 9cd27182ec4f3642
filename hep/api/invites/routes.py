"""Invite links: preview and accept."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import hasher, public
from hep.api.auth.routes import signed_in_response
from hep.api.auth.schemas import SignedIn
from hep.api.invites.schemas import Acceptance, InvitePreview
from hep.clock import utcnow
from hep.db import db
from hep.invites import accept_invite, preview_invite
from hep.languages import request_language

blp = Blueprint("invites", __name__, url_prefix="/api/invites", description="Invite links")


@blp.route("/<string(maxlength=64):code>")
class Invite(MethodView):
    @public
    @blp.response(200, InvitePreview)
    def get(self, code: str) -> Any:
        """What an invite is for, before accepting it"""
        invite, patient, therapist = preview_invite(db.session, code, utcnow())
        # a link request shows the name the therapist typed, never the account's own
        return {
            "patient_name": invite.name or patient.name,
            "therapist_name": therapist.name,
            "email": patient.email,
            "expires_at": invite.expires_at,
        }


@blp.route("/<string(maxlength=64):code>/accept")
class InviteAcceptance(MethodView):
    @public
    @blp.arguments(Acceptance)
    @blp.response(200, SignedIn)
    def post(self, body: dict[str, str], code: str) -> Response:
        """Accept an invite: set your password and sign in (a link request's code answers
        409: its account signs in and answers the request in the app)"""
        patient = accept_invite(
            db.session,
            code,
            password=body["password"],
            timezone=body.get("timezone"),
            language=body.get("language") or request_language(),
            hasher=hasher(),
            now=utcnow(),
        )
        return signed_in_response(patient, 200)
