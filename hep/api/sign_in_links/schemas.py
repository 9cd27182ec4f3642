"""Bodies and answers of the sign-in link endpoints."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hep.api.fields import Text


class SignInLinkOut(Schema):
    url = Text(dump_only=True, metadata={"description": "the link to send; it works once"})
    expires_at = fields.DateTime(dump_only=True)


class SignInLinkPreview(Schema):
    name = Text(dump_only=True)
    email = fields.Email(dump_only=True)
    expires_at = fields.DateTime(dump_only=True)


class NewPassword(Schema):
    password = Text(required=True, validate=validate.Length(min=8, max=1024))
