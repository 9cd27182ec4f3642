"""Bodies and answers of pauses."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hep.api.fields import Date, Text
from hep.models.safety import PAUSE_MODES


class PauseIn(Schema):
    mode = fields.String(
        required=True,
        validate=validate.OneOf(PAUSE_MODES),
        metadata={
            "description": "flare_up: only exercises kept during a flare-up are due; unwell, "
            "away: nothing is due and no reminders go; busy: only the minimum dose is due"
        },
    )
    first_day = Date(metadata={"description": "default: today where you are"})
    last_day = Date(
        allow_none=True,
        load_default=None,
        metadata={"description": "the last paused day; null: until you say it is over"},
    )
    note = Text(load_default="", validate=validate.Length(max=300))


class PauseOut(Schema):
    id = fields.UUID()
    mode = fields.String()
    note = fields.String()
    first_day = fields.Date()
    last_day = fields.Date(allow_none=True)
    started_at = fields.DateTime()
    ended_at = fields.DateTime(allow_none=True)
    active = fields.Boolean(metadata={"description": "it covers today"})
    dropped = fields.Boolean(metadata={"description": "ended before its first day"})
