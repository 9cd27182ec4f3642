"""Clinic invite links: preview and accept (with an existing therapist account or a new one)."""

from __future__ import annotations

from typing import Any

from flask import Response, g, jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import hasher, public
from hep.api.auth.routes import signed_in_response
from hep.api.auth.schemas import SignedIn
from hep.api.clinic_invites.schemas import ClinicInviteAcceptance, ClinicInvitePreview
from hep.clinic_invites import accept_clinic_invite, preview_clinic_invite
from hep.clock import utcnow
from hep.db import db
from hep.languages import request_language

blp = Blueprint(
    "clinic_invites",
    __name__,
    url_prefix="/api/clinic-invites",
    description="Invites to join a clinic",
)


@blp.route("/<string(maxlength=64):code>")
class ClinicInvite(MethodView):
    @public
    @blp.response(200, ClinicInvitePreview)
    def get(self, code: str) -> Any:
        """What a clinic invite is for, before accepting it"""
        invite, clinic, inviter = preview_clinic_invite(db.session, code, utcnow())
        return {
            "clinic_name": clinic.name,
            "invited_by": inviter,
            "email": invite.email,
            "role": invite.role,
            "expires_at": invite.expires_at,
        }


@blp.route("/<string(maxlength=64):code>/accept")
class ClinicInviteUse(MethodView):
    @public
    @blp.arguments(ClinicInviteAcceptance, required=False)
    @blp.response(200, SignedIn)
    def post(self, body: dict[str, Any], code: str) -> Response:
        """Join the clinic: signed in as a therapist, with that account; otherwise a new
        therapist account with the invited address (name and password), signed in. The link
        works once."""
        user, _, created = accept_clinic_invite(
            db.session,
            code,
            user=g.get("user"),
            name=body.get("name"),
            password=body.get("password"),
            timezone=body["timezone"],
            language=body.get("language") or request_language(),
            hasher=hasher(),
            now=utcnow(),
        )
        if created:
            return signed_in_response(user, 200)  # commits with the session
        db.session.commit()
        return jsonify(SignedIn().dump({"user": user}))
