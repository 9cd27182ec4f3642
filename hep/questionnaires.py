"""Questionnaires: the built-in measures (the Patient-Specific Functional Scale and the 0-10
pain rating, in hep's own words), the ones therapists build (0-10 scales, single and
multiple choice, text), and how an answer is checked and scored."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hep.care import export_section
from hep.db import lock_names
from hep.errors import Conflict, Invalid, NotFound
from hep.models import Questionnaire, User
from hep.translations import _

MAX_ACTIVITIES = 5  # PSFS: activities a patient names
MAX_QUESTIONS = 20
MAX_CHOICES = 10
MAX_QUESTIONNAIRES = 100  # a therapist's own, not archived
SCALE = (0, 10)


@dataclass(frozen=True)
class Instrument:
    """A built-in measure: what the patient reads, and how its score is named."""

    key: str
    title: str
    instructions: str
    score_label: str
    low_label: str
    high_label: str


BUILT_IN = {
    "psfs": Instrument(
        "psfs",
        "Everyday activities (Patient-Specific Functional Scale)",
        "Think of up to five things you need or want to do in a normal day that your problem "
        "makes hard. Give each a number from 0 to 10 for how well you can do it now: 0 if you "
        "cannot do it at all, 10 if you can do it just as well as before the problem started. "
        "Next time you will be asked about the same activities, so you can see what changes.",
        "Activities score (0-10, higher is better)",
        "cannot do it",
        "as well as before",
    ),
    "nprs": Instrument(
        "nprs",
        "Pain rating (0-10)",
        "Think about your pain over the last day. Choose the number that fits it best: 0 "
        "means no pain at all and 10 means the worst pain you can imagine.",
        "Pain (0-10, lower is better)",
        "no pain",
        "the worst imaginable",
    ),
}


@dataclass(frozen=True)
class QuestionSpec:
    type: str  # QUESTION_TYPES
    text: str
    required: bool = True
    choices: tuple[str, ...] = ()
    low_label: str = ""
    high_label: str = ""


@dataclass(frozen=True)
class QuestionnaireSpec:
    title: str
    instructions: str
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class Activity:
    name: str
    score: int


AnswerValue = int | str | list[int]


@dataclass(frozen=True)
class MeasureAnswer:
    """An answer as sent: PSFS activities, a pain rating, or a custom questionnaire's answers
    by question key; only the one the instrument asks for may be given."""

    activities: tuple[Activity, ...] | None = None
    score: int | None = None
    answers: dict[str, AnswerValue] | None = field(default=None)


def question_key(position: int) -> str:
    return f"q{position + 1}"


def _check_spec(spec: QuestionnaireSpec) -> list[dict[str, Any]]:
    """The questions as stored, keyed by position; what is wrong with any, question by
    question, under the one field "questions"."""
    problems = []
    questions = []
    for position, question in enumerate(spec.questions):
        has_choices = question.type in ("single", "multiple")
        choices = [c.strip() for c in question.choices]
        if has_choices and len(choices) < 2:
            problems.append(f"Question {position + 1}: give at least two choices.")
        elif not has_choices and choices:
            problems.append(f"Question {position + 1}: only a choice question has choices.")
        elif len({c.casefold() for c in choices}) != len(choices):
            problems.append(f"Question {position + 1}: give each choice only once.")
        if question.type != "scale" and (question.low_label or question.high_label):
            problems.append(f"Question {position + 1}: only a 0-10 scale has end labels.")
        entry: dict[str, Any] = {
            "key": question_key(position),
            "type": question.type,
            "text": question.text.strip(),
            "required": question.required,
        }
        if has_choices:
            entry["choices"] = choices
        if question.type == "scale":
            entry["low_label"] = question.low_label.strip()
            entry["high_label"] = question.high_label.strip()
        questions.append(entry)
    if problems:
        raise Invalid(_("Some questions need another look."), {"questions": problems})
    return questions


def create_questionnaire(
    session: Session, therapist: User, spec: QuestionnaireSpec, now: dt.datetime
) -> Questionnaire:
    """A therapist's own questionnaire; its questions are keyed q1, q2, ... in order."""
    questions = _check_spec(spec)
    lock_names(session, [f"questionnaires:{therapist.id}"])  # counted and added one at a time
    count = session.scalar(
        select(func.count())
        .select_from(Questionnaire)
        .where(Questionnaire.owner_id == therapist.id, Questionnaire.archived_at.is_(None))
    )
    if (count or 0) >= MAX_QUESTIONNAIRES:
        raise Conflict(
            _("At most {count} questionnaires; archive one first.", count=MAX_QUESTIONNAIRES)
        )
    questionnaire = Questionnaire(
        owner_id=therapist.id,
        title=spec.title.strip(),
        instructions=spec.instructions.strip(),
        questions=questions,
        created_at=now,
    )
    session.add(questionnaire)
    session.flush()
    return questionnaire


