"""Check-ins, their edit trail, and the pain diary."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, patient_read_by_therapist, requires
from hep.api.checkins.schemas import (
    CheckInIn,
    CheckInOut,
    DayPath,
    EditOut,
    PainIn,
    PainOut,
    RangeArgs,
)
from hep.checkins import (
    CONTENT,
    change_kind,
    delete_check_in,
    edit_trail,
    history,
    pain_diary,
    pain_view,
    put_check_in,
    put_pain,
    subject_names,
)
from hep.clock import utcnow
from hep.db import db
from hep.errors import Invalid
from hep.guidance import guidance
from hep.languages import request_language
from hep.models import CheckIn, Role, User
from hep.progressions import after_check_in
from hep.timezones import local_date
from hep.translations import _

blp = Blueprint("checkins", __name__, url_prefix="/api", description="Check-ins and pain diary")


def _window() -> int:
    days: int = current_app.config["CHECKIN_EDIT_DAYS"]
    return days


def _range(user: User, args: dict[str, dt.date]) -> tuple[dt.date, dt.date]:
    end = args.get("end") or local_date(utcnow(), user.timezone)
    start = args.get("start") or end - dt.timedelta(days=27)
    if start > end or (end - start).days > 366:
        raise Invalid.field("start", _("Give a range of at most a year, start before end."))
    return start, end


def _edits(user: User, args: dict[str, dt.date]) -> list[dict[str, Any]]:
    start, end = _range(user, args)
    trail = edit_trail(db.session, user.id, start, end)
    names = subject_names(db.session, [check_in for _first, check_in in trail], request_language())
    return [
        {
            "check_in_id": check_in.client_id,
            "action": edit.action,
            "change": change_kind(edit, check_in, user.timezone),
            "local_date": check_in.local_date,
            "subject": names.get(check_in.id),
            "before": edit.before,
            "after": edit.after,
            "at": edit.at,
            "by_patient": edit.editor_id == user.id,
        }
        for edit, check_in in trail
    ]


ANSWERED = ("client_id", "item_key", "habit_id", *CONTENT, "created_at", "updated_at")


def _answer(check_in: CheckIn, advice: dict[str, Any] | None) -> dict[str, Any]:
    """A check-in as answered, with the guidance its pain calls for (if any)."""
    return {name: getattr(check_in, name) for name in ANSWERED} | {"guidance": advice}


@blp.route("/check-ins/<uuid:client_id>")
class CheckInResource(MethodView):
    @blp.arguments(CheckInIn)
    @blp.response(200, CheckInOut, description="replayed unchanged, or edited")
    @blp.alt_response(201, schema=CheckInOut, description="created")
    @requires(Role.PATIENT)
    def put(self, body: dict[str, Any], client_id: uuid.UUID) -> Any:
        """Log or correct a check-in; safe to retry with the same id. Pain at or above your
        threshold answers with guidance (stop, and what to do) and tells your care team."""
        patient, now = current_user(), utcnow()
        result = put_check_in(db.session, patient, client_id, body, now=now, window_days=_window())
        db.session.commit()
        check_in = result.check_in
        if check_in.item_key is not None and (check_in.pain or check_in.difficulty):
            # a rated session may earn (or call for) a step of its exercise: worked out now
            after_check_in(db.session, patient, check_in.item_key, now)
            db.session.commit()
        answer = _answer(check_in, guidance(db.session, patient, check_in.pain, check_in.item_key))
        return answer, 201 if result.created else 200

    @blp.response(204)
    @requires(Role.PATIENT)
    def delete(self, client_id: uuid.UUID) -> Response:
        """Delete a check-in; a later replay of it will not bring it back"""
        delete_check_in(db.session, current_user(), client_id, now=utcnow(), window_days=_window())
        db.session.commit()
        return Response(status=204)


@blp.route("/check-ins")
class CheckIns(MethodView):
    @blp.arguments(RangeArgs, location="query")
    @blp.response(200, CheckInOut(many=True))
    @requires(Role.PATIENT)
    def get(self, args: dict[str, dt.date]) -> Any:
        """Your check-ins over a date range (default: the last 28 days)"""
        user = current_user()
        return history(db.session, user.id, *_range(user, args))


@blp.route("/check-ins/edits")
class CheckInEdits(MethodView):
    @blp.arguments(RangeArgs, location="query")
    @blp.response(200, EditOut(many=True))
    @requires(Role.PATIENT)
    def get(self, args: dict[str, dt.date]) -> Any:
        """The edit trail of your check-ins"""
        return _edits(current_user(), args)


@blp.route("/patients/<uuid:patient_id>/check-ins")
class PatientCheckIns(MethodView):
    @blp.arguments(RangeArgs, location="query")
    @blp.response(200, CheckInOut(many=True))
    @requires(Role.THERAPIST)
    def get(self, args: dict[str, dt.date], patient_id: uuid.UUID) -> Any:
        """A patient's check-ins"""
        patient = patient_read_by_therapist(patient_id, "check-ins")
        return history(db.session, patient.id, *_range(patient, args))


@blp.route("/patients/<uuid:patient_id>/check-ins/edits")
class PatientCheckInEdits(MethodView):
    @blp.arguments(RangeArgs, location="query")
    @blp.response(200, EditOut(many=True))
    @requires(Role.THERAPIST)
    def get(self, args: dict[str, dt.date], patient_id: uuid.UUID) -> Any:
        """The edit trail of a patient's check-ins"""
        return _edits(patient_read_by_therapist(patient_id, "check-in edits"), args)


@blp.route("/pain/<string:day>")
class PainDay(MethodView):
    @blp.arguments(DayPath, location="path")
    @blp.arguments(PainIn)
    @blp.response(200, PainOut)
    @blp.alt_response(201, schema=PainOut)
    @requires(Role.PATIENT)
    def put(self, path: dict[str, dt.date], body: dict[str, Any], day: str) -> Any:
        """Record the day's pain (0-10, body regions, note); replaces that day's entry. A score
        at or above your threshold answers with guidance and tells your care team."""
        patient = current_user()
        entry, created = put_pain(
            db.session, patient, path["day"], body, now=utcnow(), window_days=_window()
        )
        db.session.commit()
        answer = pain_view(entry) | {"guidance": guidance(db.session, patient, entry.score)}
        return answer, 201 if created else 200


@blp.route("/pain")
class Pain(MethodView):
    @blp.arguments(RangeArgs, location="query")
    @blp.response(200, PainOut(many=True))
    @requires(Role.PATIENT)
    def get(self, args: dict[str, dt.date]) -> Any:
        """Your pain diary"""
        user = current_user()
        return [pain_view(e) for e in pain_diary(db.session, user.id, *_range(user, args))]


@blp.route("/patients/<uuid:patient_id>/pain")
class PatientPain(MethodView):
    @blp.arguments(RangeArgs, location="query")
    @blp.response(200, PainOut(many=True))
    @requires(Role.THERAPIST)
    def get(self, args: dict[str, dt.date], patient_id: uuid.UUID) -> Any:
        """A patient's pain diary"""
        patient = patient_read_by_therapist(patient_id, "pain diary")
        return [pain_view(e) for e in pain_diary(db.session, patient.id, *_range(patient, args))]
