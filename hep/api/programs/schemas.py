"""Bodies and answers of programs and templates."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from hep.api.fields import Text
from hep.models.library import SIDES


class ItemIn(Schema):
    exercise_id = fields.UUID(required=True)
    item_key = fields.UUID(metadata={"description": "keep an item's key across versions"})
    sets = fields.Integer(validate=validate.Range(1, 20))
    reps = fields.Integer(allow_none=True, validate=validate.Range(1, 500))
    hold_seconds = fields.Integer(allow_none=True, validate=validate.Range(1, 3600))
    duration_seconds = fields.Integer(allow_none=True, validate=validate.Range(1, 7200))
    rest_seconds = fields.Integer(allow_none=True, validate=validate.Range(0, 3600))
    side = fields.String(validate=validate.OneOf(SIDES))
    load_note = Text(validate=validate.Length(max=120))
    times_per_day = fields.Integer(validate=validate.Range(1, 10))
    weekdays = fields.Integer(
        validate=validate.Range(1, 127),
        metadata={"description": "bit mask, bit 0 = Monday ... bit 6 = Sunday"},
    )
    notes = Text(multiline=True, validate=validate.Length(max=1000))


class ProgramIn(Schema):
    title = Text(required=True, validate=validate.Length(min=1, max=120))
    notes = Text(multiline=True, load_default="", validate=validate.Length(max=4000))
    start_date = fields.Date(required=True)
    end_date = fields.Date(allow_none=True, load_default=None)
    items = fields.List(
        fields.Nested(ItemIn), required=True, validate=validate.Length(min=1, max=40)
    )

    @validates_schema
    def _dates(self, data: dict[str, Any], **_: Any) -> None:
        for name in ("start_date", "end_date"):
            day = data.get(name)
            if day is not None and not 2000 <= day.year <= 2100:
                raise ValidationError("Give a date between 2000 and 2100.", name)


class RevisionIn(ProgramIn):
    change_note = Text(load_default="", validate=validate.Length(max=300))


class ItemOut(Schema):
    item_key = fields.UUID()
    exercise = fields.Dict()
    sets = fields.Integer()
    reps = fields.Integer(allow_none=True)
    hold_seconds = fields.Integer(allow_none=True)
    duration_seconds = fields.Integer(allow_none=True)
    rest_seconds = fields.Integer(allow_none=True)
    side = fields.String()
    load_note = fields.String()
    times_per_day = fields.Integer()
    weekdays = fields.Integer()
    notes = fields.String()
    minutes = fields.Float()


class ProgramOut(Schema):
    id = fields.UUID()
    patient_id = fields.UUID()
    version = fields.Integer()
    title = fields.String()
    notes = fields.String()
    start_date = fields.Date()
    end_date = fields.Date(allow_none=True)
    change_note = fields.String()
    updated_at = fields.DateTime()
    minutes_per_session = fields.Float()
    warnings = fields.List(fields.String())
    items = fields.List(fields.Nested(ItemOut))


class VersionOut(Schema):
    version = fields.Integer()
    title = fields.String()
    change_note = fields.String()
    created_at = fields.DateTime()
    start_date = fields.Date()
    end_date = fields.Date(allow_none=True)


class TemplateIn(Schema):
    title = Text(required=True, validate=validate.Length(min=1, max=120))
    notes = Text(multiline=True, load_default="", validate=validate.Length(max=4000))
    items = fields.List(
        fields.Nested(ItemIn), required=True, validate=validate.Length(min=1, max=40)
    )


class TemplateOut(Schema):
    id = fields.UUID()
    title = fields.String()
    notes = fields.String()
    items = fields.List(fields.Dict())
    minutes_per_session = fields.Float()
    warnings = fields.List(fields.String())


class ApplyTemplate(Schema):
    patient_id = fields.UUID(required=True)
    start_date = fields.Date(required=True, validate=lambda d: 2000 <= d.year <= 2100)
