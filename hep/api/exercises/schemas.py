"""Bodies and answers of /api/exercises."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, missing, validate

from hep.api.changes import Changes
from hep.api.fields import UUID, Boolean, HttpsUrl, Integer, QueryBoolean, Text
from hep.api.paging import PageArgs
from hep.illustrations import illustration_url
from hep.languages import request_language
from hep.library import exercise_words
from hep.models import Exercise
from hep.models.library import CATEGORIES, EQUIPMENT, REGIONS, SIDES, tag_list


class Dose(Schema):
    sets = Integer(1, 20, load_default=1)
    reps = Integer(1, 500, allow_none=True, load_default=None)
    hold_seconds = Integer(1, 3600, allow_none=True, load_default=None)
    duration_seconds = Integer(1, 7200, allow_none=True, load_default=None)
    rest_seconds = Integer(0, 3600, allow_none=True, load_default=None)
    side = fields.String(load_default="both", validate=validate.OneOf(SIDES))
    times_per_day = Integer(1, 10, load_default=1)


class ExerciseIn(Schema):
    name = Text(required=True, validate=validate.Length(min=1, max=120))
    summary = Text(load_default="", validate=validate.Length(max=300))
    regions = fields.List(
        fields.String(validate=validate.OneOf(REGIONS)),
        required=True,
        validate=validate.Length(min=1, max=len(REGIONS)),
    )
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    equipment = fields.List(
        fields.String(validate=validate.OneOf(EQUIPMENT)),
        load_default=list,
        validate=validate.Length(max=len(EQUIPMENT)),
    )
    dose = fields.Nested(Dose, load_default=dict)
    instructions = fields.List(
        Text(multiline=True, validate=validate.Length(min=1, max=500)),
        load_default=list,
        validate=validate.Length(max=20),
    )
    cautions = fields.List(
        Text(multiline=True, validate=validate.Length(min=1, max=500)),
        load_default=list,
        validate=validate.Length(max=10),
    )
    media_url = HttpsUrl(allow_none=True, load_default=None)
    clinic_id = UUID(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "share with this clinic of yours (its therapists see and prescribe "
            "it); null: private"
        },
    )


class ExercisePatch(Changes, ExerciseIn):
    """ExerciseIn with every field optional; a dose changes only the parts given. Also
    archives (hidden from search and new prescriptions, kept where used) or brings back."""

    merged = ("dose",)

    archived = Boolean()


class _Said(fields.Field):
    """An exercise's words as its reader says them (a built-in's translation; a therapist's
    own as written)."""

    def get_value(self, obj: Any, attr: str, accessor: Any = None, default: Any = missing) -> Any:
        if isinstance(obj, Exercise):
            return getattr(exercise_words(obj, request_language()), attr)
        return super().get_value(obj, attr, accessor, default)


class _SaidString(_Said, fields.String):
    pass


class _SaidList(_Said, fields.List):
    pass


class ExerciseOut(Schema):
    id = fields.UUID()
    slug = fields.String(allow_none=True)
    built_in = fields.Boolean()
    name = _SaidString(metadata={"description": "in the reader's language"})
    summary = _SaidString()
    regions = fields.Function(lambda e: tag_list(e.regions))
    category = fields.String()
    equipment = fields.Function(lambda e: tag_list(e.equipment))
    dose = fields.Function(
        lambda e: {
            f: getattr(e, f)
            for f in (
                "sets",
                "reps",
                "hold_seconds",
                "duration_seconds",
                "rest_seconds",
                "side",
                "times_per_day",
            )
        }
    )
    instructions = _SaidList(fields.String())
    cautions = _SaidList(fields.String())
    media_url = fields.String(allow_none=True)
    illustration = fields.Function(
        illustration_url,
        allow_none=True,
        metadata={"description": "hep's own picture of a built-in exercise (SVG); null for others"},
    )
    owner_id = fields.UUID(
        allow_none=True,
        metadata={"description": "its author; null for built-ins and when the author left"},
    )
    clinic_id = fields.UUID(allow_none=True, metadata={"description": "shared with this clinic"})
    archived = fields.Function(lambda e: e.archived_at is not None)


class ExerciseFilter(PageArgs):
    region = fields.String(validate=validate.OneOf(REGIONS))
    category = fields.String(validate=validate.OneOf(CATEGORIES))
    equipment = fields.String(validate=validate.OneOf((*EQUIPMENT, "none")))
    q = Text(validate=validate.Length(max=100))
    mine = QueryBoolean(load_default=False)
    archived = QueryBoolean(
        load_default=False, metadata={"description": "true: the archived ones instead"}
    )
