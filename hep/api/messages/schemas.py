"""Bodies and answers of messages."""

from __future__ import annotations

from typing import Any

from flask import current_app
from marshmallow import Schema, fields, post_load, validate

from hep.api.fields import SQL_INT_MAX, Integer, QueryInteger, Words
from hep.messages import MAX_LENGTH


class MessageIn(Schema):
    body = Words(
        multiline=True,
        required=True,
        validate=validate.Length(1, MAX_LENGTH),
        metadata={"description": "plain text; shown as text, never as markup"},
    )


class MessageOut(Schema):
    id = fields.UUID(attribute="client_id", metadata={"description": "the writer's id"})
    seq = fields.Integer(attribute="id", metadata={"description": "the thread's order"})
    body = fields.String()
    author = fields.String(attribute="author_name")
    from_patient = fields.Boolean()
    mine = fields.Boolean(metadata={"description": "written by the caller"})
    created_at = fields.DateTime()


class ThreadArgs(Schema):
    before = QueryInteger(1, SQL_INT_MAX, metadata={"description": "older than this seq"})
    limit = QueryInteger(1, 1_000_000, load_default=50)

    @post_load
    def _clamp(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        data["limit"] = min(data["limit"], current_app.config["PAGE_SIZE_MAX"])
        return data


class ThreadOut(Schema):
    messages = fields.List(fields.Nested(MessageOut), metadata={"description": "oldest first"})
    read_up_to = fields.Integer(metadata={"description": "the caller has read up to this seq"})
    unread = fields.Integer()
    team = fields.List(fields.String(), metadata={"description": "the care team's names"})
    can_write = fields.Boolean()
    max_length = fields.Integer()
    per_hour = fields.Integer(metadata={"description": "new messages per writer and hour"})


class ReadIn(Schema):
    up_to = Integer(0, SQL_INT_MAX, required=True, metadata={"description": "a message's seq"})


class ReadOut(Schema):
    read_up_to = fields.Integer()
    unread = fields.Integer()


class UnreadOut(Schema):
    patient_id = fields.UUID()
    unread = fields.Integer()
