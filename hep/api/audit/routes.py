"""The audit log: read and exported as CSV by site admins, and by clinic admins for their clinic."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response, stream_with_context
from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, requires
from hep.api.audit.schemas import AuditEntryOut, AuditFilter, AuditPage
from hep.audit import CSV_COLUMNS, csv_rows, entries
from hep.clinics import managed_clinic
from hep.db import db
from hep.models import Role

blp = Blueprint("audit", __name__, url_prefix="/api", description="The audit log")

_CSV = "text/csv; charset=utf-8"


def _csv_answer(description: str) -> dict[str, Any]:
    """The document's word for a CSV answer (its columns: audit.CSV_COLUMNS)."""
    columns = ", ".join(CSV_COLUMNS)
    schema = {"type": "string", "description": f"a header row ({columns}), then one row an entry"}
    return {"200": {"description": description, "content": {"text/csv": {"schema": schema}}}}


def _csv(name: str, clinic_id: uuid.UUID | None, args: dict[str, Any]) -> Response:
    rows = csv_rows(db.session, clinic_id=clinic_id, action=args.get("action"), text=args.get("q"))
    return Response(
        stream_with_context(rows),
        mimetype=_CSV,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@blp.route("/admin/audit-log")
class AuditLog(MethodView):
    @blp.arguments(AuditPage, location="query")
    @blp.response(200, AuditEntryOut(many=True))
    @requires(Role.ADMIN)
    def get(self, args: dict[str, Any]) -> Any:
        """Administrative actions and security events, newest first (no health data)"""
        return entries(
            db.session,
            action=args.get("action"),
            text=args.get("q"),
            limit=args["page_size"],
            offset=args["offset"],
        )


@blp.route("/admin/audit-log.csv")
class AuditLogCsv(MethodView):
    @blp.arguments(AuditFilter, location="query")
    @blp.response(200, content_type=_CSV)
    @blp.doc(responses=_csv_answer("The audit log as CSV, oldest first"))
    @requires(Role.ADMIN)
    def get(self, args: dict[str, Any]) -> Response:
        """The whole audit log as CSV (cells that would start a spreadsheet formula are quoted)"""
        return _csv("hep-audit-log.csv", None, args)


@blp.route("/clinics/<uuid:clinic_id>/audit-log")
class ClinicAuditLog(MethodView):
    @blp.arguments(AuditPage, location="query")
    @blp.response(200, AuditEntryOut(many=True))
    @requires(Role.THERAPIST, Role.ADMIN)
    def get(self, args: dict[str, Any], clinic_id: uuid.UUID) -> Any:
        """A clinic's audit log, newest first (its admins, site admins)"""
        managed_clinic(db.session, current_user(), clinic_id)
        return entries(
            db.session,
            clinic_id=clinic_id,
            action=args.get("action"),
            text=args.get("q"),
            limit=args["page_size"],
            offset=args["offset"],
        )


@blp.route("/clinics/<uuid:clinic_id>/audit-log.csv")
class ClinicAuditLogCsv(MethodView):
    @blp.arguments(AuditFilter, location="query")
    @blp.response(200, content_type=_CSV)
    @blp.doc(responses=_csv_answer("The clinic's audit log as CSV, oldest first"))
    @requires(Role.THERAPIST, Role.ADMIN)
    def get(self, args: dict[str, Any], clinic_id: uuid.UUID) -> Response:
        """A clinic's audit log as CSV (its admins, site admins)"""
        managed_clinic(db.session, current_user(), clinic_id)
        return _csv("hep-clinic-audit-log.csv", clinic_id, args)
