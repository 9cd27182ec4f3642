"""Answers of /api/notifications."""

from __future__ import annotations

from marshmallow import Schema, fields


class OccurrenceOut(Schema):
    id = fields.UUID()
    reminder_id = fields.UUID()
    fire_at = fields.DateTime()
    local_date = fields.Date()
    outcome = fields.String()
    entries = fields.List(fields.Dict())


class LoggedOut(Schema):
    logged = fields.List(fields.Dict())
