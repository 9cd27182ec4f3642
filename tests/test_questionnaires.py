"""Questionnaires: PSFS and pain rating scores, custom questionnaires of every question type,
and bad answers refused with an error for each field."""

from __future__ import annotations

import datetime as dt

import pytest

from hep.db import db
from hep.errors import Conflict, Invalid
from hep.models import Questionnaire, Role
from hep.questionnaires import (
    Activity,
    MeasureAnswer,
    QuestionnaireSpec,
    QuestionSpec,
    create_questionnaire,
    score_answer,
)
from tests.conftest import NOW, Cast

EVERY_TYPE = QuestionnaireSpec(
    "After the first month",
    "About the last week.",
    (
        QuestionSpec("scale", "How steady do you feel on stairs?", True, (), "Not", "Fully"),
        QuestionSpec("single", "Where is it worst?", True, ("Neck", "Back", "Hip")),
        QuestionSpec("multiple", "What helps?", False, ("Heat", "Rest", "Walking")),
        QuestionSpec("text", "Anything else?", False),
        QuestionSpec("scale", "How well do you sleep?", True),
    ),
)


def refused(instrument: str, questionnaire: Questionnaire | None, answer: MeasureAnswer) -> dict:
    with pytest.raises(Invalid) as error:
        score_answer(instrument, questionnaire, answer)
    return error.value.errors or {}


def test_psfs_scores_the_mean_of_the_activities():
    answers, score = score_answer(
        "psfs",
        None,
        MeasureAnswer(
            activities=(
                Activity(" Lifting my child ", 3),
                Activity("Driving", 6),
                Activity("Gardening", 8),
            )
        ),
    )
    assert score == round(17 / 3, 2) == 5.67
    assert answers["activities"][0] == {"name": "Lifting my child", "score": 3}


def test_psfs_wants_named_different_activities():
    assert set(refused("psfs", None, MeasureAnswer(activities=()))) == {"activities"}
    found = refused(
        "psfs",
        None,
        MeasureAnswer(activities=(Activity("Driving", 2), Activity("driving ", 4))),
    )
    assert set(found) == {"activities.1.name"}
    # the pain rating's part is not the PSFS's
    assert set(refused("psfs", None, MeasureAnswer(score=4))) == {"score"}


def test_the_pain_rating_is_its_own_score():
    assert score_answer("nprs", None, MeasureAnswer(score=7)) == ({"score": 7}, 7.0)
    assert set(refused("nprs", None, MeasureAnswer())) == {"score"}


def test_a_custom_questionnaire_keys_its_questions_in_order(cast: Cast):
    therapist = cast.user(Role.THERAPIST)
    questionnaire = create_questionnaire(db.session, therapist, EVERY_TYPE, NOW)
    assert [q["key"] for q in questionnaire.questions] == ["q1", "q2", "q3", "q4", "q5"]
    assert questionnaire.questions[1]["choices"] == ["Neck", "Back", "Hip"]
    assert questionnaire.questions[0]["low_label"] == "Not"
    answers, score = score_answer(
        "custom",
        questionnaire,
        MeasureAnswer(answers={"q1": 4, "q2": 2, "q3": [2, 0], "q4": "Better mornings", "q5": 9}),
    )
    # the score is the mean of the 0-10 answers; choices are kept by position, sorted
    assert score == 6.5
    assert answers == {
        "answers": {"q1": 4, "q2": 2, "q3": [0, 2], "q4": "Better mornings", "q5": 9}
    }
    # optional questions may be left out
    assert (
        score_answer("custom", questionnaire, MeasureAnswer(answers={"q1": 0, "q2": 0, "q5": 1}))[1]
        == 0.5
    )


def test_every_bad_custom_answer_is_named_by_its_question(cast: Cast):
    therapist = cast.user(Role.THERAPIST)
    questionnaire = create_questionnaire(db.session, therapist, EVERY_TYPE, NOW)
    found = refused(
        "custom",
        questionnaire,
        MeasureAnswer(answers={"q1": 11, "q2": 3, "q3": [1, 1], "q4": 5, "q9": 1}),
    )
    assert set(found) == {
        "answers.q1",  # beyond the scale
        "answers.q2",  # no fourth choice
        "answers.q3",  # a choice twice
        "answers.q4",  # a number for a text question
        "answers.q5",  # required, missing
        "answers.q9",  # no such question
    }
    found = refused(
        "custom", questionnaire, MeasureAnswer(answers={"q1": "4", "q2": [1], "q3": 1, "q5": 2})
    )
    assert set(found) == {"answers.q1", "answers.q2", "answers.q3"}
    assert set(refused("custom", questionnaire, MeasureAnswer(score=3))) == {"score"}


def test_a_choice_question_needs_its_choices_and_only_a_scale_has_end_labels(cast: Cast):
    therapist = cast.user(Role.THERAPIST)
    bad = QuestionnaireSpec(
        "Bad",
        "",
        (
            QuestionSpec("single", "One?", True, ("Only",)),
            QuestionSpec("text", "Two?", True, ("A", "B")),
            QuestionSpec("multiple", "Three?", True, ("Same", "same")),
            QuestionSpec("text", "Four?", True, (), "low"),
        ),
    )
    with pytest.raises(Invalid) as error:
        create_questionnaire(db.session, therapist, bad, NOW)
    [problems] = (error.value.errors or {}).values()
    assert [p.split(":")[0] for p in problems] == [f"Question {n}" for n in (1, 2, 3, 4)]


def test_a_therapist_has_at_most_so_many_questionnaires(cast: Cast, monkeypatch):
    monkeypatch.setattr("hep.questionnaires.MAX_QUESTIONNAIRES", 2)
    therapist = cast.user(Role.THERAPIST)
    for _ in range(2):
        create_questionnaire(db.session, therapist, EVERY_TYPE, NOW)
    with pytest.raises(Conflict):
        create_questionnaire(db.session, therapist, EVERY_TYPE, NOW + dt.timedelta(seconds=1))
