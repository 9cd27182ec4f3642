"""Bodies and answers of /api/me."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from hep.api.changes import Changes
from hep.api.fields import Text, Timezone


class ProfileChange(Changes):
    name = Text(validate=validate.Length(min=1, max=120))
    timezone = Timezone()
    password = Text(validate=validate.Length(min=8, max=1024))
    current_password = Text(validate=validate.Length(max=1024))

    @validates_schema
    def _password_needs_current(self, data: dict[str, Any], **_: Any) -> None:
        if "password" in data and "current_password" not in data:
            raise ValidationError(
                "Give your current password to set a new one.", "current_password"
            )


class AccountDeletion(Schema):
    password = Text(required=True, validate=validate.Length(max=1024))


class AccessLogEntryOut(Schema):
    actor = Text(attribute="actor_name", dump_only=True)
    action = Text(dump_only=True)
    at = fields.DateTime(dump_only=True)
