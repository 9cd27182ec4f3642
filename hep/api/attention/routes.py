"""A patient's attention panel: why they need a look, acknowledging it, the alert history."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from hep.acknowledgements import acknowledge, attention_view
from hep.api.access import current_user, patient_read_by_therapist, requires
from hep.api.attention.schemas import AcknowledgementIn, AcknowledgementOut, AttentionOut
from hep.clock import utcnow
from hep.db import db
from hep.models import Role

blp = Blueprint("attention", __name__, url_prefix="/api", description="Attention")


@blp.route("/patients/<uuid:patient_id>/attention")
class PatientAttention(MethodView):
    @blp.response(200, AttentionOut)
    @requires(Role.THERAPIST)
    def get(self, patient_id: uuid.UUID) -> Any:
        """Why your patient needs attention now (open reasons first), the thresholds in force,
        their pause, acknowledgements and the alerts you were given"""
        patient = patient_read_by_therapist(patient_id, "attention")
        found = attention_view(db.session, current_user(), patient, utcnow())
        db.session.commit()
        return found


@blp.route("/patients/<uuid:patient_id>/acknowledgements")
class Acknowledgements(MethodView):
    @blp.arguments(AcknowledgementIn, required=False)
    @blp.response(201, AcknowledgementOut)
    @requires(Role.THERAPIST)
    def post(self, body: dict[str, Any], patient_id: uuid.UUID) -> Any:
        """Acknowledge your patient's reasons with a note: they leave the top of the list
        until something new happens"""
        found = acknowledge(db.session, current_user(), patient_id, body["note"], utcnow())
        db.session.commit()
        return found
