"""The exercise library."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, requires
from hep.api.exercises.schemas import (
    ExerciseFilter,
    ExerciseIn,
    ExerciseOut,
    ExercisePatch,
)
from hep.clock import utcnow
from hep.db import db
from hep.languages import request_language
from hep.library import copy_exercise, create_exercise, get_visible, search, update_exercise
from hep.models import Role

blp = Blueprint("exercises", __name__, url_prefix="/api/exercises", description="Exercise library")


@blp.route("")
class Exercises(MethodView):
    @blp.arguments(ExerciseFilter, location="query")
    @blp.response(200, ExerciseOut(many=True))
    @requires()
    def get(self, args: dict[str, Any]) -> Any:
        """Search the library: built-ins, your own and those shared with your clinics
        (archived ones only when asked for)"""
        return search(
            db.session,
            current_user(),
            region=args.get("region"),
            category=args.get("category"),
            equipment=args.get("equipment"),
            text=args.get("q"),
            mine=args["mine"],
            archived=args["archived"],
            language=request_language(),
            limit=args["page_size"],
            offset=args["offset"],
        )

    @blp.arguments(ExerciseIn)
    @blp.response(201, ExerciseOut)
    @requires(Role.THERAPIST)
    def post(self, body: dict[str, Any]) -> Any:
        """Add your own exercise (private, or shared with one of your clinics)"""
        exercise = create_exercise(db.session, current_user(), body, utcnow())
        db.session.commit()
        return exercise


@blp.route("/<uuid:exercise_id>")
class Exercise(MethodView):
    @blp.response(200, ExerciseOut)
    @requires()
    def get(self, exercise_id: uuid.UUID) -> Any:
        """One exercise"""
        return get_visible(db.session, current_user(), exercise_id)

    @blp.arguments(ExercisePatch)
    @blp.response(200, ExerciseOut)
    @requires(Role.THERAPIST)
    def patch(self, body: dict[str, Any], exercise_id: uuid.UUID) -> Any:
        """Edit, share, archive or bring back your own exercise (built-ins and colleagues' are
        read-only: copy them)"""
        exercise = update_exercise(db.session, current_user(), exercise_id, body, utcnow())
        db.session.commit()
        return exercise


@blp.route("/<uuid:exercise_id>/copy")
class ExerciseCopy(MethodView):
    @blp.response(201, ExerciseOut)
    @requires(Role.THERAPIST)
    def post(self, exercise_id: uuid.UUID) -> Any:
        """Copy an exercise you see (a built-in, a colleague's) into your own, to adapt it"""
        exercise = copy_exercise(db.session, current_user(), exercise_id, utcnow())
        db.session.commit()
        return exercise
