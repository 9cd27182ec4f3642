"""Bodies and answers of /api/invites."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hep.api.fields import Language, Text, Timezone


class InvitePreview(Schema):
    patient_name = Text(dump_only=True)
    therapist_name = Text(dump_only=True)
    email = fields.Email(dump_only=True)
    expires_at = fields.DateTime(dump_only=True)


class Acceptance(Schema):
    password = Text(required=True, validate=validate.Length(min=8, max=1024))
    timezone = Timezone()
    language = Language(
        metadata={"description": "the app's language; the browser's Accept-Language if left out"}
    )
