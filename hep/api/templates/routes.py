"""Templates (protocols): private or shared with a clinic, versioned, prescribed."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, requires
from hep.api.programs.routes import program_out
from hep.api.programs.schemas import ProgramOut
from hep.api.templates.schemas import (
    ApplyTemplate,
    TemplateChange,
    TemplateIn,
    TemplateOut,
    TemplateRevision,
    TemplateVersionOut,
)
from hep.clock import utcnow
from hep.db import db
from hep.models import Role
from hep.programs import ITEM_FIELDS, session_minutes, size_warnings
from hep.templates import (
    TemplateView,
    apply_template,
    change_template,
    delete_template,
    revise_template,
    save_template,
    template_of,
    templates_for,
    versions,
    view,
)

blp = Blueprint(
    "templates", __name__, url_prefix="/api/templates", description="Templates (protocols)"
)


def template_out(found: TemplateView) -> dict[str, Any]:
    template, version = found.template, found.version
    sized = [dict({f: None for f in ITEM_FIELDS}, **i) for i in version.items]
    for item in sized:
        item["sets"] = item["sets"] or 1
    return {
        "id": template.id,
        "title": template.title,
        "version": version.version,
        "notes": version.notes,
        "items": version.items,
        "clinic_id": template.clinic_id,
        "owner_id": template.owner_id,
        "owner_name": found.owner_name,
        "editable": found.editable,
        "updated_at": template.updated_at,
        "minutes_per_session": session_minutes(sized),
        "warnings": size_warnings(sized),
    }


def _view(template_id: uuid.UUID) -> dict[str, Any]:
    user = current_user()
    return template_out(view(db.session, user, template_of(db.session, user, template_id)))


@blp.route("")
class Templates(MethodView):
    @blp.response(200, TemplateOut(many=True))
    @requires(Role.THERAPIST)
    def get(self) -> Any:
        """Your templates and those shared with your clinics, by title"""
        return [template_out(t) for t in templates_for(db.session, current_user())]

    @blp.arguments(TemplateIn)
    @blp.response(201, TemplateOut)
    @requires(Role.THERAPIST)
    def post(self, body: dict[str, Any]) -> Any:
        """Save a template (private, or shared with one of your clinics)"""
        template = save_template(db.session, current_user(), body, utcnow())
        db.session.commit()
        return _view(template.id)


@blp.route("/<uuid:template_id>")
class Template(MethodView):
    @blp.response(200, TemplateOut)
    @requires(Role.THERAPIST)
    def get(self, template_id: uuid.UUID) -> Any:
        """One template, its current version"""
        return _view(template_id)

    @blp.arguments(TemplateChange)
    @blp.response(200, TemplateOut)
    @requires(Role.THERAPIST)
    def patch(self, changes: dict[str, Any], template_id: uuid.UUID) -> Any:
        """Rename a template, or share it with a clinic (null: private); the author only"""
        change_template(db.session, current_user(), template_id, changes, utcnow())
        db.session.commit()
        return _view(template_id)

    @blp.response(204)
    @requires(Role.THERAPIST)
    def delete(self, template_id: uuid.UUID) -> Response:
        """Delete a template (programs made from it keep their items); the author only"""
        delete_template(db.session, current_user(), template_id)
        db.session.commit()
        return Response(status=204)


@blp.route("/<uuid:template_id>/versions")
class TemplateVersions(MethodView):
    @blp.response(200, TemplateVersionOut(many=True))
    @requires(Role.THERAPIST)
    def get(self, template_id: uuid.UUID) -> Any:
        """A template's versions, newest first"""
        return versions(db.session, template_of(db.session, current_user(), template_id))

    @blp.arguments(TemplateRevision)
    @blp.response(201, TemplateOut)
    @requires(Role.THERAPIST)
    def post(self, body: dict[str, Any], template_id: uuid.UUID) -> Any:
        """Edit a template's notes and items: saves a new version; the author only"""
        revise_template(db.session, current_user(), template_id, body, utcnow())
        db.session.commit()
        return _view(template_id)


@blp.route("/<uuid:template_id>/versions/<int(min=1):number>")
class TemplateVersion(MethodView):
    @blp.response(200, TemplateOut)
    @requires(Role.THERAPIST)
    def get(self, template_id: uuid.UUID, number: int) -> Any:
        """One version of a template"""
        user = current_user()
        template = template_of(db.session, user, template_id)
        return template_out(view(db.session, user, template, number))


@blp.route("/<uuid:template_id>/apply")
class TemplateApplication(MethodView):
    @blp.arguments(ApplyTemplate)
    @blp.response(201, ProgramOut)
    @requires(Role.THERAPIST)
    def post(self, body: dict[str, Any], template_id: uuid.UUID) -> Any:
        """Prescribe a template's current version to one of your patients"""
        program = apply_template(
            db.session,
            current_user(),
            template_id,
            body["patient_id"],
            body["start_date"],
            utcnow(),
        )
        db.session.commit()
        return program_out(program)
