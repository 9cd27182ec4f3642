"""Today's list and adherence."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import current_app, jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from hep.adherence import in_language, today_view
from hep.api.access import current_user, patient_read_by_therapist, requires
from hep.api.progress.schemas import AdherenceOut, DayArgs, TodayOut
from hep.attention import thresholds_for
from hep.clock import utcnow
from hep.db import db
from hep.guidance import DEFAULT_ADVICE, clinic_advice
from hep.languages import request_language
from hep.models import Role
from hep.snapshots import adherence_document
from hep.steps import changes_of, proposal_view
from hep.timezones import local_date

blp = Blueprint("progress", __name__, url_prefix="/api", description="Today and adherence")


@blp.route("/today")
class Today(MethodView):
    @blp.arguments(DayArgs, location="query")
    @blp.response(200, TodayOut)
    @requires(Role.PATIENT)
    def get(self, args: dict[str, Any]) -> Any:
        """What is due on a day (default: today where you are) and how far along it is, the
        pause of your account that day, the steps your programs took this week, and what to do
        if you log high pain"""
        user, now = current_user(), utcnow()
        day = args.get("date") or local_date(now, user.timezone)
        week_ago = now - dt.timedelta(days=7)
        changes = [proposal_view(p) for p in changes_of(db.session, user.id, limit=5)]
        return today_view(db.session, user, day) | {
            "changes": [c for c in changes if c["decided_at"] >= week_ago],
            "care": {
                "high_pain": thresholds_for(db.session, user.id).high_pain,
                "advice": clinic_advice(db.session, user.id) or DEFAULT_ADVICE,
            },
        }


def _as_json(document: dict[str, Any]) -> dict[str, Any]:
    """The adherence document as its JSON answer (stored as such in the snapshot)."""
    loaded: dict[str, Any] = current_app.json.loads(
        current_app.json.dumps(ADHERENCE.dump(document))
    )
    return loaded


ADHERENCE = AdherenceOut()


@blp.route("/adherence")
class Adherence(MethodView):
    @blp.response(200, AdherenceOut)
    @requires(Role.PATIENT)
    def get(self) -> Any:
        """Your adherence: 7/28-day dose done, active days, strength, streaks, pain trend"""
        user = current_user()
        document = adherence_document(db.session, user, utcnow(), _as_json)
        db.session.commit()
        return jsonify(in_language(db.session, document, request_language()))


@blp.route("/patients/<uuid:patient_id>/adherence")
class PatientAdherence(MethodView):
    @blp.response(200, AdherenceOut)
    @requires(Role.THERAPIST)
    def get(self, patient_id: uuid.UUID) -> Any:
        """A patient's adherence"""
        patient = patient_read_by_therapist(patient_id, "adherence")
        document = adherence_document(db.session, patient, utcnow(), _as_json)
        db.session.commit()
        return jsonify(in_language(db.session, document, request_language()))
