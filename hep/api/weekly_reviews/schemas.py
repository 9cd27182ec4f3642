"""Bodies and answers of weekly check-ins and of when they are asked."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_load, validate

from hep.api.fields import Boolean, Date, Integer, Text, Time
from hep.models.checkins import SKIP_REASONS
from hep.models.reviews import BARRIERS
from hep.weekly_reviews import ReviewAnswer

MAX_COUNT = 1000  # sessions or habit-days a week (the plan's own figure is the real bound)


class WeekPath(Schema):
    week_end = Date(required=True, metadata={"description": "the last of the week's 7 days"})


class ReviewIn(Schema):
    sessions_done = Integer(
        0,
        MAX_COUNT,
        required=True,
        metadata={"description": "program sessions done that week, at most those planned"},
    )
    habits_met = Integer(
        0, MAX_COUNT, required=True, metadata={"description": "habit days met, at most planned"}
    )
    barriers = fields.List(
        fields.String(validate=validate.OneOf(BARRIERS)),
        load_default=list,
        validate=validate.Length(max=len(BARRIERS)),
        metadata={"description": "what got in the way, each once", "uniqueItems": True},
    )
    barrier_note = Text(multiline=True, load_default="", validate=validate.Length(max=500))
    confidence = Integer(
        0, 10, required=True, metadata={"description": "confidence for next week, 0 to 10"}
    )

    @post_load
    def _answer(self, data: dict[str, Any], **_: Any) -> ReviewAnswer:
        return ReviewAnswer(
            data["sessions_done"],
            data["habits_met"],
            tuple(data["barriers"]),
            data["barrier_note"],
            data["confidence"],
        )


class ReviewOut(Schema):
    week_end = fields.Date()
    sessions_planned = fields.Integer()
    sessions_logged = fields.Float(metadata={"description": "a partial session counts half"})
    sessions_done = fields.Integer()
    habits_planned = fields.Integer()
    habits_logged = fields.Integer()
    habits_met = fields.Integer()
    barriers = fields.List(fields.String(validate=validate.OneOf(BARRIERS)))
    barrier_note = fields.String()
    confidence = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class FiguresOut(Schema):
    sessions_planned = fields.Integer()
    sessions_logged = fields.Float()
    habits_planned = fields.Integer()
    habits_met = fields.Integer()
    planned = fields.Boolean(metadata={"description": "anything was planned that week"})


class ScheduleIn(Schema):
    weekday = Integer(1, 7, required=True, metadata={"description": "ISO weekday, 7 is Sunday"})
    time = Time(required=True)
    remind = Boolean(load_default=True, metadata={"description": "with a reminder of its own"})


class ScheduleOut(Schema):
    weekday = fields.Integer()
    time = fields.String()
    remind = fields.Boolean()


class CurrentOut(Schema):
    week_start = fields.Date()
    week_end = fields.Date()
    figures = fields.Nested(FiguresOut)
    suggested_barriers = fields.List(
        fields.String(validate=validate.OneOf(BARRIERS)),
        metadata={"description": "the reasons of the week's skipped sessions"},
    )
    review = fields.Nested(ReviewOut, allow_none=True)
    schedule = fields.Nested(ScheduleOut)


class RangeArgs(Schema):
    start = Date()
    end = Date()


class TeamViewOut(Schema):
    start = fields.Date()
    end = fields.Date()
    reviews = fields.List(fields.Nested(ReviewOut))
    barrier_counts = fields.Dict(
        keys=fields.String(validate=validate.OneOf(BARRIERS)), values=fields.Integer()
    )
    skip_reasons = fields.Dict(
        keys=fields.String(validate=validate.OneOf(SKIP_REASONS)),
        values=fields.Integer(),
        metadata={"description": "skipped sessions over the range, by reason"},
    )
