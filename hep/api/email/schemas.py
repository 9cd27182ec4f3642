"""Bodies and answers of the email endpoints."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hep.api.fields import Text


class ResetRequest(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))


class Accepted(Schema):
    message = Text(dump_only=True)


class Verified(Schema):
    email_verified = fields.Boolean(dump_only=True)


class MailedLink(Schema):
    url = Text(dump_only=True, metadata={"description": "the link that was mailed, to copy too"})
    expires_at = fields.DateTime(dump_only=True)
    email = fields.Email(dump_only=True, metadata={"description": "where it went"})