def questionnaires_of(session: Session, therapist: User) -> Sequence[Questionnaire]:
    return session.scalars(
        select(Questionnaire)
        .where(Questionnaire.owner_id == therapist.id, Questionnaire.archived_at.is_(None))
        .order_by(Questionnaire.title, Questionnaire.id)
    ).all()


def own_questionnaire(
    session: Session, therapist: User, questionnaire_id: uuid.UUID
) -> Questionnaire:
    found = session.get(Questionnaire, questionnaire_id)
    if found is None or found.owner_id != therapist.id:
        raise NotFound()
    return found


def archive_questionnaire(
    session: Session, therapist: User, questionnaire_id: uuid.UUID, now: dt.datetime
) -> None:
    """No new plans may use it; plans that do keep it."""
    questionnaire = own_questionnaire(session, therapist, questionnaire_id)
    if questionnaire.archived_at is None:
        questionnaire.archived_at = now
        session.flush()


def drop_unused(session: Session, owner: User) -> None:
    """Before an account goes: its questionnaires no plan uses go too (the rest stay, without
    an owner, for the patients who answer them)."""
    from hep.models import MeasurePlan

    used = select(MeasurePlan.questionnaire_id).where(MeasurePlan.questionnaire_id.is_not(None))
    for questionnaire in session.scalars(
        select(Questionnaire).where(
            Questionnaire.owner_id == owner.id, Questionnaire.id.not_in(used)
        )
    ):
        session.delete(questionnaire)
    session.flush()


# --- answers -------------------------------------------------------------------------------


