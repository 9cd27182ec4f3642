"""Bodies and answers of programs and templates."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hep.api.changes import Changes
from hep.api.fields import (
    SQL_INT_MAX,
    UUID,
    Boolean,
    Date,
    Integer,
    QueryBoolean,
    QueryInteger,
    Text,
)
from hep.models.library import SIDES
from hep.steps import STEP_BOUNDS


class ItemIn(Schema):
    exercise_id = UUID(required=True)
    item_key = UUID(metadata={"description": "keep an item's key across versions"})
    sets = Integer(1, 20)
    reps = Integer(1, 500, allow_none=True)
    hold_seconds = Integer(1, 3600, allow_none=True)
    duration_seconds = Integer(1, 7200, allow_none=True)
    rest_seconds = Integer(0, 3600, allow_none=True)
    side = fields.String(validate=validate.OneOf(SIDES))
    load_note = Text(validate=validate.Length(max=120))
    times_per_day = Integer(1, 10)
    weekdays = Integer(
        1,
        127,
        metadata={"description": "bit mask, bit 0 = Monday ... bit 6 = Sunday"},
    )
    notes = Text(multiline=True, validate=validate.Length(max=1000))


class StepIn(Changes):
    """The next or previous step of an item: another exercise, or the same with a different
    dose (only the fields given change; at least one)."""

    exercise_id = UUID(metadata={"description": "left out: the same exercise"})
    sets = Integer(1, 20)
    reps = Integer(1, 500, allow_none=True)
    hold_seconds = Integer(1, 3600, allow_none=True)
    duration_seconds = Integer(1, 7200, allow_none=True)
    times_per_day = Integer(1, 10)
    load_note = Text(validate=validate.Length(max=120))


StepRulesIn = Schema.from_dict(
    {
        name: Integer(low, high, metadata={"description": about})
        for name, (low, high, about) in STEP_BOUNDS.items()
    },
    name="StepRulesIn",
)


class ProgramItemIn(ItemIn):
    """An item of a program: a template's, and what hep does with it in a pause and when it
    proposes a step."""

    keep_in_flare = Boolean(metadata={"description": "still due in a flare-up"})
    minimum_dose = Boolean(metadata={"description": "still due in a busy week"})
    next_step = fields.Nested(StepIn, metadata={"description": "left out: none"})
    previous_step = fields.Nested(StepIn, metadata={"description": "left out: none"})
    step_rules = fields.Nested(
        StepRulesIn, metadata={"description": "this item's criteria where they differ from hep's"}
    )


class ProgramIn(Schema):
    title = Text(required=True, validate=validate.Length(min=1, max=120))
    notes = Text(multiline=True, load_default="", validate=validate.Length(max=4000))
    start_date = Date(required=True)
    end_date = Date(allow_none=True, load_default=None)
    pain_advice = Text(
        multiline=True,
        validate=validate.Length(max=2000),
        metadata={"description": "what a patient logging high pain is told to do (else hep's)"},
    )
    items = fields.List(
        fields.Nested(ProgramItemIn), required=True, validate=validate.Length(min=1, max=40)
    )


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
    keep_in_flare = fields.Boolean()
    minimum_dose = fields.Boolean()
    next_step = fields.Dict(allow_none=True, metadata={"description": "with exercise_name"})
    previous_step = fields.Dict(allow_none=True, metadata={"description": "with exercise_name"})
    step_rules = fields.Dict(allow_none=True)


class ProgramOut(Schema):
    id = fields.UUID()
    patient_id = fields.UUID()
    version = fields.Integer()
    title = fields.String()
    notes = fields.String()
    start_date = fields.Date()
    end_date = fields.Date(allow_none=True)
    change_note = fields.String()
    pain_advice = fields.String()
    updated_at = fields.DateTime()
    archived_at = fields.DateTime(allow_none=True)
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


class ComparisonArgs(Schema):
    from_version = QueryInteger(1, SQL_INT_MAX, data_key="from", required=True)
    to_version = QueryInteger(1, SQL_INT_MAX, data_key="to", required=True)


class FieldChange(Schema):
    field = fields.String(metadata={"description": "the field's name in a version or an item"})
    before = fields.Raw(allow_none=True)
    after = fields.Raw(allow_none=True)


class ItemChange(Schema):
    item_key = fields.UUID()
    change = fields.String(
        metadata={"description": "added, removed, changed (its dose, or another exercise), same"}
    )
    exercise = fields.String(metadata={"description": "the exercise (as the newer version has it)"})
    exercise_before = fields.String(
        allow_none=True, metadata={"description": "the exercise in the older version (null: added)"}
    )
    fields_ = fields.List(fields.Nested(FieldChange), data_key="fields", attribute="fields")


class ComparisonOut(Schema):
    program_id = fields.UUID()
    from_version = fields.Integer()
    to_version = fields.Integer()
    fields_ = fields.List(
        fields.Nested(FieldChange),
        data_key="fields",
        attribute="fields",
        metadata={"description": "the program's own fields that differ (title, notes, dates)"},
    )
    items = fields.List(
        fields.Nested(ItemChange),
        metadata={"description": "the newer version's items in order, then the removed ones"},
    )


class ProgramListArgs(Schema):
    archived = QueryBoolean(load_default=False)


class ProgramEnd(Schema):
    last_day = Date(
        metadata={"description": "the program's last day; by default the patient's yesterday"}
    )
