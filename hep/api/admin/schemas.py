"""Bodies and answers of /api/admin."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hep.api.auth.schemas import UserOut
from hep.api.fields import Boolean, Text, Timezone
from hep.models import Role


class AccountOut(UserOut):
    is_active = fields.Boolean(dump_only=True)


class NewAccount(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = Text(required=True, validate=validate.Length(min=1, max=120))
    password = Text(required=True, validate=validate.Length(min=8, max=1024))
    role = fields.Enum(Role, by_value=True, required=True)
    timezone = Timezone(load_default="UTC")


class AccountChange(Schema):
    is_active = Boolean(required=True)
