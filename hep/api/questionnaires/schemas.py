"""Bodies and answers of questionnaires."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_load, validate

from hep.api.fields import Boolean, Text, Words
from hep.models.questionnaires import INSTRUMENTS, QUESTION_TYPES
from hep.questionnaires import MAX_CHOICES, MAX_QUESTIONS, QuestionnaireSpec, QuestionSpec


class QuestionIn(Schema):
    type = fields.String(required=True, validate=validate.OneOf(QUESTION_TYPES))
    text = Words(required=True, validate=validate.Length(1, 200))
    required = Boolean(load_default=True)
    choices = fields.List(
        Words(validate=validate.Length(1, 80)),
        load_default=list,
        validate=validate.Length(max=MAX_CHOICES),
        metadata={"description": "single and multiple choice: 2 or more, each once"},
    )
    low_label = Text(load_default="", validate=validate.Length(max=40))
    high_label = Text(load_default="", validate=validate.Length(max=40))

    @post_load
    def _spec(self, data: dict[str, Any], **_: Any) -> QuestionSpec:
        return QuestionSpec(
            data["type"],
            data["text"],
            data["required"],
            tuple(data["choices"]),
            data["low_label"],
            data["high_label"],
        )


class QuestionnaireIn(Schema):
    title = Words(required=True, validate=validate.Length(1, 120))
    instructions = Text(multiline=True, load_default="", validate=validate.Length(max=2000))
    questions = fields.List(
        fields.Nested(QuestionIn), required=True, validate=validate.Length(1, MAX_QUESTIONS)
    )

    @post_load
    def _spec(self, data: dict[str, Any], **_: Any) -> QuestionnaireSpec:
        return QuestionnaireSpec(data["title"], data["instructions"], tuple(data["questions"]))


class QuestionOut(Schema):
    key = fields.String(metadata={"description": "what an answer names it by"})
    type = fields.String(validate=validate.OneOf(QUESTION_TYPES))
    text = fields.String()
    required = fields.Boolean()
    choices = fields.List(fields.String(), metadata={"description": "answered by position"})
    low_label = fields.String()
    high_label = fields.String()


class QuestionnaireOut(Schema):
    id = fields.UUID()
    title = fields.String()
    instructions = fields.String()
    questions = fields.List(fields.Nested(QuestionOut))
    created_at = fields.DateTime()


class MeasureOut(Schema):
    """What a measure asks: a built-in one (no questions) or a questionnaire's questions."""

    instrument = fields.String(validate=validate.OneOf(INSTRUMENTS))
    questionnaire_id = fields.UUID(allow_none=True)
    title = fields.String()
    instructions = fields.String()
    score_label = fields.String()
    low_label = fields.String()
    high_label = fields.String()
    questions = fields.List(fields.Nested(QuestionOut))


class LibraryOut(Schema):
    built_in = fields.List(fields.Nested(MeasureOut))
    own = fields.List(fields.Nested(QuestionnaireOut))
