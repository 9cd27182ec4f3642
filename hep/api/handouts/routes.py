"""A program version as a handout: the words and pictures for the print view, or a PDF."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from hep import media as media_app
from hep.api.access import current_user, requires
from hep.api.handouts.schemas import HandoutArgs, HandoutOut
from hep.clock import utcnow
from hep.db import db
from hep.handouts import Handout, handout
from hep.handouts.pdf import pdf
from hep.media import attachments
from hep.models import Media, Role

blp = Blueprint("handouts", __name__, url_prefix="/api", description="Printable handouts")


def _handout(program_id: uuid.UUID, args: dict[str, int]) -> Handout:
    found = handout(
        db.session,
        current_user(),
        program_id,
        args.get("version"),
        utcnow(),
        base_url=current_app.config["BASE_URL"],
    )
    db.session.commit()  # the access log, before anything is shown
    return found


def _thumbnail(media_id: uuid.UUID) -> tuple[bytes, str]:
    media = db.session.get_one(Media, media_id)
    chunks = media_app.storage().open(attachments.thumbnail_key(media.id), 0, media.thumbnail_size)
    return b"".join(chunks), media.thumbnail_type


@blp.route("/programs/<uuid:program_id>/handout")
class ProgramHandout(MethodView):
    @blp.arguments(HandoutArgs, location="query")
    @blp.response(200, HandoutOut)
    @requires(Role.PATIENT, Role.THERAPIST)
    def get(self, args: dict[str, int], program_id: uuid.UUID) -> Any:
        """A program version's handout (default the current): what the print view shows;
        the patient's and their care team's (a therapist's read is in the access log)"""
        return _handout(program_id, args)


@blp.route("/programs/<uuid:program_id>/handout.pdf")
class ProgramHandoutPdf(MethodView):
    @blp.arguments(HandoutArgs, location="query")
    @blp.doc(
        responses={
            200: {
                "description": "The handout, A4",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    )
    @requires(Role.PATIENT, Role.THERAPIST)
    def get(self, args: dict[str, int], program_id: uuid.UUID) -> Response:
        """The same handout as a PDF to print or send"""
        found = _handout(program_id, args)
        document = pdf(found, _thumbnail)
        name = f"handout-v{found.version}.pdf"
        return Response(
            document,
            mimetype="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{name}"'},
        )
