"""Answers of /api/me/link-requests."""

from __future__ import annotations

from marshmallow import Schema, fields


class LinkRequestOut(Schema):
    id = fields.UUID(attribute="invite.id")
    therapist_name = fields.String()
    clinic_name = fields.String()
    created_at = fields.DateTime(attribute="invite.created_at")
    expires_at = fields.DateTime(attribute="invite.expires_at")
