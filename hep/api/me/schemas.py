"""Bodies and answers of /api/me."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema


class ProfileChange(Schema):
    name = fields.String(validate=validate.Length(min=1, max=120))
    timezone = fields.String(validate=validate.Length(min=1, max=64))
    password = fields.String(validate=validate.Length(max=1024))
    current_password = fields.String(validate=validate.Length(max=1024))

    @validates_schema
    def _password_needs_current(self, data: dict[str, Any], **_: Any) -> None:
        if "password" in data and "current_password" not in data:
            raise ValidationError("Give your current password to set a new one.", "current_password")


class AccountDeletion(Schema):
    password = fields.String(required=True, validate=validate.Length(max=1024))


class AccessLogEntryOut(Schema):
    actor = fields.String(attribute="actor_name", dump_only=True)
    action = fields.String(dump_only=True)
    at = fields.DateTime(dump_only=True)
