"""Clinics: their members, invites, caseload and management."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import Response, current_app, jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, requires
from hep.api.clinics.schemas import (
    CaseloadArgs,
    CaseloadOut,
    ClinicChange,
    ClinicIn,
    ClinicInviteIn,
    ClinicInviteOut,
    ClinicOut,
    MemberChange,
    MemberOut,
    SearchArgs,
)
from hep.api.patients.routes import listing_json
from hep.care import log_access
from hep.caseload import clinic_caseload
from hep.clinic_invites import (
    invite_therapist,
    open_clinic_invites,
    resend_clinic_invite,
    revoke_clinic_invite,
)
from hep.clinic_members import change_member, members, remove_member
from hep.clinics import clinic_view, found_clinic, led_clinic, list_clinics, rename_clinic
from hep.clock import utcnow
from hep.db import db
from hep.models import ClinicInvite, Role

blp = Blueprint("clinics", __name__, url_prefix="/api/clinics", description="Clinics")

STAFF = (Role.THERAPIST, Role.ADMIN)


def _invite_lifetime() -> dt.timedelta:
    return dt.timedelta(days=current_app.config["INVITE_DAYS"])


def invite_out(invite: ClinicInvite, code: str | None = None) -> dict[str, Any]:
    base = current_app.config["BASE_URL"].rstrip("/")
    return {
        "id": invite.id,
        "email": invite.email,
        "role": invite.role,
        "created_at": invite.created_at,
        "expires_at": invite.expires_at,
        # the code travels in the fragment, which browsers never send to a server or a log
        "url": f"{base}/#/join-clinic/{code}" if code else None,
    }


@blp.route("")
class Clinics(MethodView):
    @blp.arguments(SearchArgs, location="query")
    @blp.response(200, ClinicOut(many=True))
    @requires(*STAFF)
    def get(self, args: dict[str, Any]) -> Any:
        """Your clinics and your role in each; a site admin: every clinic (search by name)"""
        return list_clinics(
            db.session,
            current_user(),
            text=args.get("q"),
            limit=args["page_size"],
            offset=args["offset"],
        )

    @blp.arguments(ClinicIn)
    @blp.response(201, ClinicOut)
    @requires(*STAFF)
    def post(self, body: dict[str, str]) -> Any:
        """Found a clinic: a therapist becomes its first admin; a site admin makes an empty one
        and invites its first admin"""
        user = current_user()
        founder = user if user.role is Role.THERAPIST else None
        clinic = found_clinic(db.session, body["name"], utcnow(), founder=founder, actor=user)
        db.session.commit()
        return clinic_view(db.session, user, clinic.id)


@blp.route("/<uuid:clinic_id>")
class Clinic(MethodView):
    @blp.response(200, ClinicOut)
    @requires(*STAFF)
    def get(self, clinic_id: uuid.UUID) -> Any:
        """One of your clinics (any clinic for a site admin)"""
        return clinic_view(db.session, current_user(), clinic_id)

    @blp.arguments(ClinicChange)
    @blp.response(200, ClinicOut)
    @requires(*STAFF)
    def patch(self, body: dict[str, str], clinic_id: uuid.UUID) -> Any:
        """Rename a clinic (its admins, site admins)"""
        user = current_user()
        rename_clinic(db.session, user, clinic_id, body["name"], utcnow())
        db.session.commit()
        return clinic_view(db.session, user, clinic_id)


@blp.route("/<uuid:clinic_id>/members")
class Members(MethodView):
    @blp.arguments(SearchArgs, location="query")
    @blp.response(200, MemberOut(many=True))
    @requires(*STAFF)
    def get(self, args: dict[str, Any], clinic_id: uuid.UUID) -> Any:
        """A clinic's therapists by name (search by a part of the name or email)"""
        return members(
            db.session,
            current_user(),
            clinic_id,
            text=args.get("q"),
            limit=args["page_size"],
            offset=args["offset"],
        )


