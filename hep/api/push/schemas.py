"""Bodies and answers of /api/push."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class VapidKeyOut(Schema):
    public_key = fields.String()


class KeysIn(Schema):
    p256dh = fields.String(required=True, validate=validate.Length(min=1, max=100))
    auth = fields.String(required=True, validate=validate.Length(min=1, max=40))


class SubscriptionIn(Schema):
    endpoint = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    keys = fields.Nested(KeysIn, required=True)
    expirationTime = fields.Raw(
        allow_none=True, metadata={"description": "ignored; sent by browsers"}
    )


class SubscriptionOut(Schema):
    id = fields.UUID()
    created_at = fields.DateTime()
    last_success_at = fields.DateTime(allow_none=True)


class TestOut(Schema):
    sent = fields.Integer()
    failed = fields.Integer()
