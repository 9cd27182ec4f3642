"""The conversation between visits under real concurrency (gunicorn, several workers): racing
retries of a week's check-in, a questionnaire's answer and a message make one row and one
answer; the first look at the week makes one schedule and one reminder; racing writers
cannot pass the message rate limit together; a read mark only moves forward; a measure is
scheduled once."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from hep.messages import PER_HOUR
from hep.models import (
    MeasurePlan,
    MeasureResponse,
    Message,
    MessageRead,
    Reminder,
    WeeklyReview,
    WeeklyReviewSchedule,
)
from tests.concurrency.harness import Call, Server, no_5xx, one_creator
from tests.conftest import PASSWORD

pytestmark = pytest.mark.slow

RACERS = 4
ROUNDS = 2


def team(server: Server) -> tuple[str, str, str]:
    """A therapist and a patient on their team: (therapist cookie, patient cookie, patient id)."""
    therapist = server.sign_up("therapist")
    body = {"email": f"{uuid.uuid4().hex[:12]}@example.org", "name": "Pat"}
    added = server.ok(Call("POST", "/api/patients", body, therapist), 201)
    code = added["invite"]["url"].rsplit("/", 1)[1]
    accepted = server.call(Call("POST", f"/api/invites/{code}/accept", {"password": PASSWORD}))
    assert accepted.status == 200, accepted.body
    return therapist, accepted.cookie, added["patient"]["id"]


def test_racing_answers_of_one_week_make_one_review(server: Server):
    today = dt.datetime.now(dt.UTC).date()
    sunday = today - dt.timedelta(days=today.isoweekday() % 7)
    for n in range(ROUNDS):
        cookie = server.sign_up()
        server.habit(cookie)  # kept since last week: something was planned
        body = {"sessions_done": 0, "habits_met": 1, "barriers": ["forgot"], "confidence": 6}
        answers = server.race([Call("PUT", f"/api/weekly-reviews/{sunday}", body, cookie)] * RACERS)
        one_creator(answers)
        assert server.count(WeeklyReview, WeeklyReview.week_end == sunday) == n + 1


def test_the_first_looks_at_the_week_make_one_schedule_and_one_reminder(server: Server):
    for n in range(ROUNDS):
        cookie = server.sign_up()
        answers = server.race([Call("GET", "/api/weekly-reviews/current", None, cookie)] * RACERS)
        one_creator(answers, created=200)
        assert server.count(WeeklyReviewSchedule) == n + 1
        assert server.count(Reminder, Reminder.target_kind == "review") == n + 1


def test_racing_answers_of_one_questionnaire_make_one_response(server: Server):
    therapist, patient, patient_id = team(server)
    today = dt.datetime.now(dt.UTC).date()
    for n in range(ROUNDS):
        body = {"instrument": "nprs" if n == 0 else "psfs", "every_weeks": 2}
        plan = server.ok(Call("POST", f"/api/patients/{patient_id}/measures", body, therapist), 201)
        answer = {"score": 5} if n == 0 else {"activities": [{"name": "Stairs", "score": 4}]}
        path = f"/api/measures/{plan['id']}/responses/{today}"
        one_creator(server.race([Call("PUT", path, answer, patient)] * RACERS))
        plan_id = uuid.UUID(plan["id"])
        assert server.count(MeasureResponse, MeasureResponse.plan_id == plan_id) == 1


def test_racing_schedules_of_one_measure_make_one_plan(server: Server):
    therapist, _, patient_id = team(server)
    body = {"instrument": "psfs", "every_weeks": 4}
    call = Call("POST", f"/api/patients/{patient_id}/measures", body, therapist)
    answers = server.race([call] * RACERS)
    assert no_5xx(answers) == []
    assert sorted(a.status for a in answers) == [201] + [409] * (RACERS - 1)
    assert server.count(MeasurePlan) == 1
    assert server.count(Reminder, Reminder.target_kind == "measure") == 1


def test_racing_retries_of_a_message_make_one_message(server: Server):
    therapist, patient, patient_id = team(server)
    for n in range(ROUNDS):
        client_id = uuid.uuid4()
        mine = Call("PUT", f"/api/messages/{client_id}", {"body": f"reply {n}"}, patient)
        one_creator(server.race([mine] * RACERS))
        theirs = Call(
            "PUT", f"/api/patients/{patient_id}/messages/{client_id}", {"body": "note"}, therapist
        )
        one_creator(server.race([theirs] * RACERS))
        assert server.count(Message, Message.client_id == client_id) == 2


def test_racing_writers_cannot_pass_the_rate_limit_together(server: Server):
    therapist, _, patient_id = team(server)
    calls = [
        Call(
            "PUT",
            f"/api/patients/{patient_id}/messages/{uuid.uuid4()}",
            {"body": f"note {n}"},
            therapist,
        )
        for n in range(PER_HOUR + RACERS)
    ]
    answers = []
    for start in range(0, len(calls), RACERS * 2):
        answers += server.race(calls[start : start + RACERS * 2])
    assert no_5xx(answers) == []
    assert sorted({a.status for a in answers}) == [201, 429]
    assert sum(a.status == 201 for a in answers) == PER_HOUR
    assert server.count(Message) == PER_HOUR


def test_racing_read_marks_keep_the_furthest(server: Server):
    therapist, patient, patient_id = team(server)
    seqs = [
        server.ok(
            Call(
                "PUT",
                f"/api/patients/{patient_id}/messages/{uuid.uuid4()}",
                {"body": f"{n}"},
                therapist,
            ),
            201,
        )["seq"]
        for n in range(RACERS)
    ]
    calls = [Call("POST", "/api/messages/read", {"up_to": seq}, patient) for seq in seqs]
    answers = server.race(calls)
    assert no_5xx(answers) == [] and {a.status for a in answers} == {200}
    assert server.count(MessageRead) == 1
    final = server.ok(Call("GET", "/api/messages", None, patient))
    assert (final["read_up_to"], final["unread"]) == (max(seqs), 0)
