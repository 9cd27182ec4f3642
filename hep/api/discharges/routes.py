"""Discharge and re-admission of a patient, and their history."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, patient_read_by_therapist, requires
from hep.api.discharges.schemas import DischargeIn, DischargeOut
from hep.clock import utcnow
from hep.db import db
from hep.discharges import discharge, discharges_of, readmit
from hep.models import Role

blp = Blueprint("discharges", __name__, url_prefix="/api", description="Discharges")


@blp.route("/patients/<uuid:patient_id>/discharge")
class Discharge(MethodView):
    @blp.arguments(DischargeIn, required=False)
    @blp.response(201, DischargeOut)
    @requires(Role.THERAPIST)
    def post(self, body: dict[str, str], patient_id: uuid.UUID) -> Any:
        """Discharge your patient with a note: their programs end (reminders for them stop),
        they move to the discharged list; their own habits and reminders carry on"""
        found = discharge(db.session, current_user(), patient_id, body["note"], utcnow())
        db.session.commit()
        return found


@blp.route("/patients/<uuid:patient_id>/readmission")
class Readmission(MethodView):
    @blp.response(200, DischargeOut)
    @requires(Role.THERAPIST)
    def post(self, patient_id: uuid.UUID) -> Any:
        """Re-admit a discharged patient: back on the attention list, and the programs the
        discharge ended run to their old end dates again"""
        found = readmit(db.session, current_user(), patient_id, utcnow())
        db.session.commit()
        return found


@blp.route("/patients/<uuid:patient_id>/discharges")
class PatientDischarges(MethodView):
    @blp.response(200, DischargeOut(many=True))
    @requires(Role.THERAPIST)
    def get(self, patient_id: uuid.UUID) -> Any:
        """Your patient's discharges, newest first"""
        patient = patient_read_by_therapist(patient_id, "discharges")
        return discharges_of(db.session, patient.id)


@blp.route("/me/discharges")
class MyDischarges(MethodView):
    @blp.response(200, DischargeOut(many=True))
    @requires(Role.PATIENT)
    def get(self) -> Any:
        """Your discharges, newest first, with the notes"""
        return discharges_of(db.session, current_user().id)
