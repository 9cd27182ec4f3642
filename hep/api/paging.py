"""Page arguments shared by list endpoints; sizes are clamped, never refused."""

from __future__ import annotations

from typing import Any

from flask import current_app
from marshmallow import Schema, post_load

from hep.api.fields import QueryInteger


class PageArgs(Schema):
    page = QueryInteger(1, 100_000, load_default=1)
    page_size = QueryInteger(1, 1_000_000, load_default=50)

    @post_load
    def clamp(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        data["page_size"] = min(data["page_size"], current_app.config["PAGE_SIZE_MAX"])
        data["offset"] = (data["page"] - 1) * data["page_size"]
        return data
