"""Bodies and answers of /api/admin."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hep.api.auth.schemas import UserOut
from hep.api.changes import Changes
from hep.api.fields import Boolean, QueryBoolean, Text, Timezone
from hep.api.paging import PageArgs
from hep.models import Role


class AccountOut(UserOut):
    is_active = fields.Boolean(dump_only=True)


class NewAccount(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = Text(required=True, validate=validate.Length(min=1, max=120))
    password = Text(required=True, validate=validate.Length(min=8, max=1024))
    role = fields.Enum(Role, by_value=True, required=True)
    timezone = Timezone(load_default="UTC")


class AccountChange(Changes):
    is_active = Boolean()
    role = fields.Enum(
        Role,
        by_value=True,
        metadata={"description": "therapist or admin (a patient's account stays a patient's)"},
    )


class AccountFilter(PageArgs):
    q = Text(
        validate=validate.Length(max=100),
        metadata={"description": "a part of the name or email"},
    )
    role = fields.Enum(Role, by_value=True)
    active = QueryBoolean()
