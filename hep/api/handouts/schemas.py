"""Answers of the handout operations."""

from __future__ import annotations

from marshmallow import Schema, fields

from hep.api.fields import SQL_INT_MAX, QueryInteger


class HandoutArgs(Schema):
    version = QueryInteger(
        1, SQL_INT_MAX, metadata={"description": "a past version's; default the current"}
    )


class PictureOut(Schema):
    url = fields.String(metadata={"description": "a photo's thumbnail, or hep's drawing"})
    alt = fields.String()


class HandoutItemOut(Schema):
    name = fields.String()
    summary = fields.String()
    dose = fields.String(metadata={"description": "e.g. 3 sets of 10 reps, hold 5 s, each side"})
    schedule = fields.String(metadata={"description": "e.g. Twice a day, on Mon, Wed, Fri"})
    steps = fields.List(fields.String())
    cautions = fields.List(fields.String())
    notes = fields.String(metadata={"description": "the therapist's notes on this exercise"})
    picture = fields.Nested(PictureOut, allow_none=True)


class HandoutOut(Schema):
    program_id = fields.UUID()
    version = fields.Integer()
    title = fields.String()
    patient_name = fields.String()
    therapist_name = fields.String()
    clinic_name = fields.String()
    printed_on = fields.Date()
    dates = fields.String(metadata={"description": "e.g. From 2 March 2026 to 30 April 2026"})
    notes = fields.String(metadata={"description": "the therapist's notes on the program"})
    app_url = fields.String(metadata={"description": "what the QR code opens"})
    qr_code = fields.Function(
        lambda h: h.qr_svg(), metadata={"description": "the QR code, an SVG data: URI"}
    )
    items = fields.List(fields.Nested(HandoutItemOut))
