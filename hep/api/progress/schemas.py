"""Answers of /api/today and adherence."""

from __future__ import annotations

from marshmallow import Schema, fields

from hep.api.fields import Date
from hep.api.pauses.schemas import PauseOut
from hep.api.proposals.schemas import ChangeOut


class DayArgs(Schema):
    date = Date()


class TodayOut(Schema):
    date = fields.Date()
    entries = fields.List(fields.Dict())
    pause = fields.Nested(
        PauseOut,
        allow_none=True,
        metadata={"description": "the pause covering the day, else the next one planned"},
    )
    paused_items = fields.Integer(
        metadata={"description": "exercises prescribed that day that the pause takes off"}
    )
    changes = fields.List(
        fields.Nested(ChangeOut),
        metadata={"description": "steps your programs took in the last 7 days, and why"},
    )
    care = fields.Dict(
        metadata={
            "description": "high_pain: your threshold; advice: what to do at or above it (the "
            "words shown when the answer of a write cannot come, offline)"
        }
    )


class AdherenceOut(Schema):
    as_of = fields.Date()
    percent_7_days = fields.Float(allow_none=True)
    percent_prev_7_days = fields.Float(
        allow_none=True, metadata={"description": "the 7 days before the last 7, to compare"}
    )
    percent_28_days = fields.Float(allow_none=True)
    active_days_30 = fields.Integer()
    subjects = fields.List(fields.Dict())
    daily = fields.List(fields.Dict())
    pain_trend = fields.Dict()
