"""A therapist's patients: add (or ask to link an existing account), invite, list (active or
discharged), read."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import current_app, jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, hasher, patient_read_by_therapist, requires
from hep.api.patients.schemas import (
    InviteOut,
    NewPatient,
    PatientInvited,
    PatientListArgs,
    PatientOut,
)
from hep.care import log_access
from hep.caseload import Narrowing, patient_list
from hep.clock import utcnow
from hep.db import db
from hep.invites import add_patient, resend_invite
from hep.models import Invite, Role, User

blp = Blueprint("patients", __name__, url_prefix="/api/patients", description="Your patients")


def invite_url(code: str) -> str:
    # the code travels in the fragment, which browsers never send to a server or a log
    return f"{current_app.config['BASE_URL'].rstrip('/')}/#/invite/{code}"


def patient_view(patient: User) -> dict[str, Any]:
    return {
        "id": patient.id,
        "name": patient.name,
        "email": patient.email,
        "timezone": patient.timezone,
        "invite_accepted": patient.password_hash is not None,
        "created_at": patient.created_at,
    }


def listing_json(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The list as PatientOut dumps it, without marshmallow's per-field cost on every visit
    (tests hold the two equal). Converts the rows in place."""
    for row in rows:
        row["id"] = str(row["id"])
        row["invite_accepted"] = bool(row["invite_accepted"])
        row["created_at"] = row["created_at"].isoformat()
        for name in ("last_activity_at", "discharged_at", "acknowledged_at"):
            moment = row[name]
            row[name] = moment.isoformat() if moment else None
    return rows


def invite_view(invite: Invite, code: str) -> dict[str, Any]:
    return {"url": invite_url(code), "expires_at": invite.expires_at}


def _invite_lifetime() -> dt.timedelta:
    return dt.timedelta(days=current_app.config["INVITE_DAYS"])


@blp.route("")
class Patients(MethodView):
    @blp.arguments(PatientListArgs, location="query")
    @blp.response(200, PatientOut(many=True))
    @requires(Role.THERAPIST)
    def get(self, page: dict[str, Any]) -> Any:
        """Your patients, who needs attention first (most open reasons: high pain, a flare-up,
        not logging, ...; acknowledged ones count after), then by name; discharged=true: your
        discharged patients, by name; q and reason narrow the list (a part of the name or
        email, an attention reason that holds)"""
        therapist = current_user()
        now = utcnow()
        rows = patient_list(
            db.session,
            therapist,
            now,
            offset=page["offset"],
            limit=page["page_size"],
            discharged=page["discharged"],
            narrowing=Narrowing(page["q"], page.get("reason")),
        )
        log_access(db.session, therapist, [row["id"] for row in rows], "patient list", now)
        db.session.commit()
        return jsonify(listing_json(rows))

    @blp.arguments(NewPatient)
    @blp.response(201, PatientInvited)
    @requires(Role.THERAPIST)
    def post(self, body: dict[str, Any]) -> Any:
        """Add a patient and get a link to send them: a new address gets an account to set a
        password for; an address with an account gets a link request to accept in the app.
        The answer is the same either way (it never tells whether an account exists)."""
        added = add_patient(
            db.session,
            current_user(),
            hasher=hasher(),
            invite_lifetime=_invite_lifetime(),
            now=utcnow(),
            **body,
        )
        db.session.commit()
        patient = {
            "id": added.patient_id,
            "name": added.name,
            "email": added.email,
            "timezone": added.timezone,
            "invite_accepted": False,
            "created_at": added.created_at,
        }
        return {"patient": patient, "invite": invite_view(added.invite, added.code)}


@blp.route("/<uuid:patient_id>")
class Patient(MethodView):
    @blp.response(200, PatientOut)
    @requires(Role.THERAPIST)
    def get(self, patient_id: uuid.UUID) -> Any:
        """One of your patients"""
        patient = patient_read_by_therapist(patient_id, "patient profile")
        return patient_view(patient)


@blp.route("/<uuid:patient_id>/invite")
class PatientInvite(MethodView):
    @blp.response(201, InviteOut)
    @requires(Role.THERAPIST)
    def post(self, patient_id: uuid.UUID) -> Any:
        """Send a new invite link (or link request); the previous one stops working"""
        invite, code = resend_invite(
            db.session,
            current_user(),
            patient_id,
            invite_lifetime=_invite_lifetime(),
            now=utcnow(),
        )
        db.session.commit()
        return invite_view(invite, code)
