"""Outcome measures over HTTP: the therapist schedules, the patient answers what is due (a
retry is one answer, a bad answer is refused by field), and both see the scores beside
adherence; the therapist's reads are logged and end with their place on the team."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from hep.care_team import remove_from_team
from hep.clock import utcnow
from hep.db import db
from hep.models import Role
from tests.api.test_questionnaires import EVERY_TYPE
from tests.conftest import Cast


@pytest.fixture
def people(cast: Cast) -> dict[str, Any]:
    therapist = cast.user(Role.THERAPIST, "Dr Measure")
    patient = cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    return {
        "therapist": therapist,
        "patient": patient,
        "t": cast.client(therapist),
        "p": cast.client(patient),
        "base": f"/api/patients/{patient.id}/measures",
    }


def schedule(people: dict[str, Any], **body: Any) -> dict[str, Any]:
    response = people["t"].post(people["base"], json={"every_weeks": 2} | body)
    assert response.status_code == 201, response.get_json()
    found: dict[str, Any] = response.get_json()
    return found


def test_a_scheduled_psfs_is_due_answered_once_and_charted(people):
    t, p = people["t"], people["p"]
    plan = schedule(people, instrument="psfs")
    today = utcnow().date()
    assert (plan["due_on"], plan["due_now"]) == (str(today), True)
    assert plan["next_due"] == str(today + dt.timedelta(weeks=2))
    assert plan["measure"]["instructions"].startswith("Think of up to five things")

    mine = p.get("/api/measures").get_json()
    assert [x["id"] for x in mine["plans"]] == [plan["id"]]
    assert mine["weeks"][-1]["week_start"] <= str(today)
    path = f"/api/measures/{plan['id']}/responses/{today}"
    body = {"activities": [{"name": "Stairs", "score": 3}, {"name": "Cycling", "score": 6}]}
    first = p.put(path, json=body)
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["score"] == 4.5
    again = p.put(path, json=body)
    assert again.status_code == 200 and again.get_json() == first.get_json()
    shown = p.get(f"/api/measures/{plan['id']}").get_json()
    assert shown["due_now"] is False
    assert shown["previous_activities"] == ["Stairs", "Cycling"]
    seen = t.get(people["base"]).get_json()
    assert [r["score"] for r in seen["plans"][0]["responses"]] == [4.5]
    actions = [e["action"] for e in p.get("/api/me/access-log").get_json()]
    assert "outcome measures" in actions


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"answers": {"q1": 11, "q2": 0}}, {"answers"}),  # no question takes 11
        ({"answers": {"q1": 5}}, {"answers.q2"}),
        ({"answers": {"q1": 5, "q2": 2}}, {"answers.q2"}),
        ({"answers": {"q1": 5, "q2": 0, "q3": [0, 0]}}, {"answers.q3"}),
        ({"answers": {"q1": 5, "q2": 0, "q4": 3}}, {"answers.q4"}),
        ({"answers": {"q1": 5, "q2": 0, "q7": 1}}, {"answers.q7"}),
        ({"answers": {"q1": True, "q2": 0}}, {"answers"}),
        ({"answers": {"q1": 2.5, "q2": 0}}, {"answers"}),
        ({"answers": {"first": 2}}, {"answers"}),
        ({"score": 4}, {"score"}),
        ({"score": 12}, {"score"}),
    ],
)
def test_bad_answers_to_a_custom_questionnaire_are_refused_by_field(people, body, fields):
    questionnaire = people["t"].post("/api/questionnaires", json=EVERY_TYPE).get_json()
    plan = schedule(people, instrument="custom", questionnaire_id=questionnaire["id"])
    response = people["p"].put(f"/api/measures/{plan['id']}/responses/{plan['due_on']}", json=body)
    assert response.status_code == 422, response.get_json()
    assert set(response.get_json()["errors"]) == fields


def test_every_question_type_answered(people):
    questionnaire = people["t"].post("/api/questionnaires", json=EVERY_TYPE).get_json()
    plan = schedule(people, instrument="custom", questionnaire_id=questionnaire["id"])
    body = {"answers": {"q1": 7, "q2": 1, "q3": [1, 0], "q4": "<b>not markup</b>"}}
    response = people["p"].put(f"/api/measures/{plan['id']}/responses/{plan['due_on']}", json=body)
    assert response.status_code == 201, response.get_json()
    answered = response.get_json()
    assert answered["answers"] == {
        "answers": {"q1": 7, "q2": 1, "q3": [0, 1], "q4": "<b>not markup</b>"}
    }
    assert answered["score"] == 7.0


def test_a_plan_is_scheduled_once_and_ended_by_the_team(people, cast: Cast):
    t = people["t"]
    plan = schedule(people, instrument="nprs", every_weeks=4)
    assert t.post(people["base"], json={"instrument": "nprs", "every_weeks": 4}).status_code == 409
    bad = t.post(people["base"], json={"instrument": "custom", "every_weeks": 27})
    assert set(bad.get_json()["errors"]) == {"every_weeks"}
    missing = t.post(people["base"], json={"instrument": "custom", "every_weeks": 2})
    assert set(missing.get_json()["errors"]) == {"questionnaire_id"}
    stranger = cast.client(cast.user(Role.THERAPIST))
    assert (
        stranger.post(people["base"], json={"instrument": "psfs", "every_weeks": 2}).status_code
        == 404
    )
    assert stranger.delete(f"{people['base']}/{plan['id']}").status_code == 404
    assert t.delete(f"{people['base']}/{uuid.uuid4()}").status_code == 404
    assert t.delete(f"{people['base']}/{plan['id']}").status_code == 204
    shown = people["p"].get("/api/measures").get_json()["plans"][0]
    assert shown["ended"] is True and shown["due_now"] is False

    remove_from_team(
        db.session, people["therapist"], people["patient"].id, people["therapist"].id, utcnow()
    )
    db.session.commit()
    assert t.get(people["base"]).status_code == 404
    assert t.post(people["base"], json={"instrument": "psfs", "every_weeks": 2}).status_code == 404
