"""Bodies and answers of the auth endpoints."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hep.api.fields import Language, Text, Timezone
from hep.models import Role


class UserOut(Schema):
    id = fields.UUID(dump_only=True)
    email = fields.Email(dump_only=True)
    name = Text(dump_only=True)
    role = fields.Enum(Role, by_value=True, dump_only=True)
    timezone = Text(dump_only=True)
    language = Text(
        dump_only=True, metadata={"description": "the language hep speaks to this person"}
    )
    created_at = fields.DateTime(dump_only=True)
    email_verified = fields.Boolean(
        dump_only=True,
        metadata={"description": "hep mails reminders and digests to confirmed addresses only"},
    )
    email_bounced = fields.Boolean(
        dump_only=True,
        metadata={"description": "the mail server said this mailbox does not exist"},
    )


class Credentials(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = Text(required=True, validate=validate.Length(min=1, max=1024))


class SignUp(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = Text(required=True, validate=validate.Length(min=1, max=120))
    password = Text(required=True, validate=validate.Length(min=8, max=1024))
    timezone = Timezone(load_default="UTC")
    language = Language(
        metadata={"description": "the app's language; the browser's Accept-Language if left out"}
    )


class SignedIn(Schema):
    user = fields.Nested(UserOut, dump_only=True)


class TokenOut(Schema):
    token = Text(dump_only=True)
    expires_at = fields.DateTime(dump_only=True)
    user = fields.Nested(UserOut, dump_only=True)
