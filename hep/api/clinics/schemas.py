"""Bodies and answers of /api/clinics."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hep.api.changes import Changes
from hep.api.fields import Boolean, QueryBoolean, Text
from hep.api.paging import PageArgs
from hep.api.patients.schemas import PatientOut
from hep.models import ClinicRole


class ClinicIn(Schema):
    name = Text(required=True, validate=validate.Length(min=1, max=120))


class ClinicChange(Changes):
    name = Text(validate=validate.Length(min=1, max=120))


class ClinicOut(Schema):
    id = fields.UUID(attribute="clinic.id")
    name = fields.String(attribute="clinic.name")
    created_at = fields.DateTime(attribute="clinic.created_at")
    my_role = fields.Enum(
        ClinicRole,
        by_value=True,
        allow_none=True,
        metadata={"description": "your role in it (null: you are a site admin, not a member)"},
    )
    members = fields.Integer(metadata={"description": "how many therapists it has"})


class SearchArgs(PageArgs):
    q = Text(validate=validate.Length(max=100), metadata={"description": "a part of the name"})


class MemberOut(Schema):
    id = fields.UUID(attribute="user.id")
    name = fields.String(attribute="user.name")
    email = fields.Email(attribute="user.email")
    is_active = fields.Boolean(attribute="user.is_active")
    role = fields.Enum(ClinicRole, by_value=True)
    joined_at = fields.DateTime()
    other_clinics = fields.Integer(metadata={"description": "how many other clinics they work in"})


class MemberChange(Changes):
    role = fields.Enum(ClinicRole, by_value=True)
    is_active = Boolean(
        metadata={
            "description": "disable or enable the account (a clinic admin: only for members "
            "of no other clinic)"
        }
    )


class ClinicInviteIn(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    role = fields.Enum(ClinicRole, by_value=True, load_default=ClinicRole.THERAPIST)


class ClinicInviteOut(Schema):
    id = fields.UUID()
    email = fields.Email()
    role = fields.Enum(ClinicRole, by_value=True)
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    url = fields.String(
        allow_none=True,
        metadata={"description": "the link to send (only when made; the code is not stored)"},
    )


class CaseloadArgs(PageArgs):
    discharged = QueryBoolean(
        load_default=False,
        metadata={"description": "true: the discharged patients instead of the active ones"},
    )


class TeamMemberBrief(Schema):
    id = fields.UUID()
    name = fields.String()
    lead = fields.Boolean()
    in_clinic = fields.Boolean(
        metadata={"description": "whether they care for the patient under this clinic"}
    )


class CaseloadOut(PatientOut):
    therapists = fields.List(fields.Nested(TeamMemberBrief), dump_only=True)
