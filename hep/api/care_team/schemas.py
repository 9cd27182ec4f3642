"""Bodies and answers of the care team endpoints."""

from __future__ import annotations

from marshmallow import Schema, fields

from hep.api.fields import UUID


class TeamMemberOut(Schema):
    therapist_id = fields.UUID(allow_none=True)
    name = fields.String()
    clinic_id = fields.UUID(allow_none=True)
    clinic_name = fields.String()
    lead = fields.Boolean()
    since = fields.DateTime()
    ended_at = fields.DateTime(allow_none=True)
    end_reason = fields.String(
        metadata={
            "description": "left, removed_by_patient, removed_by_clinic, left_clinic, "
            "account_deleted; empty while on the team"
        }
    )


class TeamOut(Schema):
    members = fields.List(
        fields.Nested(TeamMemberOut), metadata={"description": "the team now, the lead first"}
    )
    history = fields.List(
        fields.Nested(TeamMemberOut),
        metadata={"description": "everyone who was ever on the team, newest first"},
    )


class TherapistRef(Schema):
    therapist_id = UUID(required=True)
