"""The progress summary over a date range."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hep.api.fields import Date
from hep.api.measures.schemas import WeekOut
from hep.api.weekly_reviews.schemas import ReviewOut
from hep.models.checkins import SKIP_REASONS
from hep.models.questionnaires import INSTRUMENTS
from hep.models.reviews import BARRIERS


class SummaryArgs(Schema):
    start = Date()
    end = Date()


class PersonOut(Schema):
    name = fields.String()
    timezone = fields.String()


class WeeklyAdherenceOut(Schema):
    weeks = fields.List(fields.Nested(WeekOut))
    percent = fields.Float(allow_none=True, metadata={"description": "over the whole range"})


class PointOut(Schema):
    due_on = fields.Date()
    answered_on = fields.Date()
    score = fields.Float(allow_none=True)


class SeriesOut(Schema):
    plan_id = fields.UUID()
    title = fields.String()
    instrument = fields.String(validate=validate.OneOf(INSTRUMENTS))
    score_label = fields.String()
    points = fields.List(fields.Nested(PointOut))


class SummaryOut(Schema):
    patient = fields.Nested(PersonOut)
    start = fields.Date()
    end = fields.Date()
    generated_at = fields.DateTime()
    adherence = fields.Nested(WeeklyAdherenceOut)
    measures = fields.List(fields.Nested(SeriesOut))
    reviews = fields.List(fields.Nested(ReviewOut))
    barrier_counts = fields.Dict(
        keys=fields.String(validate=validate.OneOf(BARRIERS)), values=fields.Integer()
    )
    skip_reasons = fields.Dict(
        keys=fields.String(validate=validate.OneOf(SKIP_REASONS)), values=fields.Integer()
    )
