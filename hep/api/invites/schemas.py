"""Bodies and answers of /api/invites."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class InvitePreview(Schema):
    patient_name = fields.String(dump_only=True)
    therapist_name = fields.String(dump_only=True)
    email = fields.Email(dump_only=True)
    expires_at = fields.DateTime(dump_only=True)


class Acceptance(Schema):
    password = fields.String(required=True, validate=validate.Length(max=1024))
    timezone = fields.String(validate=validate.Length(min=1, max=64))
