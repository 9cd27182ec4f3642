"""Bodies and answers of the discharge endpoints."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hep.api.fields import Text


class DischargeIn(Schema):
    note = Text(multiline=True, load_default="", validate=validate.Length(max=4000))


class DischargeOut(Schema):
    id = fields.UUID()
    discharged_at = fields.DateTime()
    discharged_by = fields.String(attribute="discharged_by_name")
    note = fields.String()
    readmitted_at = fields.DateTime(allow_none=True)
    readmitted_by = fields.String(attribute="readmitted_by_name")
