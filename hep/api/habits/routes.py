"""Habits: your own, suggested ones, and the starter set."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, patient_read_by_therapist, requires
from hep.api.habits.schemas import HabitIn, HabitOut, HabitPatch, StarterOut
from hep.clock import utcnow
from hep.db import db
from hep.habits import (
    STARTERS,
    add_starter,
    archive_habit,
    create_habit,
    habits_of,
    starter,
    suggest_habit,
    suggested_habit,
    update_habit,
)
from hep.languages import request_language
from hep.models import Role

blp = Blueprint("habits", __name__, url_prefix="/api", description="Habits")


@blp.route("/habits")
class Habits(MethodView):
    @blp.response(200, HabitOut(many=True))
    @requires(Role.PATIENT)
    def get(self) -> Any:
        """Your habits"""
        return habits_of(db.session, current_user().id)

    @blp.arguments(HabitIn)
    @blp.response(201, HabitOut)
    @requires(Role.PATIENT)
    def post(self, body: dict[str, Any]) -> Any:
        """Add a habit"""
        habit = create_habit(db.session, current_user(), body, utcnow())
        db.session.commit()
        return habit


@blp.route("/habits/<uuid:habit_id>")
class HabitResource(MethodView):
    @blp.arguments(HabitPatch)
    @blp.response(200, HabitOut)
    @requires(Role.PATIENT)
    def patch(self, body: dict[str, Any], habit_id: uuid.UUID) -> Any:
        """Change a habit"""
        habit = update_habit(db.session, current_user(), habit_id, body)
        db.session.commit()
        return habit

    @blp.response(204)
    @requires(Role.PATIENT)
    def delete(self, habit_id: uuid.UUID) -> Response:
        """Stop a habit (its history stays)"""
        archive_habit(db.session, current_user(), habit_id, utcnow())
        db.session.commit()
        return Response(status=204)


@blp.route("/habits/starters")
class Starters(MethodView):
    @blp.response(200, StarterOut(many=True))
    @requires()
    def get(self) -> Any:
        """The starter set: lifestyle habits that ease muscle tension"""
        language = request_language()
        return [dict(slug=slug, **starter(slug, language)) for slug in STARTERS]


@blp.route("/habits/starters/<string(maxlength=40):slug>")
class StarterAdoption(MethodView):
    @blp.response(201, HabitOut)
    @requires(Role.PATIENT)
    def post(self, slug: str) -> Any:
        """Add a starter habit in one tap"""
        habit = add_starter(db.session, current_user(), slug, utcnow())
        db.session.commit()
        return habit


@blp.route("/patients/<uuid:patient_id>/habits/<uuid:habit_id>")
class PatientHabit(MethodView):
    @blp.arguments(HabitPatch)
    @blp.response(200, HabitOut)
    @requires(Role.THERAPIST)
    def patch(self, body: dict[str, Any], patient_id: uuid.UUID, habit_id: uuid.UUID) -> Any:
        """Change a habit suggested to your patient (one they chose is theirs: 403)"""
        patient, habit = suggested_habit(db.session, current_user(), patient_id, habit_id)
        changed = update_habit(db.session, patient, habit.id, body)
        db.session.commit()
        return changed

    @blp.response(204)
    @requires(Role.THERAPIST)
    def delete(self, patient_id: uuid.UUID, habit_id: uuid.UUID) -> Response:
        """Stop a habit suggested to your patient (its history stays)"""
        patient, habit = suggested_habit(db.session, current_user(), patient_id, habit_id)
        archive_habit(db.session, patient, habit.id, utcnow())
        db.session.commit()
        return Response(status=204)


@blp.route("/patients/<uuid:patient_id>/habits")
class PatientHabits(MethodView):
    @blp.response(200, HabitOut(many=True))
    @requires(Role.THERAPIST)
    def get(self, patient_id: uuid.UUID) -> Any:
        """A patient's habits"""
        patient = patient_read_by_therapist(patient_id, "habits")
        return habits_of(db.session, patient.id)

    @blp.arguments(HabitIn)
    @blp.response(201, HabitOut)
    @requires(Role.THERAPIST)
    def post(self, body: dict[str, Any], patient_id: uuid.UUID) -> Any:
        """Suggest a habit to your patient"""
        habit = suggest_habit(db.session, current_user(), patient_id, body, utcnow())
        db.session.commit()
        return habit