@blp.route("/<uuid:clinic_id>/members/<uuid:user_id>")
class Member(MethodView):
    @blp.arguments(MemberChange)
    @blp.response(200, MemberOut)
    @requires(*STAFF)
    def patch(self, body: dict[str, Any], clinic_id: uuid.UUID, user_id: uuid.UUID) -> Any:
        """Change a member's role (a clinic keeps at least one admin), or disable or enable
        their account (its admins, site admins)"""
        found = change_member(
            db.session,
            current_user(),
            clinic_id,
            user_id,
            role=body.get("role"),
            active=body.get("is_active"),
            now=utcnow(),
        )
        db.session.commit()
        return found

    @blp.response(204)
    @requires(*STAFF)
    def delete(self, clinic_id: uuid.UUID, user_id: uuid.UUID) -> Response:
        """Remove a member (its admins, site admins) or leave (yourself): access to the
        patients cared for under this clinic ends at once"""
        remove_member(db.session, current_user(), clinic_id, user_id, utcnow())
        db.session.commit()
        return Response(status=204)


@blp.route("/<uuid:clinic_id>/invites")
class ClinicInvites(MethodView):
    @blp.response(200, ClinicInviteOut(many=True))
    @requires(*STAFF)
    def get(self, clinic_id: uuid.UUID) -> Any:
        """A clinic's open invites (its admins, site admins)"""
        found = open_clinic_invites(db.session, current_user(), clinic_id, utcnow())
        return [invite_out(invite) for invite in found]

    @blp.arguments(ClinicInviteIn)
    @blp.response(201, ClinicInviteOut)
    @requires(*STAFF)
    def post(self, body: dict[str, Any], clinic_id: uuid.UUID) -> Any:
        """Invite a therapist by link (single use, expires after HEP_INVITE_DAYS); an earlier
        invite to the same address stops working"""
        invite, code = invite_therapist(
            db.session,
            current_user(),
            clinic_id,
            email=body["email"],
            role=body["role"],
            lifetime=_invite_lifetime(),
            now=utcnow(),
        )
        db.session.commit()
        return invite_out(invite, code)


@blp.route("/<uuid:clinic_id>/invites/<uuid:invite_id>")
class ClinicInviteResource(MethodView):
    @blp.response(204)
    @requires(*STAFF)
    def delete(self, clinic_id: uuid.UUID, invite_id: uuid.UUID) -> Response:
        """Withdraw an invite"""
        revoke_clinic_invite(db.session, current_user(), clinic_id, invite_id, utcnow())
        db.session.commit()
        return Response(status=204)


@blp.route("/<uuid:clinic_id>/invites/<uuid:invite_id>/resend")
class ClinicInviteResend(MethodView):
    @blp.response(201, ClinicInviteOut)
    @requires(*STAFF)
    def post(self, clinic_id: uuid.UUID, invite_id: uuid.UUID) -> Any:
        """Send an invite again: a new link; the old one stops working"""
        invite, code = resend_clinic_invite(
            db.session,
            current_user(),
            clinic_id,
            invite_id,
            lifetime=_invite_lifetime(),
            now=utcnow(),
        )
        db.session.commit()
        return invite_out(invite, code)


@blp.route("/<uuid:clinic_id>/caseload")
class Caseload(MethodView):
    @blp.arguments(CaseloadArgs, location="query")
    @blp.response(200, CaseloadOut(many=True))
    @requires(Role.THERAPIST)
    def get(self, args: dict[str, Any], clinic_id: uuid.UUID) -> Any:
        """Every patient cared for under the clinic, with their therapists and attention
        reasons, who needs attention first (its admins only: each read lands in the patients'
        access logs); discharged=true: the discharged ones, by name"""
        admin = current_user()
        led_clinic(db.session, admin, clinic_id)
        now = utcnow()
        rows = clinic_caseload(
            db.session,
            clinic_id,
            now,
            offset=args["offset"],
            limit=args["page_size"],
            discharged=args["discharged"],
        )
        log_access(db.session, admin, [row["id"] for row in rows], "clinic caseload", now)
        db.session.commit()
        return jsonify(listing_json(rows))
