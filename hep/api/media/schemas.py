"""Bodies and answers of the media operations."""

from __future__ import annotations

from typing import Any

from flask import Request
from flask_smorest import Blueprint
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict

from hep.api.fields import SQL_INT_MAX, QueryInteger, Text
from hep.media.content import ONLY

MULTIPART = "multipart"
"""A request location: a multipart/form-data body's files and fields together (webargs reads
either alone, and flask-smorest documents one body location per operation)."""


@Blueprint.ARGUMENTS_PARSER.location_loader(MULTIPART)
def _load_multipart(request: Request, schema: Schema) -> Any:
    return MultiDictProxy(CombinedMultiDict([request.files, request.form]), schema)


Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING[MULTIPART] = "multipart/form-data"


class UploadIn(Schema):
    file = Upload(
        required=True,
        metadata={
            "description": f"{ONLY} Told apart by content, never by name or declared type; "
            "pictures are re-encoded without metadata, videos must be whole."
        },
    )

    caption = Text(
        load_default="",
        validate=validate.Length(max=200),
        metadata={"description": "what it shows, read out to people who cannot see it"},
    )


class MediaPatch(Schema):
    caption = Text(required=True, validate=validate.Length(max=200))


class ProgramMediaArgs(Schema):
    version = QueryInteger(
        1, SQL_INT_MAX, metadata={"description": "a past version's; default the current"}
    )


class MediaOut(Schema):
    id = fields.UUID()
    kind = fields.String(metadata={"enum": ["image", "video"]})
    content_type = fields.String()
    size = fields.Integer(metadata={"description": "bytes"})
    width = fields.Integer(allow_none=True)
    height = fields.Integer(allow_none=True)
    caption = fields.String()
    poster = fields.String(
        allow_none=True,
        metadata={
            "description": "a video's thumbnail: frame (taken from it) or generic (no ffmpeg "
            "on the server); null for pictures"
        },
    )
    exercise_id = fields.UUID(allow_none=True)
    program_id = fields.UUID(allow_none=True)
    item_key = fields.UUID(allow_none=True)
    created_at = fields.DateTime()
    url = fields.Function(lambda m: f"/api/media/{m.id}/file")
    thumbnail_url = fields.Function(lambda m: f"/api/media/{m.id}/thumbnail")
