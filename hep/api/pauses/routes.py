"""Pauses of the whole account: start one, say it is over, read them (you and your team)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, patient_read_by_therapist, requires
from hep.api.pauses.schemas import PauseIn, PauseOut
from hep.clock import utcnow
from hep.db import db
from hep.models import Role, User
from hep.pause_periods import pause_view, pauses_of
from hep.pauses import end_pause, start_pause
from hep.timezones import local_date

blp = Blueprint("pauses", __name__, url_prefix="/api", description="Pauses")


def _listed(patient: User) -> list[dict[str, Any]]:
    today = local_date(utcnow(), patient.timezone)
    return [pause_view(p, today) for p in pauses_of(db.session, patient.id)]


@blp.route("/pauses")
class Pauses(MethodView):
    @blp.response(200, PauseOut(many=True))
    @requires(Role.PATIENT)
    def get(self) -> Any:
        """Your pauses, the latest first"""
        return _listed(current_user())

    @blp.arguments(PauseIn)
    @blp.response(201, PauseOut)
    @requires(Role.PATIENT)
    def post(self, body: dict[str, Any]) -> Any:
        """Pause everything for a while: a flare-up (only the exercises kept for one stay
        due), unwell or away (nothing is due, no reminders, scores and streaks wait), or a
        busy week (only the minimum dose); your care team sees it. A pause covering the
        same days ends the day before."""
        patient, now = current_user(), utcnow()
        pause = start_pause(
            db.session,
            patient,
            body["mode"],
            now,
            window_days=current_app.config["CHECKIN_EDIT_DAYS"],
            first_day=body.get("first_day"),
            last_day=body["last_day"],
            note=body["note"],
        )
        db.session.commit()
        return pause_view(pause, local_date(now, patient.timezone))


@blp.route("/pauses/<uuid:pause_id>/end")
class PauseEnd(MethodView):
    @blp.response(200, PauseOut)
    @requires(Role.PATIENT)
    def post(self, pause_id: uuid.UUID) -> Any:
        """It is over: everything is due again from today (safe to repeat)"""
        patient, now = current_user(), utcnow()
        pause = end_pause(db.session, patient, pause_id, now)
        db.session.commit()
        return pause_view(pause, local_date(now, patient.timezone))


@blp.route("/patients/<uuid:patient_id>/pauses")
class PatientPauses(MethodView):
    @blp.response(200, PauseOut(many=True))
    @requires(Role.THERAPIST)
    def get(self, patient_id: uuid.UUID) -> Any:
        """Your patient's pauses, the latest first"""
        return _listed(patient_read_by_therapist(patient_id, "pauses"))
