"""A clinic's caseload from CSV: every patient added with an invite (or a link request), all
or none; a dry run first says what would happen."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, hasher, requires
from hep.api.media.schemas import MULTIPART
from hep.api.patient_imports.schemas import CaseloadFile, ImportArgs, ImportOut
from hep.api.patients.routes import invite_view
from hep.clock import utcnow
from hep.db import db
from hep.models import Role
from hep.patient_imports import import_caseload
from hep.web import upload

blp = Blueprint(
    "patient_imports", __name__, url_prefix="/api/clinics", description="Caseload import"
)


@blp.route("/<uuid:clinic_id>/patients/import")
class CaseloadImport(MethodView):
    @blp.arguments(ImportArgs, location="query")
    @blp.arguments(CaseloadFile, location=MULTIPART)
    @blp.response(200, ImportOut)
    @upload("MAX_BODY_BYTES")
    @requires(Role.THERAPIST)
    def post(self, args: dict[str, bool], body: dict[str, Any], clinic_id: uuid.UUID) -> Any:
        """Import your clinic's patients from CSV (the clinic's admins): each gets an invite
        (or, with an account already, a link request) from their therapist, as adding one
        does; bad rows are listed by line and nothing is imported (422)"""
        dry_run = args["dry_run"]
        rows = import_caseload(
            db.session,
            current_user(),
            clinic_id,
            body["file"].stream.read(),
            dry_run=dry_run,
            hasher=hasher(),
            invite_lifetime=dt.timedelta(days=current_app.config["INVITE_DAYS"]),
            now=utcnow(),
        )
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
        return {
            "dry_run": dry_run,
            "count": len(rows),
            "patients": [
                {
                    "line": row.line,
                    "name": row.name,
                    "email": row.email,
                    "timezone": row.timezone,
                    "therapist_id": row.therapist.id,
                    "therapist_name": row.therapist.name,
                    "patient_id": row.added.patient_id if row.added else None,
                    "invite": invite_view(row.added.invite, row.added.code) if row.added else None,
                }
                for row in rows
            ],
        }
