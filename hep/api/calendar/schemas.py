"""Bodies and answers of the calendar feed operations."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hep.api.changes import Changes
from hep.api.fields import Boolean

_DETAILS = {
    "description": "events name the program and exercises or the habit (else generic titles: "
    "'Exercise session', 'Habit check'); the calendar's provider then holds those names"
}


class FeedIn(Schema):
    details = Boolean(load_default=False, metadata=_DETAILS)


class FeedChange(Changes):
    details = Boolean(required=True, metadata=_DETAILS)


class FeedOut(Schema):
    active = fields.Boolean(metadata={"description": "whether an address works now"})
    details = fields.Boolean(metadata=_DETAILS)
    created_at = fields.DateTime(allow_none=True)


class FeedMade(FeedOut):
    url = fields.String(
        metadata={"description": "the feed's private address: shown this once, never again"}
    )
    webcal_url = fields.String(metadata={"description": "the same, for one-tap subscribing"})


class FeedArgs(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=100))
