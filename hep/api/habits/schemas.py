"""Bodies and answers of /api/habits."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hep.api.changes import Changes
from hep.api.fields import Date, Integer, Number, Text
from hep.models.habits import HABIT_KINDS


class HabitIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(HABIT_KINDS))
    name = Text(required=True, validate=validate.Length(min=1, max=120))
    target = Number(0, 100_000, allow_none=True)
    direction = fields.String(allow_none=True, validate=validate.OneOf(("at_least", "at_most")))
    unit = Text(validate=validate.Length(max=24))
    weekdays = Integer(
        1,
        127,
        metadata={"description": "bit mask, bit 0 = Monday ... bit 6 = Sunday"},
    )
    per_week = Integer(
        1,
        7,
        allow_none=True,
        metadata={"description": "n times per week, instead of weekdays"},
    )
    start_date = Date(allow_none=True)


class HabitPatch(Changes, HabitIn):
    """HabitIn with every field optional."""


class HabitOut(Schema):
    id = fields.UUID()
    kind = fields.String()
    name = fields.String()
    target = fields.Float(allow_none=True)
    direction = fields.String(allow_none=True)
    unit = fields.String()
    weekdays = fields.Integer()
    per_week = fields.Integer(allow_none=True)
    start_date = fields.Date(allow_none=True)
    suggested = fields.Function(lambda h: h.suggested_by is not None)
    created_at = fields.DateTime()


class StarterOut(Schema):
    slug = fields.String()
    kind = fields.String()
    name = fields.String()
    target = fields.Float(allow_none=True)
    direction = fields.String(allow_none=True)
    unit = fields.String(allow_none=True)
    per_week = fields.Integer(allow_none=True)
