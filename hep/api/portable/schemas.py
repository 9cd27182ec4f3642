"""Arguments and bodies of the program file operations."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema

from hep.api.fields import SQL_INT_MAX, UUID, QueryInteger

FILE_BODY: dict[str, Any] = {
    "required": True,
    "description": "A hep program file (format hep-program): its JSON Schema is at "
    "GET /api/program-format/schema.json",
    "content": {"application/json": {"schema": {"type": "object"}}},
}
FILE_ANSWER: dict[str, Any] = {
    "description": "A hep program file (its JSON Schema: GET /api/program-format/schema.json)",
    "content": {"application/json": {"schema": {"type": "object"}}},
}


class ExportArgs(Schema):
    version = QueryInteger(
        1, SQL_INT_MAX, metadata={"description": "a past version's; default the current"}
    )


class ImportArgs(Schema):
    clinic_id = UUID(
        metadata={"description": "share the new template (and its exercises) with this clinic"}
    )
