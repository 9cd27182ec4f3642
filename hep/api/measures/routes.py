"""Outcome measures: what is scheduled, answering it, and the scores beside adherence."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, patient_read_by_therapist, requires
from hep.api.measures.schemas import AnswerIn, AnswerPath, MeasuresOut, PlanIn, PlanOut, ResponseOut
from hep.clock import utcnow
from hep.db import db
from hep.measures import (
    PlanSpec,
    assign_plan,
    end_plan,
    own_plan,
    plan_view,
    plans_of,
    put_response,
    responses_of,
)
from hep.models import Role, User
from hep.questionnaires import MeasureAnswer
from hep.summaries import weekly_adherence
from hep.timezones import local_date

blp = Blueprint("measures", __name__, url_prefix="/api", description="Outcome measures")

CHART_WEEKS = 26


def measures_of(patient: User, now: dt.datetime) -> dict[str, Any]:
    """Every plan with its answers, and adherence week by week since the first was due (the
    last CHART_WEEKS weeks at most), for charts of scores beside adherence."""
    plans = plans_of(db.session, patient.id)
    responses = responses_of(db.session, patient.id)
    today = local_date(now, patient.timezone)
    earliest = today - dt.timedelta(weeks=CHART_WEEKS - 1)
    start = max(earliest, min((p.first_due for p in plans), default=today))
    return {
        "plans": [plan_view(db.session, p, patient, responses, now) for p in plans],
        "weeks": weekly_adherence(db.session, patient, start, today, now)["weeks"],
    }


@blp.route("/measures")
class Measures(MethodView):
    @blp.response(200, MeasuresOut)
    @requires(Role.PATIENT)
    def get(self) -> Any:
        """Your questionnaires: what is due, your answers and scores, beside adherence"""
        return measures_of(current_user(), utcnow())


@blp.route("/measures/<uuid:plan_id>")
class Measure(MethodView):
    @blp.response(200, PlanOut)
    @requires(Role.PATIENT)
    def get(self, plan_id: uuid.UUID) -> Any:
        """One questionnaire: what it asks, when it is due, your answers"""
        user = current_user()
        plan = own_plan(db.session, user, plan_id)
        return plan_view(db.session, plan, user, responses_of(db.session, user.id), utcnow())


@blp.route("/measures/<string:plan_id>/responses/<string:due_on>")
class Answer(MethodView):
    @blp.arguments(AnswerPath, location="path")
    @blp.arguments(AnswerIn)
    @blp.response(200, ResponseOut, description="replayed unchanged, or changed")
    @blp.alt_response(201, schema=ResponseOut, description="answered")
    @requires(Role.PATIENT)
    def put(self, path: dict[str, Any], answer: MeasureAnswer, plan_id: str, due_on: str) -> Any:
        """Answer the questionnaire due on due_on (while it is the one due); safe to retry"""
        response, created = put_response(
            db.session, current_user(), path["plan_id"], path["due_on"], answer, now=utcnow()
        )
        db.session.commit()
        return response, 201 if created else 200


@blp.route("/patients/<uuid:patient_id>/measures")
class PatientMeasures(MethodView):
    @blp.response(200, MeasuresOut)
    @requires(Role.THERAPIST)
    def get(self, patient_id: uuid.UUID) -> Any:
        """A patient's outcome measures and scores, beside adherence"""
        patient = patient_read_by_therapist(patient_id, "outcome measures")
        return measures_of(patient, utcnow())

    @blp.arguments(PlanIn)
    @blp.response(201, PlanOut)
    @requires(Role.THERAPIST)
    def post(self, spec: PlanSpec, patient_id: uuid.UUID) -> Any:
        """Schedule a measure: a baseline, then every few weeks, each with a reminder"""
        now = utcnow()
        plan = assign_plan(db.session, current_user(), patient_id, spec, now)
        db.session.commit()
        patient = db.session.get_one(User, plan.patient_id)
        return plan_view(db.session, plan, patient, [], now)


@blp.route("/patients/<uuid:patient_id>/measures/<uuid:plan_id>")
class PatientMeasure(MethodView):
    @blp.response(204)
    @requires(Role.THERAPIST)
    def delete(self, patient_id: uuid.UUID, plan_id: uuid.UUID) -> Response:
        """Stop a measure; its answers stay"""
        end_plan(db.session, current_user(), patient_id, plan_id, utcnow())
        db.session.commit()
        return Response(status=204)
