"""Bodies and answers of /api/patients."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hep.api.fields import UUID, QueryBoolean, Text, Timezone
from hep.api.paging import PageArgs
from hep.attention import REASONS


class NewPatient(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = Text(required=True, validate=validate.Length(min=1, max=120))
    timezone = Timezone(load_default="UTC")
    clinic_id = UUID(
        metadata={
            "description": "the clinic you care for them under; needed only if you work in several"
        }
    )


class PatientListArgs(PageArgs):
    discharged = QueryBoolean(
        load_default=False,
        metadata={"description": "true: the discharged patients instead of the active ones"},
    )
    q = Text(
        load_default="",
        validate=validate.Length(max=120),
        metadata={"description": "only patients whose name or email holds this (any case)"},
    )
    reason = fields.String(
        validate=validate.OneOf([r.name for r in REASONS]),
        metadata={"description": "only patients for whom this attention reason holds"},
    )


class InviteOut(Schema):
    url = Text(dump_only=True)
    expires_at = fields.DateTime(dump_only=True)


class PatientOut(Schema):
    id = fields.UUID(dump_only=True)
    name = Text(dump_only=True)
    email = fields.Email(dump_only=True)
    timezone = Text(dump_only=True)
    invite_accepted = fields.Boolean(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    percent_7_days = fields.Float(dump_only=True, allow_none=True)
    percent_prev_7_days = fields.Float(
        dump_only=True,
        allow_none=True,
        metadata={"description": "% of the prescribed dose done in the 7 days before the last 7"},
    )
    last_activity_at = fields.DateTime(dump_only=True, allow_none=True)
    pain_trend = fields.String(dump_only=True)
    discharged_at = fields.DateTime(
        dump_only=True,
        allow_none=True,
        metadata={"description": "when the patient was discharged (the discharged list)"},
    )
    pause_mode = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "the pause of the account in force today, if any"},
    )
    attention = fields.List(
        fields.String(validate=validate.OneOf([r.name for r in REASONS])),
        dump_only=True,
        metadata={
            "description": "why to look at this patient, open (not acknowledged, or something "
            "new since): "
            + ", ".join(r.name for r in REASONS)
            + "; the list puts patients with more open reasons first"
        },
    )
    acknowledged = fields.List(
        fields.String(validate=validate.OneOf([r.name for r in REASONS])),
        dump_only=True,
        metadata={"description": "reasons that hold but were acknowledged, nothing new since"},
    )
    acknowledged_at = fields.DateTime(dump_only=True, allow_none=True)


class PatientInvited(Schema):
    patient = fields.Nested(PatientOut, dump_only=True)
    invite = fields.Nested(InviteOut, dump_only=True)
