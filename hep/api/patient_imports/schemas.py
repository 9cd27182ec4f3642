"""The upload and answer of a caseload import."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields

from hep.api.fields import QueryBoolean
from hep.api.patients.schemas import InviteOut
from hep.patient_imports import MAX_ROWS


class ImportArgs(Schema):
    dry_run = QueryBoolean(
        load_default=False,
        metadata={"description": "true: check the file and say what would happen; change nothing"},
    )


class CaseloadFile(Schema):
    file = Upload(
        required=True,
        metadata={
            "description": "CSV, UTF-8, its first line naming the columns name, email, timezone "
            "(IANA, default UTC) and therapist (the email of a therapist of the clinic; default "
            f"you); at most {MAX_ROWS} patients"
        },
    )


class ImportedRow(Schema):
    line = fields.Integer()
    name = fields.String()
    email = fields.String()
    timezone = fields.String()
    therapist_id = fields.UUID()
    therapist_name = fields.String()
    patient_id = fields.UUID(allow_none=True)
    invite = fields.Nested(
        InviteOut,
        allow_none=True,
        metadata={"description": "the link to send them (null in a dry run)"},
    )


class ImportOut(Schema):
    dry_run = fields.Boolean()
    count = fields.Integer()
    patients = fields.List(fields.Nested(ImportedRow))
