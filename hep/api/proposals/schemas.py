"""Bodies and answers of step proposals."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hep.api.fields import QueryBoolean, Text
from hep.models.steps import DIRECTIONS, PROPOSAL_STATES


class ProposalArgs(Schema):
    open = QueryBoolean(load_default=True, metadata={"description": "false: all, the latest first"})


class DismissIn(Schema):
    note = Text(load_default="", validate=validate.Length(max=300))


class ProposalOut(Schema):
    id = fields.UUID()
    program_id = fields.UUID()
    item_key = fields.UUID()
    direction = fields.String(validate=validate.OneOf(DIRECTIONS))
    status = fields.String(validate=validate.OneOf(PROPOSAL_STATES))
    words = fields.String(metadata={"description": "what it changes and why, in plain words"})
    step = fields.Dict(metadata={"description": "the exercise (null: the same) and dose"})
    evidence = fields.Dict(
        metadata={"description": "the sessions behind it, the share of the dose, the criteria"}
    )
    created_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)
    decided_by = fields.String(allow_none=True, metadata={"description": "a name, or hep"})
    auto = fields.Boolean(metadata={"description": "applied by hep by itself"})
    applied_version = fields.Integer(allow_none=True)
    note = fields.String()


class ChangeOut(Schema):
    id = fields.UUID()
    program_id = fields.UUID()
    direction = fields.String(validate=validate.OneOf(DIRECTIONS))
    words = fields.String()
    decided_at = fields.DateTime()
    decided_by = fields.String(allow_none=True)
    applied_version = fields.Integer()
