"""Bodies and answers of thresholds (hep.care_rules holds their one definition)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hep.api.fields import Boolean, Integer, Text
from hep.care_rules import BOUNDS, NAMES

ABOUT = {
    "high_pain": "a check-in's pain or the day's diary score at or above this",
    "rising_sessions": "pain during one exercise rising over its last this many sessions",
    "rising_points": "... by at least this much from the first of them to the last",
    "too_hard_sessions": "'too hard' on this many of an exercise's last 3 sessions",
    "pain_skips": "skipped for pain this many times in the last 7 days",
}

ThresholdsIn = Schema.from_dict(
    {
        name: Integer(
            BOUNDS[name][0],
            BOUNDS[name][1],
            allow_none=True,
            load_default=None,
            metadata={"description": f"{ABOUT[name]}; null: the default"},
        )
        for name in NAMES
    },
    name="ThresholdsIn",
)
ThresholdsOut = Schema.from_dict(
    {name: fields.Integer(metadata={"description": ABOUT[name]}) for name in NAMES},
    name="ThresholdsOut",
)


class ClinicRulesIn(Schema):
    thresholds = fields.Nested(ThresholdsIn, required=True)
    pain_advice = Text(
        multiline=True,
        required=True,
        validate=validate.Length(max=2000),
        metadata={"description": "what a patient logging high pain is told; empty: hep's words"},
    )


class ClinicRulesOut(Schema):
    own = fields.Dict(metadata={"description": "the thresholds the clinic sets"})
    thresholds = fields.Nested(ThresholdsOut, metadata={"description": "what they come to"})
    defaults = fields.Nested(ThresholdsOut, metadata={"description": "hep's"})
    pain_advice = fields.String()
    default_advice = fields.String()


class PatientRulesIn(Schema):
    thresholds = fields.Nested(ThresholdsIn, required=True)
    auto_progress = Boolean(required=True, metadata={"description": "hep may move items on"})
    auto_regress = Boolean(
        required=True, metadata={"description": "hep steps items back at once (you are told)"}
    )


class PatientRulesOut(Schema):
    own = fields.Dict(metadata={"description": "the patient's own thresholds"})
    thresholds = fields.Nested(ThresholdsOut, metadata={"description": "what they come to"})
    clinic = fields.Nested(ThresholdsOut, metadata={"description": "the clinic's defaults"})
    auto_progress = fields.Boolean()
    auto_regress = fields.Boolean()
