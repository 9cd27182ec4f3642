"""Bodies and answers of outcome measures."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate

from hep.api.fields import UUID, Date, Integer, Text, Words
from hep.api.questionnaires.schemas import MeasureOut
from hep.measures import EVERY_WEEKS, PlanSpec
from hep.models.questionnaires import INSTRUMENTS
from hep.questionnaires import (
    MAX_ACTIVITIES,
    MAX_CHOICES,
    MAX_QUESTIONS,
    Activity,
    MeasureAnswer,
    question_key,
)
from hep.translations import _

MAX_TEXT_ANSWER = 1000
_CHOICE = Integer(0, MAX_CHOICES - 1)
_TEXT = Text(multiline=True, validate=validate.Length(max=MAX_TEXT_ANSWER))


class AnswerValue(fields.Field):
    """One answer to a custom question: a 0-10 rating or a choice's position (an integer), the
    positions of several choices (a list), or text. Which one a question takes is checked
    against the questionnaire (field errors per question key)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, list):
            if len(value) > MAX_CHOICES:
                raise ValidationError(
                    [_("At most {max_choices} choices.", max_choices=MAX_CHOICES)]
                )
            return [_CHOICE.deserialize(v) for v in value]
        if isinstance(value, str):
            return _TEXT.deserialize(value)
        if type(value) is int:
            return Integer(0, 10).deserialize(value)
        raise ValidationError([_("Give a whole number, a list of whole numbers, or text.")])


_ANSWER_DOC = {
    "oneOf": [
        {"type": "integer", "minimum": 0, "maximum": 10, "description": "a rating or a choice"},
        {
            "type": "array",
            "maxItems": MAX_CHOICES,
            "uniqueItems": True,
            "items": {"type": "integer", "minimum": 0, "maximum": MAX_CHOICES - 1},
            "description": "the positions of the choices made",
        },
        {"type": "string", "maxLength": MAX_TEXT_ANSWER, "pattern": _TEXT.metadata["pattern"]},
    ]
}
Answers = Schema.from_dict(
    {question_key(n): AnswerValue(metadata=_ANSWER_DOC) for n in range(MAX_QUESTIONS)},
    name="AnswersIn",
)


class AnswerPath(Schema):
    plan_id = UUID(required=True)
    due_on = Date(required=True)


class PlanIn(Schema):
    instrument = fields.String(required=True, validate=validate.OneOf(INSTRUMENTS))
    questionnaire_id = UUID(
        allow_none=True, load_default=None, metadata={"description": "custom: one of yours"}
    )
    every_weeks = Integer(*EVERY_WEEKS, required=True)
    first_due = Date(
        allow_none=True,
        load_default=None,
        metadata={"description": "the baseline; default: the program's start if ahead, else today"},
    )

    @post_load
    def _spec(self, data: dict[str, Any], **kwargs: Any) -> PlanSpec:
        return PlanSpec(
            data["instrument"], data["questionnaire_id"], data["every_weeks"], data["first_due"]
        )


class ActivityIn(Schema):
    name = Words(required=True, validate=validate.Length(1, 80))
    score = Integer(0, 10, required=True)


class AnswerIn(Schema):
    """Give the part the measure asks for: `activities` (PSFS), `score` (pain rating) or
    `answers` by question key (a custom questionnaire)."""

    activities = fields.List(
        fields.Nested(ActivityIn),
        load_default=None,
        validate=validate.Length(max=MAX_ACTIVITIES),
    )
    score = Integer(0, 10, load_default=None)
    answers = fields.Nested(
        Answers,
        load_default=None,
        metadata={"description": "by question key: the questions the questionnaire has"},
    )

    @post_load
    def _answer(self, data: dict[str, Any], **kwargs: Any) -> MeasureAnswer:
        activities = data["activities"]
        return MeasureAnswer(
            None if activities is None else tuple(Activity(**a) for a in activities),
            data["score"],
            data["answers"],
        )


class ResponseOut(Schema):
    due_on = fields.Date()
    answered_on = fields.Date()
    answers = fields.Dict(metadata={"description": "as given: activities, score or answers"})
    score = fields.Float(allow_none=True)
    updated_at = fields.DateTime()


class PlanOut(Schema):
    id = fields.UUID()
    every_weeks = fields.Integer()
    first_due = fields.Date()
    ended = fields.Boolean()
    due_on = fields.Date(allow_none=True, metadata={"description": "the due date in force"})
    due_now = fields.Boolean(metadata={"description": "due and not answered yet"})
    next_due = fields.Date(allow_none=True)
    previous_activities = fields.List(fields.String(), metadata={"description": "PSFS"})
    measure = fields.Nested(MeasureOut)
    responses = fields.List(fields.Nested(ResponseOut))


class WeekOut(Schema):
    week_start = fields.Date()
    percent = fields.Float(allow_none=True)
    pain = fields.Float(allow_none=True)


class MeasuresOut(Schema):
    plans = fields.List(fields.Nested(PlanOut))
    weeks = fields.List(
        fields.Nested(WeekOut), metadata={"description": "adherence and pain week by week"}
    )