def _mean(values: Sequence[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _psfs(answer: MeasureAnswer) -> tuple[dict[str, Any], float | None]:
    activities = answer.activities or ()
    errors: dict[str, list[str]] = {}
    if not activities:
        errors["activities"] = ["Name at least one activity."]
    names = [a.name.strip() for a in activities]
    for position, name in enumerate(names):
        if not name:
            errors[f"activities.{position}.name"] = ["Name the activity."]
        elif name.casefold() in (n.casefold() for n in names[:position]):
            errors[f"activities.{position}.name"] = ["Name each activity only once."]
    if errors:
        raise Invalid(_("Some answers need another look."), errors)
    stored = [{"name": name, "score": a.score} for name, a in zip(names, activities, strict=True)]
    return {"activities": stored}, _mean([a.score for a in activities])


def _custom_value(question: dict[str, Any], value: AnswerValue) -> str | None:
    """What is wrong with one answer to one question, or None."""
    kind = question["type"]
    if kind == "scale":
        ok = type(value) is int and SCALE[0] <= value <= SCALE[1]
        return None if ok else "Choose a whole number from 0 to 10."
    if kind == "single":
        ok = type(value) is int and 0 <= value < len(question["choices"])
        return None if ok else "Choose one of the choices."
    if kind == "multiple":
        if not isinstance(value, list) or any(
            type(v) is not int or not 0 <= v < len(question["choices"]) for v in value
        ):
            return "Choose from the choices."
        if len(set(value)) != len(value):
            return "Choose each choice only once."
        return "Choose at least one." if question["required"] and not value else None
    if not isinstance(value, str):
        return "Write your answer as text."
    return "Write an answer." if question["required"] and not value.strip() else None


def _custom(
    questionnaire: Questionnaire, answer: MeasureAnswer
) -> tuple[dict[str, Any], float | None]:
    given = answer.answers or {}
    questions = {q["key"]: q for q in questionnaire.questions}
    errors: dict[str, list[str]] = {
        f"answers.{key}": ["There is no such question."] for key in given if key not in questions
    }
    stored: dict[str, Any] = {}
    for key, question in questions.items():
        if key not in given:
            if question["required"]:
                errors[f"answers.{key}"] = ["Answer this question."]
            continue
        value = given[key]
        problem = _custom_value(question, value)
        if problem:
            errors[f"answers.{key}"] = [problem]
        else:
            stored[key] = sorted(value) if isinstance(value, list) else value
    if errors:
        raise Invalid(_("Some answers need another look."), errors)
    scales = [v for k, v in stored.items() if questions[k]["type"] == "scale"]
    return {"answers": stored}, _mean(scales)


def score_answer(
    instrument: str, questionnaire: Questionnaire | None, answer: MeasureAnswer
) -> tuple[dict[str, Any], float | None]:
    """The answer as stored and its score: PSFS the mean of the activities' ratings, the pain
    rating itself, a custom questionnaire the mean of its 0-10 scales (None without any).
    Raises Invalid with an error per field: the instrument's own part only, every question."""
    given = {
        "activities": answer.activities is not None,
        "score": answer.score is not None,
        "answers": answer.answers is not None,
    }
    wanted = {"psfs": "activities", "nprs": "score", "custom": "answers"}[instrument]
    extra = [name for name, present in given.items() if present and name != wanted]
    if extra:
        raise Invalid(
            _("Some answers need another look."),
            {name: [_("Not asked by this questionnaire.")] for name in extra},
        )
    if instrument == "psfs":
        return _psfs(answer)
    if instrument == "nprs":
        if answer.score is None:
            raise Invalid.field("score", _("Choose a number from 0 to 10."))
        return {"score": answer.score}, float(answer.score)
    assert questionnaire is not None
    return _custom(questionnaire, answer)


def definition(instrument: str, questionnaire: Questionnaire | None) -> dict[str, Any]:
    """What the patient reads and answers: title, instructions, and the questions (custom),
    or the built-in measure's own."""
    if instrument != "custom":
        built_in = BUILT_IN[instrument]
        return {
            "instrument": instrument,
            "questionnaire_id": None,
            "title": built_in.title,
            "instructions": built_in.instructions,
            "score_label": built_in.score_label,
            "low_label": built_in.low_label,
            "high_label": built_in.high_label,
            "questions": [],
        }
    assert questionnaire is not None
    scored = any(q["type"] == "scale" for q in questionnaire.questions)
    return {
        "instrument": instrument,
        "questionnaire_id": questionnaire.id,
        "title": questionnaire.title,
        "instructions": questionnaire.instructions,
        "score_label": "Mean of the 0-10 answers" if scored else "",
        "low_label": "",
        "high_label": "",
        "questions": questionnaire.questions,
    }


@export_section
def _export_questionnaires(session: Session, user: User) -> tuple[str, Any]:
    """The questionnaires the user built (a therapist's), archived ones too."""
    return "questionnaires", [
        {
            "id": str(q.id),
            "title": q.title,
            "instructions": q.instructions,
            "questions": q.questions,
            "created_at": q.created_at.isoformat(),
            "archived": q.archived_at is not None,
        }
        for q in session.scalars(
            select(Questionnaire)
            .where(Questionnaire.owner_id == user.id)
            .order_by(Questionnaire.created_at)
        )
    ]
