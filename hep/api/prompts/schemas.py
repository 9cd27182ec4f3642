"""What Today asks: the weekly check-in, questionnaires due, unread messages, link requests to
answer, and a discharge to know about."""

from __future__ import annotations

from marshmallow import Schema, fields

from hep.api.discharges.schemas import DischargeOut
from hep.api.link_requests.schemas import LinkRequestOut


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
    link_requests = fields.List(
        fields.Nested(LinkRequestOut),
        metadata={"description": "therapists asking to join your care team, newest first"},
    )
    discharge = fields.Nested(
        DischargeOut, allow_none=True, metadata={"description": "null: you are not discharged"}
    )
