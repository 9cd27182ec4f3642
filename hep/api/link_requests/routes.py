"""Link requests: therapists asking to join your care team, answered in the app."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, requires
from hep.api.care_team.routes import team_out
from hep.api.care_team.schemas import TeamOut
from hep.api.link_requests.schemas import LinkRequestOut
from hep.clock import utcnow
from hep.db import db
from hep.link_requests import accept, decline, open_requests
from hep.models import Role

blp = Blueprint(
    "link_requests",
    __name__,
    url_prefix="/api/me/link-requests",
    description="Therapists asking to join your care team",
)


@blp.route("")
class LinkRequests(MethodView):
    @blp.response(200, LinkRequestOut(many=True))
    @requires(Role.PATIENT)
    def get(self) -> Any:
        """Requests waiting for your answer, newest first"""
        return open_requests(db.session, current_user(), utcnow())


@blp.route("/<uuid:request_id>/accept")
class LinkRequestAcceptance(MethodView):
    @blp.response(200, TeamOut)
    @requires(Role.PATIENT)
    def post(self, request_id: uuid.UUID) -> Any:
        """Accept: the therapist joins your care team (and reads your data from now on)"""
        patient = current_user()
        accept(db.session, patient, request_id, utcnow())
        db.session.commit()
        return team_out(patient.id)


@blp.route("/<uuid:request_id>/decline")
class LinkRequestDecline(MethodView):
    @blp.response(204)
    @requires(Role.PATIENT)
    def post(self, request_id: uuid.UUID) -> Response:
        """Decline: the therapist gets no access"""
        decline(db.session, current_user(), request_id, utcnow())
        db.session.commit()
        return Response(status=204)
