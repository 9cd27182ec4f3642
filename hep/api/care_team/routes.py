"""A patient's care team: seen by the team and the patient, changed by both."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, patient_read_by_therapist, requires
from hep.api.care_team.schemas import TeamOut, TherapistRef
from hep.care_team import (
    add_colleague,
    patient_removes,
    remove_from_team,
    team,
    transfer_lead,
)
from hep.clock import utcnow
from hep.db import db
from hep.models import Role

blp = Blueprint("care_team", __name__, url_prefix="/api", description="Care teams")


def team_out(patient_id: uuid.UUID) -> dict[str, Any]:
    return {
        "members": team(db.session, patient_id),
        "history": team(db.session, patient_id, history=True),
    }


@blp.route("/patients/<uuid:patient_id>/team")
class PatientTeam(MethodView):
    @blp.response(200, TeamOut)
    @requires(Role.THERAPIST)
    def get(self, patient_id: uuid.UUID) -> Any:
        """Your patient's care team and its history"""
        patient = patient_read_by_therapist(patient_id, "care team")
        return team_out(patient.id)

    @blp.arguments(TherapistRef)
    @blp.response(201, TeamOut)
    @requires(Role.THERAPIST)
    def post(self, body: dict[str, uuid.UUID], patient_id: uuid.UUID) -> Any:
        """Add a therapist of the clinic you care for this patient under to their team"""
        add_colleague(db.session, current_user(), patient_id, body["therapist_id"], utcnow())
        db.session.commit()
        return team_out(patient_id)


@blp.route("/patients/<uuid:patient_id>/team/lead")
class PatientTeamLead(MethodView):
    @blp.arguments(TherapistRef)
    @blp.response(200, TeamOut)
    @requires(Role.THERAPIST)
    def put(self, body: dict[str, uuid.UUID], patient_id: uuid.UUID) -> Any:
        """Hand the lead to another therapist on the team (the lead only)"""
        transfer_lead(db.session, current_user(), patient_id, body["therapist_id"], utcnow())
        db.session.commit()
        return team_out(patient_id)


@blp.route("/patients/<uuid:patient_id>/team/<uuid:therapist_id>")
class PatientTeamMember(MethodView):
    @blp.response(204)
    @requires(Role.THERAPIST)
    def delete(self, patient_id: uuid.UUID, therapist_id: uuid.UUID) -> Response:
        """Leave a patient's team (your own id), or remove a therapist from it as an admin of
        the clinic they care under: their access ends at once; a lead's place passes on"""
        remove_from_team(db.session, current_user(), patient_id, therapist_id, utcnow())
        db.session.commit()
        return Response(status=204)


@blp.route("/me/care-team")
class MyTeam(MethodView):
    @blp.response(200, TeamOut)
    @requires(Role.PATIENT)
    def get(self) -> Any:
        """Your care team (the lead first) and everyone who was on it"""
        return team_out(current_user().id)


@blp.route("/me/care-team/<uuid:therapist_id>")
class MyTeamMember(MethodView):
    @blp.response(204)
    @requires(Role.PATIENT)
    def delete(self, therapist_id: uuid.UUID) -> Response:
        """Remove a therapist from your care team: their access ends at once"""
        patient_removes(db.session, current_user(), therapist_id, utcnow())
        db.session.commit()
        return Response(status=204)
