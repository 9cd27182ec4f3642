"""Answers of /api/today and adherence."""

from __future__ import annotations

from marshmallow import Schema, fields

from hep.api.fields import Date


class DayArgs(Schema):
    date = Date()


class TodayOut(Schema):
    date = fields.Date()
    entries = fields.List(fields.Dict())


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
