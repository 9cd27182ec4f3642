"""Bodies and answers of /api/clinic-invites."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hep.api.fields import Language, Text, Timezone
from hep.models import ClinicRole


class ClinicInvitePreview(Schema):
    clinic_name = Text(dump_only=True)
    invited_by = Text(dump_only=True)
    email = fields.Email(dump_only=True)
    role = fields.Enum(ClinicRole, by_value=True, dump_only=True)
    expires_at = fields.DateTime(dump_only=True)


class ClinicInviteAcceptance(Schema):
    """Signed in as a therapist: an empty body. Otherwise a new therapist account with the
    invited address: name and password."""

    name = Text(validate=validate.Length(min=1, max=120))
    password = Text(validate=validate.Length(min=8, max=1024))
    timezone = Timezone(load_default="UTC")
    language = Language(
        metadata={"description": "a new account's language; the browser's if left out"}
    )
