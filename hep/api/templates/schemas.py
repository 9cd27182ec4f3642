"""Bodies and answers of /api/templates."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hep.api.changes import Changes
from hep.api.fields import UUID, Date, Text
from hep.api.programs.schemas import ItemIn

_SHARE = {
    "description": "share with this clinic of yours (its therapists see and prescribe it); "
    "null or left out: private"
}


class TemplateIn(Schema):
    title = Text(required=True, validate=validate.Length(min=1, max=120))
    notes = Text(multiline=True, load_default="", validate=validate.Length(max=4000))
    items = fields.List(
        fields.Nested(ItemIn), required=True, validate=validate.Length(min=1, max=40)
    )
    clinic_id = UUID(allow_none=True, load_default=None, metadata=_SHARE)


class TemplateChange(Changes):
    """Rename or share: no new version."""

    title = Text(validate=validate.Length(min=1, max=120))
    clinic_id = UUID(allow_none=True, metadata=_SHARE)


class TemplateRevision(Schema):
    notes = Text(multiline=True, validate=validate.Length(max=4000))
    items = fields.List(
        fields.Nested(ItemIn), required=True, validate=validate.Length(min=1, max=40)
    )
    change_note = Text(load_default="", validate=validate.Length(max=300))


class TemplateOut(Schema):
    id = fields.UUID()
    title = fields.String()
    version = fields.Integer()
    notes = fields.String()
    items = fields.List(fields.Dict())
    clinic_id = fields.UUID(allow_none=True, metadata=_SHARE)
    owner_id = fields.UUID(
        allow_none=True, metadata={"description": "null: its author left; the clinic keeps it"}
    )
    owner_name = fields.String()
    editable = fields.Boolean(metadata={"description": "whether you may change or delete it"})
    updated_at = fields.DateTime()
    minutes_per_session = fields.Float()
    warnings = fields.List(fields.String())


class TemplateVersionOut(Schema):
    version = fields.Integer()
    notes = fields.String()
    items = fields.List(fields.Dict())
    change_note = fields.String()
    created_at = fields.DateTime()


class ApplyTemplate(Schema):
    patient_id = UUID(required=True)
    start_date = Date(required=True)
