"""Outcome measure plans: the baseline at prescription, due dates every few weeks, answers
only for the date due now, one answer per due date, and what stays when a plan ends."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from hep.care_team import remove_from_team
from hep.db import db
from hep.errors import Conflict, Invalid, NotFound
from hep.measures import (
    PlanSpec,
    assign_plan,
    baseline_day,
    due_now,
    end_plan,
    next_slot,
    put_response,
    responses_of,
)
from hep.models import Exercise, MeasurePlan, MeasureResponse, Questionnaire, Reminder, Role, User
from hep.programs import prescribe
from hep.questionnaires import (
    Activity,
    MeasureAnswer,
    QuestionnaireSpec,
    QuestionSpec,
    archive_questionnaire,
    create_questionnaire,
)
from hep.weeks import slot_on
from tests.conftest import PASSWORD, Cast

MONDAY = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
PAIN = PlanSpec("nprs", None, 2, None)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


@pytest.fixture
def pair(cast: Cast) -> tuple[User, User]:
    therapist = cast.user(Role.THERAPIST)
    patient = cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    return therapist, patient


def test_due_dates_come_every_n_weeks_from_the_baseline():
    first = dt.date(2026, 3, 2)
    assert slot_on(first, 2, dt.date(2026, 3, 1)) is None
    assert slot_on(first, 2, first) == first
    assert slot_on(first, 2, dt.date(2026, 3, 15)) == first
    assert slot_on(first, 2, dt.date(2026, 3, 16)) == dt.date(2026, 3, 16)
    assert next_slot(first, 2, dt.date(2026, 3, 1)) == first
    assert next_slot(first, 2, dt.date(2026, 3, 10)) == dt.date(2026, 3, 16)
    assert next_slot(first, 4, dt.date(2026, 3, 30)) == dt.date(2026, 4, 27)


def test_the_baseline_is_the_start_of_a_program_still_ahead(pair):
    therapist, patient = pair
    today = MONDAY.date()
    assert baseline_day(db.session, patient, today) == today
    exercise = db.session.scalar(select(Exercise).where(Exercise.owner_id.is_(None)).limit(1))
    prescribe(
        db.session,
        therapist,
        patient.id,
        {"title": "P", "start_date": dt.date(2026, 3, 9), "items": [{"exercise_id": exercise.id}]},
        MONDAY,
    )
    plan = assign_plan(db.session, therapist, patient.id, PAIN, MONDAY)
    assert plan.first_due == dt.date(2026, 3, 9)
    # the plan brings the patient's questionnaire reminder, once
    assign_plan(db.session, therapist, patient.id, PlanSpec("psfs", None, 4, None), MONDAY)
    reminders = db.session.scalars(select(Reminder).where(Reminder.owner_id == patient.id)).all()
    assert [(r.target_kind, r.times) for r in reminders] == [("measure", ["18:00"])]


def test_a_plan_names_its_questionnaire_only_when_custom_and_only_one_of_ones_own(cast: Cast, pair):
    therapist, patient = pair
    other = cast.user(Role.THERAPIST)
    spec = QuestionnaireSpec("Q", "", (QuestionSpec("scale", "How?"),))
    theirs = create_questionnaire(db.session, other, spec, MONDAY)
    mine = create_questionnaire(db.session, therapist, spec, MONDAY)
    for wrong in (
        PlanSpec("custom", None, 2, None),
        PlanSpec("custom", theirs.id, 2, None),
        PlanSpec("nprs", mine.id, 2, None),
    ):
        with pytest.raises(Invalid) as error:
            assign_plan(db.session, therapist, patient.id, wrong, MONDAY)
        assert set(error.value.errors or {}) == {"questionnaire_id"}
    archive_questionnaire(db.session, therapist, mine.id, MONDAY)
    with pytest.raises(Invalid):
        assign_plan(db.session, therapist, patient.id, PlanSpec("custom", mine.id, 2, None), MONDAY)
    with pytest.raises(Invalid) as error:
        assign_plan(
            db.session,
            therapist,
            patient.id,
            PlanSpec("nprs", None, 2, dt.date(2026, 3, 1)),
            MONDAY,
        )
    assert set(error.value.errors or {}) == {"first_due"}
    with pytest.raises(NotFound):
        assign_plan(db.session, other, patient.id, PAIN, MONDAY)


def test_one_running_plan_per_measure_and_so_many_at_once(pair, monkeypatch):
    therapist, patient = pair
    plan = assign_plan(db.session, therapist, patient.id, PAIN, MONDAY)
    with pytest.raises(Conflict):
        assign_plan(db.session, therapist, patient.id, PAIN, MONDAY)
    end_plan(db.session, therapist, patient.id, plan.id, MONDAY)
    assign_plan(db.session, therapist, patient.id, PAIN, MONDAY)
    monkeypatch.setattr("hep.measures.MAX_PLANS", 2)
    assign_plan(db.session, therapist, patient.id, PlanSpec("psfs", None, 2, None), MONDAY)
    spec = QuestionnaireSpec("Q", "", (QuestionSpec("text", "How?"),))
    questionnaire = create_questionnaire(db.session, therapist, spec, MONDAY)
    with pytest.raises(Conflict):
        assign_plan(
            db.session, therapist, patient.id, PlanSpec("custom", questionnaire.id, 2, None), MONDAY
        )


def test_only_the_date_due_now_is_answered_once_and_a_replay_changes_nothing(pair):
    therapist, patient = pair
    plan = assign_plan(db.session, therapist, patient.id, PlanSpec("psfs", None, 2, None), MONDAY)
    db.session.commit()
    first = MONDAY.date()
    answer = MeasureAnswer(activities=(Activity("Stairs", 4), Activity("Running", 2)))
    response, created = put_response(db.session, patient, plan.id, first, answer, now=MONDAY)
    db.session.commit()
    assert created and response.score == 3.0
    later = MONDAY + dt.timedelta(days=3)
    again, created = put_response(db.session, patient, plan.id, first, answer, now=later)
    assert not created and again.id == response.id and again.updated_at == MONDAY
    better = MeasureAnswer(activities=(Activity("Stairs", 6), Activity("Running", 4)))
    changed, _ = put_response(db.session, patient, plan.id, first, better, now=later)
    assert changed.score == 5.0 and changed.answered_on == later.date()
    assert due_now(db.session, patient, later) == []

    # two weeks on, the next is due; the first may no longer change
    second = first + dt.timedelta(weeks=2)
    assert due_now(db.session, patient, at(second)) == [(plan, second)]
    with pytest.raises(Conflict):
        put_response(db.session, patient, plan.id, first, answer, now=at(second))
    with pytest.raises(Invalid):  # not a due date of this plan at all
        put_response(
            db.session, patient, plan.id, second + dt.timedelta(days=1), answer, now=at(second)
        )
    with pytest.raises(Conflict):  # not due yet
        put_response(
            db.session, patient, plan.id, second + dt.timedelta(weeks=2), answer, now=at(second)
        )
    put_response(db.session, patient, plan.id, second, answer, now=at(second))
    assert [r.due_on for r in responses_of(db.session, patient.id)] == [first, second]


def test_an_ended_plan_is_not_answered_and_keeps_its_answers(pair, cast: Cast):
    therapist, patient = pair
    plan = assign_plan(db.session, therapist, patient.id, PAIN, MONDAY)
    put_response(db.session, patient, plan.id, MONDAY.date(), MeasureAnswer(score=5), now=MONDAY)
    end_plan(db.session, therapist, patient.id, plan.id, MONDAY + dt.timedelta(days=1))
    with pytest.raises(Conflict):
        put_response(
            db.session, patient, plan.id, MONDAY.date(), MeasureAnswer(score=6), now=MONDAY
        )
    assert db.session.scalar(select(MeasureResponse.score)) == 5.0
    stranger = cast.user(Role.PATIENT)
    with pytest.raises(NotFound):
        put_response(
            db.session, stranger, plan.id, MONDAY.date(), MeasureAnswer(score=1), now=MONDAY
        )


def test_a_therapist_who_left_the_team_can_no_longer_schedule(pair):
    therapist, patient = pair
    remove_from_team(db.session, therapist, patient.id, therapist.id, MONDAY)
    with pytest.raises(NotFound):
        assign_plan(db.session, therapist, patient.id, PAIN, MONDAY)


def test_export_and_deletion_cover_plans_answers_and_questionnaires(cast: Cast, pair):
    therapist, patient = pair
    spec = QuestionnaireSpec("Own", "", (QuestionSpec("scale", "How?"),))
    used = create_questionnaire(db.session, therapist, spec, MONDAY)
    unused = create_questionnaire(db.session, therapist, spec, MONDAY)
    plan = assign_plan(
        db.session, therapist, patient.id, PlanSpec("custom", used.id, 2, None), MONDAY
    )
    put_response(
        db.session, patient, plan.id, MONDAY.date(), MeasureAnswer(answers={"q1": 6}), now=MONDAY
    )
    db.session.commit()
    p, t = cast.client(patient), cast.client(therapist)
    [measure] = p.get("/api/me/export").get_json()["outcome_measures"]
    assert measure["measure"]["title"] == "Own"
    assert [(a["answers"], a["score"]) for a in measure["answers"]] == [
        ({"answers": {"q1": 6}}, 6.0)
    ]
    assert {q["id"] for q in t.get("/api/me/export").get_json()["questionnaires"]} == {
        str(used.id),
        str(unused.id),
    }
    # the therapist goes: the questionnaire a patient answers stays (without an owner)
    assert t.delete("/api/me", json={"password": PASSWORD}).status_code == 204
    db.session.expire_all()  # the request deleted through a session of its own
    kept = db.session.scalars(select(Questionnaire)).all()
    assert [(q.id, q.owner_id) for q in kept] == [(used.id, None)]
    assert p.get("/api/measures").get_json()["plans"][0]["measure"]["title"] == "Own"
    # the patient goes: their plans and answers with them
    assert p.delete("/api/me", json={"password": PASSWORD}).status_code == 204
    db.session.rollback()
    assert db.session.scalar(select(MeasureResponse.id)) is None
    assert db.session.scalar(select(MeasurePlan.id)) is None
