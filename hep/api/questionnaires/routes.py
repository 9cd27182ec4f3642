"""Questionnaires: the built-in measures and the ones you build."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, requires
from hep.api.questionnaires.schemas import LibraryOut, QuestionnaireIn, QuestionnaireOut
from hep.clock import utcnow
from hep.db import db
from hep.models import Role
from hep.questionnaires import (
    BUILT_IN,
    QuestionnaireSpec,
    archive_questionnaire,
    create_questionnaire,
    definition,
    own_questionnaire,
    questionnaires_of,
)

blp = Blueprint("questionnaires", __name__, url_prefix="/api", description="Questionnaires")


@blp.route("/questionnaires")
class Questionnaires(MethodView):
    @blp.response(200, LibraryOut)
    @requires(Role.THERAPIST)
    def get(self) -> Any:
        """The built-in measures and your own questionnaires"""
        return {
            "built_in": [definition(key, None) for key in BUILT_IN],
            "own": questionnaires_of(db.session, current_user()),
        }

    @blp.arguments(QuestionnaireIn)
    @blp.response(201, QuestionnaireOut)
    @requires(Role.THERAPIST)
    def post(self, spec: QuestionnaireSpec) -> Any:
        """Build a questionnaire: 0-10 scales, single or multiple choice, text"""
        questionnaire = create_questionnaire(db.session, current_user(), spec, utcnow())
        db.session.commit()
        return questionnaire


@blp.route("/questionnaires/<uuid:questionnaire_id>")
class QuestionnaireResource(MethodView):
    @blp.response(200, QuestionnaireOut)
    @requires(Role.THERAPIST)
    def get(self, questionnaire_id: uuid.UUID) -> Any:
        """One of your questionnaires"""
        return own_questionnaire(db.session, current_user(), questionnaire_id)

    @blp.response(204)
    @requires(Role.THERAPIST)
    def delete(self, questionnaire_id: uuid.UUID) -> Response:
        """Archive a questionnaire: no new plans use it; patients who answer it go on"""
        archive_questionnaire(db.session, current_user(), questionnaire_id, utcnow())
        db.session.commit()
        return Response(status=204)
