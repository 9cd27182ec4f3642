"""hep program files: a program's or template's version exported as a file, a file imported
as a new template, and the format's JSON Schema."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response, jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, public, requires
from hep.api.portable.schemas import FILE_ANSWER, FILE_BODY, ExportArgs, ImportArgs
from hep.api.templates.routes import template_out
from hep.api.templates.schemas import TemplateOut
from hep.care import log_access
from hep.clock import utcnow
from hep.db import db
from hep.errors import Invalid
from hep.models import Role
from hep.portable import export_program, export_template, import_template, schema
from hep.programs import program_for_patient, program_for_therapist, view
from hep.templates import template_of
from hep.templates import view as template_view
from hep.translations import _

blp = Blueprint("portable", __name__, url_prefix="/api", description="Program files")


def _file(document: dict[str, Any], name: str) -> Response:
    response = jsonify(document)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.hep.json"'
    return response


@blp.route("/program-format/schema.json")
class ProgramFormat(MethodView):
    @blp.doc(
        responses={
            200: {
                "description": "JSON Schema (draft 2020-12) of the hep program file",
                "content": {"application/schema+json": {"schema": {"type": "object"}}},
            }
        }
    )
    @public
    def get(self) -> Response:
        """The hep program file format (version 1), as a JSON Schema"""
        response = jsonify(schema())
        response.mimetype = "application/schema+json"
        return response


@blp.route("/programs/<uuid:program_id>/export")
class ProgramExport(MethodView):
    @blp.arguments(ExportArgs, location="query")
    @blp.doc(responses={200: FILE_ANSWER})
    @requires(Role.PATIENT, Role.THERAPIST)
    def get(self, args: dict[str, int], program_id: uuid.UUID) -> Response:
        """A program's version (default the current) as a hep program file: title, notes and
        items, no patient and no dates (a therapist's export is in the access log)"""
        user = current_user()
        if user.role is Role.THERAPIST:
            program = program_for_therapist(db.session, user, program_id)
            log_access(db.session, user, [program.patient_id], "program export", utcnow())
            db.session.commit()
        else:
            program = program_for_patient(db.session, user, program_id)
        found = view(db.session, program, args.get("version"))
        return _file(export_program(found), f"program-v{found.version.version}")


@blp.route("/templates/<uuid:template_id>/export")
class TemplateExport(MethodView):
    @blp.arguments(ExportArgs, location="query")
    @blp.doc(responses={200: FILE_ANSWER})
    @requires(Role.THERAPIST)
    def get(self, args: dict[str, int], template_id: uuid.UUID) -> Response:
        """A template's version (default the current) as a hep program file"""
        user = current_user()
        template = template_of(db.session, user, template_id)
        found = template_view(db.session, user, template, args.get("version"))
        return _file(export_template(db.session, found), f"template-v{found.version.version}")


@blp.route("/templates/import")
class TemplateImport(MethodView):
    @blp.arguments(ImportArgs, location="query")
    @blp.doc(requestBody=FILE_BODY)
    @blp.response(201, TemplateOut)
    @requires(Role.THERAPIST)
    def post(self, args: dict[str, uuid.UUID]) -> Any:
        """Import a hep program file as a new template of yours: built-in exercises by slug,
        the file's own exercises added to your library; every problem named by its JSON path
        (422), a file of a newer format refused"""
        document = request.get_json(silent=True)
        if document is None:
            raise Invalid(_("Send a hep program file (JSON)."), {"$": [_("Not JSON.")]})
        user = current_user()
        template = import_template(
            db.session, user, document, utcnow(), clinic_id=args.get("clinic_id")
        )
        db.session.commit()
        return template_out(template_view(db.session, user, template))
