"""Bodies and answers of check-ins and the pain diary."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from hep.api.fields import UUID, Date, Integer, Number, Text
from hep.checkins import ONE_SUBJECT
from hep.models.checkins import SKIP_REASONS, SOURCES, STATES
from hep.models.library import REGIONS


class CheckInIn(Schema):
    item_key = UUID(allow_none=True, load_default=None)
    habit_id = UUID(allow_none=True, load_default=None)
    local_date = Date(required=True)
    state = fields.String(required=True, validate=validate.OneOf(STATES))
    value = Number(
        0,
        100_000,
        allow_none=True,
        load_default=None,
        metadata={"description": "numeric habit amount, or dose actually done"},
    )
    skip_reason = fields.String(
        allow_none=True, load_default=None, validate=validate.OneOf(SKIP_REASONS)
    )
    pain = Integer(0, 10, allow_none=True, load_default=None)
    difficulty = Integer(
        1,
        5,
        allow_none=True,
        load_default=None,
        metadata={"description": "1 very easy ... 5 too hard"},
    )
    note = Text(multiline=True, load_default="", validate=validate.Length(max=2000))
    source = fields.String(load_default="app", validate=validate.OneOf(SOURCES))

    @validates_schema
    def _one_subject(self, data: dict[str, Any], **kwargs: Any) -> None:
        if (data.get("item_key") is None) == (data.get("habit_id") is None):
            raise ValidationError([ONE_SUBJECT], "item_key")


class GuidanceOut(Schema):
    """Shown the moment high pain is logged."""

    title = fields.String()
    advice = fields.String(metadata={"description": "the program's, clinic's or hep's words"})
    team_told = fields.String(allow_none=True, metadata={"description": "null: no care team"})
    threshold = fields.Integer(metadata={"description": "the patient's high-pain threshold"})


class CheckInOut(Schema):
    id = fields.UUID(attribute="client_id")
    item_key = fields.UUID(allow_none=True)
    habit_id = fields.UUID(allow_none=True)
    local_date = fields.Date()
    state = fields.String()
    value = fields.Float(allow_none=True)
    skip_reason = fields.String(allow_none=True)
    pain = fields.Integer(allow_none=True)
    difficulty = fields.Integer(allow_none=True)
    note = fields.String()
    source = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    guidance = fields.Nested(
        GuidanceOut,
        allow_none=True,
        metadata={"description": "when the pain is at or above the threshold (writes only)"},
    )


class RangeArgs(Schema):
    start = Date()
    end = Date()


class EditOut(Schema):
    check_in_id = fields.UUID()
    action = fields.String()
    change = fields.String(
        metadata={
            "description": "logged (first written), added (a habit's count raised on its own "
            "day, as a +1 tap does), corrected (anything else changed), removed"
        }
    )
    local_date = fields.Date(metadata={"description": "the day of the check-in"})
    subject = fields.String(
        allow_none=True,
        metadata={"description": "the exercise or habit, by name (null: no longer found)"},
    )
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)
    at = fields.DateTime()
    by_patient = fields.Boolean()


class DayPath(Schema):
    day = Date(required=True)


class PainIn(Schema):
    score = Integer(0, 10, required=True)
    regions = fields.List(
        fields.String(validate=validate.OneOf(REGIONS)),
        load_default=list,
        validate=validate.Length(max=len(REGIONS)),
    )
    note = Text(multiline=True, load_default="", validate=validate.Length(max=2000))


class PainOut(Schema):
    local_date = fields.Date()
    score = fields.Integer()
    regions = fields.List(fields.String())
    note = fields.String()
    updated_at = fields.DateTime()
    guidance = fields.Nested(
        GuidanceOut,
        allow_none=True,
        metadata={"description": "when the score is at or above the threshold (writes only)"},
    )
