"""Bodies and answers of a patient's attention panel."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hep.api.fields import Text
from hep.api.pauses.schemas import PauseOut
from hep.attention import REASONS

REASON_NAMES = [r.name for r in REASONS]


class AcknowledgementIn(Schema):
    note = Text(
        multiline=True,
        load_default="",
        validate=validate.Length(max=1000),
        metadata={"description": "what you did: 'called, adjusted the program'"},
    )


class AcknowledgementOut(Schema):
    id = fields.UUID()
    by = fields.String(attribute="therapist_name")
    note = fields.String()
    reasons = fields.List(fields.String(validate=validate.OneOf(REASON_NAMES)))
    at = fields.DateTime()


class ReasonOut(Schema):
    reason = fields.String(validate=validate.OneOf(REASON_NAMES))
    since = fields.DateTime(metadata={"description": "since when it holds, or its latest occasion"})
    acknowledged = fields.Boolean(metadata={"description": "acknowledged, nothing new since"})


class AlertOut(Schema):
    reason = fields.String()
    noted_at = fields.DateTime()
    cleared_at = fields.DateTime(allow_none=True)
    pushed_at = fields.DateTime(allow_none=True)
    emailed_at = fields.DateTime(allow_none=True)


class AttentionOut(Schema):
    reasons = fields.List(fields.Nested(ReasonOut))
    thresholds = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "the thresholds in force for this patient"},
    )
    pause = fields.Nested(PauseOut, allow_none=True)
    acknowledgements = fields.List(fields.Nested(AcknowledgementOut))
    alerts = fields.List(
        fields.Nested(AlertOut), metadata={"description": "the alerts you were given"}
    )
