"""What Today asks: the weekly check-in, questionnaires due, unread messages."""

from __future__ import annotations

from marshmallow import Schema, fields


class WeekPrompt(Schema):
    week_end = fields.Date()
    planned = fields.Boolean(metadata={"description": "anything was planned that week"})
    answered = fields.Boolean()


class MeasurePrompt(Schema):
    plan_id = fields.UUID()
    title = fields.String()
    due_on = fields.Date()


class PromptsOut(Schema):
    weekly_review = fields.Nested(WeekPrompt)
    measures_due = fields.List(fields.Nested(MeasurePrompt))
    unread_messages = fields.Integer()
