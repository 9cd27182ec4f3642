"""Step proposals through the API: worked out right after a check-in that rates the exercise,
shown to the team with their sessions, applied or dismissed in one tap, and told to the
patient in plain words."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select

from hep.db import db
from hep.models import Exercise, Role
from tests.conftest import Cast


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.get_json()
    return response.get_json()


def test_a_painful_check_in_proposes_a_step_back_the_team_applies_in_one_tap(cast: Cast):
    therapist, other = cast.user(Role.THERAPIST), cast.user(Role.THERAPIST)
    patient = cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    desk, phone = cast.client(therapist), cast.client(patient)
    hard, easy = db.session.scalars(select(Exercise.id).order_by(Exercise.name).limit(2)).all()
    today = dt.datetime.now(dt.UTC).date()
    item = {
        "exercise_id": str(hard),
        "previous_step": {"exercise_id": str(easy), "reps": 5},
        "next_step": {"sets": 3},
        "step_rules": {"regress_pain": 5, "regress_sessions": 1, "regress_window": 1},
    }
    program = ok(
        desk.post(
            f"/api/patients/{patient.id}/programs",
            json={"title": "Back", "start_date": today.isoformat(), "items": [item]},
        ),
        201,
    )
    shown = program["items"][0]
    assert shown["previous_step"]["exercise_name"] != shown["exercise"]["name"]
    assert shown["next_step"]["words"] == "3 sets" and shown["step_rules"]["regress_pain"] == 5
    key = shown["item_key"]
    body = {"item_key": key, "local_date": today.isoformat(), "state": "done", "pain": 5}
    ok(phone.put(f"/api/check-ins/{uuid.uuid4()}", json=body), 201)
    (proposal,) = ok(desk.get(f"/api/patients/{patient.id}/proposals"))
    assert (proposal["direction"], proposal["status"]) == ("regress", "open")
    assert proposal["evidence"]["sessions"] == [
        {"date": today.isoformat(), "state": "done", "pain": 5, "difficulty": None}
    ]
    apply = f"/api/proposals/{proposal['id']}/apply"
    assert cast.client(other).post(apply).status_code == 404
    assert phone.post(apply).status_code == 403
    applied = ok(desk.post(apply))
    assert (applied["status"], applied["applied_version"]) == ("applied", 2)
    assert ok(desk.post(apply)) == applied  # a second tap: the same, no other version
    now = ok(desk.get(f"/api/programs/{program['id']}"))
    assert now["version"] == 2 and now["items"][0]["exercise"]["id"] == str(easy)
    assert now["items"][0]["reps"] == 5 and now["items"][0]["next_step"]["exercise_id"] == str(hard)
    (change,) = ok(phone.get("/api/program-changes"))
    assert change["words"] == proposal["words"] and change["direction"] == "regress"
    assert ok(phone.get("/api/today"))["changes"] == [change]
    assert ok(desk.get(f"/api/patients/{patient.id}/proposals")) == []
    decided = ok(desk.get(f"/api/patients/{patient.id}/proposals?open=false"))
    assert [p["status"] for p in decided] == ["applied"]
    assert [p["status"] for p in ok(phone.get("/api/me/export"))["step_proposals"]] == ["applied"]


def test_a_dismissed_proposal_stays_dismissed(cast: Cast):
    therapist, patient = cast.user(Role.THERAPIST), cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    desk, phone = cast.client(therapist), cast.client(patient)
    hard, easy = db.session.scalars(select(Exercise.id).order_by(Exercise.name).limit(2)).all()
    today = dt.datetime.now(dt.UTC).date().isoformat()
    item = {
        "exercise_id": str(hard),
        "previous_step": {"exercise_id": str(easy)},
        "step_rules": {"regress_sessions": 1},
    }
    program = ok(
        desk.post(
            f"/api/patients/{patient.id}/programs",
            json={"title": "Back", "start_date": today, "items": [item]},
        ),
        201,
    )
    key = program["items"][0]["item_key"]
    body = {"item_key": key, "local_date": today, "state": "partial", "pain": 9}
    ok(phone.put(f"/api/check-ins/{uuid.uuid4()}", json=body), 201)
    (proposal,) = ok(desk.get(f"/api/patients/{patient.id}/proposals"))
    dismissed = ok(desk.post(f"/api/proposals/{proposal['id']}/dismiss", json={"note": "Known"}))
    assert (dismissed["status"], dismissed["note"]) == ("dismissed", "Known")
    assert desk.post(f"/api/proposals/{proposal['id']}/apply").status_code == 409
    ok(phone.put(f"/api/check-ins/{uuid.uuid4()}", json=body), 201)  # the same day: not newer
    assert ok(desk.get(f"/api/patients/{patient.id}/proposals")) == []


def test_steps_are_checked(cast: Cast):
    therapist, patient = cast.user(Role.THERAPIST), cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    desk = cast.client(therapist)
    exercise = db.session.scalar(select(Exercise.id).limit(1))
    today = dt.datetime.now(dt.UTC).date().isoformat()
    for step, field in (
        ({"next_step": {}}, "next_step"),
        ({"next_step": {"exercise_id": None}}, "next_step"),
        ({"previous_step": None}, "previous_step"),
        ({"previous_step": {"reps": 0}}, "previous_step"),
        ({"previous_step": {"exercise_id": str(uuid.uuid4())}}, None),
        ({"step_rules": {"progress_share": 101}}, "step_rules"),
        ({"keep_in_flare": "yes"}, "keep_in_flare"),
    ):
        item = {"exercise_id": str(exercise)} | step
        answer = desk.post(
            f"/api/patients/{patient.id}/programs",
            json={"title": "P", "start_date": today, "items": [item]},
        )
        assert answer.status_code in (404, 422), (step, answer.get_json())
        if field is not None:
            assert answer.status_code == 422, step
            assert field in str(answer.get_json()["errors"]), (step, answer.get_json())
