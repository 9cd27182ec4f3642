"""Page arguments shared by list endpoints; sizes are clamped, never refused."""

from __future__ import annotations

from typing import Any

from flask import current_app
from marshmallow import Schema, fields, post_load, validate


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=1_000_000))

    @post_load
    def clamp(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        data["page_size"] = min(data["page_size"], current_app.config["PAGE_SIZE_MAX"])
        data["offset"] = (data["page"] - 1) * data["page_size"]
        return data
