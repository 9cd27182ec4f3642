"""/api/habits: targets and schedules are stored as sent or refused, never coerced."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from flask.testing import FlaskClient

from hep.models import Role
from tests.conftest import Cast


@pytest.fixture
def patient(cast: Cast) -> FlaskClient:
    return cast.client(cast.user(Role.PATIENT))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("target", "8"),
        ("target", True),
        ("weekdays", 2.7),
        ("weekdays", "3"),
        ("weekdays", 2**63),
        ("per_week", True),
        ("per_week", 2.6e-42),
        ("start_date", "9999-12-31"),
        ("start_date", "0001-01-01"),
    ],
)
def test_a_habit_field_of_the_wrong_type_or_range_answers_422(patient, field, value):
    r = patient.post("/api/habits", json={"kind": "hydration", "name": "Water", field: value})
    assert r.status_code == 422 and field in r.get_json()["errors"]
    assert patient.get("/api/habits").get_json() == []


def test_a_change_to_one_field_keeps_the_others(patient):
    body = {"kind": "hydration", "name": "Water", "target": 8, "direction": "at_least"}
    habit = patient.post("/api/habits", json=body | {"unit": "glasses"}).get_json()
    r = patient.patch(f"/api/habits/{habit['id']}", json={"target": 6})
    assert r.status_code == 200
    assert r.get_json() == habit | {"target": 6.0}


def test_a_stopped_habit_answers_404_to_changes(patient):
    habit = patient.post("/api/habits", json={"kind": "sleep", "name": "Lights out"}).get_json()
    assert patient.delete(f"/api/habits/{habit['id']}").status_code == 204
    assert patient.patch(f"/api/habits/{habit['id']}", json={"name": "Again"}).status_code == 404
    assert patient.delete(f"/api/habits/{habit['id']}").status_code == 404


def sleep(patient: FlaskClient) -> dict:
    body = {"kind": "sleep", "name": "Sleep", "target": 7, "direction": "at_least", "unit": "hours"}
    r = patient.post("/api/habits", json=body)
    assert r.status_code == 201, r.get_json()
    found: dict = r.get_json()
    return found


def log(patient: FlaskClient, habit: dict, value: float) -> Any:
    today = dt.datetime.now(dt.UTC).date().isoformat()  # the patient's day: they live in UTC
    return patient.put(
        f"/api/check-ins/{uuid.uuid4()}",
        json={"habit_id": habit["id"], "local_date": today, "state": "done", "value": value},
    )


def test_a_day_of_sleep_holds_at_most_24_hours(patient):
    habit = sleep(patient)
    r = log(patient, habit, 99_999)
    assert r.status_code == 422
    assert r.get_json()["errors"] == {"value": ["Amount: at most 24 hours in a day."]}
    assert log(patient, habit, 8).status_code == 201
    # the day's total counts, whichever phone logged each part
    r = log(patient, habit, 17)
    assert r.status_code == 422 and "value" in r.get_json()["errors"]
    assert log(patient, habit, 16).status_code == 201


def test_a_target_past_what_a_day_holds_is_refused_by_kind_and_unit(patient):
    r = patient.post(
        "/api/habits",
        json={
            "kind": "sleep",
            "name": "Sleep",
            "target": 30,
            "direction": "at_least",
            "unit": "Hours",
        },
    )
    assert r.status_code == 422
    assert r.get_json()["errors"] == {"target": ["Target: at most 24 Hours a day."]}
    habit = sleep(patient)
    r = patient.patch(f"/api/habits/{habit['id']}", json={"target": 25})
    assert r.status_code == 422 and "target" in r.get_json()["errors"]
    # a unit the table does not name takes its kind's bound
    water = {"kind": "hydration", "name": "Water", "direction": "at_least", "unit": "jugs"}
    assert patient.post("/api/habits", json=water | {"target": 41}).status_code == 422
    assert patient.post("/api/habits", json=water | {"target": 40}).status_code == 201


def test_the_bounds_are_in_the_rules_the_app_reads(patient):
    rules = patient.get("/api/me").get_json()["rules"]
    rows = {(row["kind"], row["unit"]): row["max"] for row in rules["habit_amounts"]}
    assert rows[("*", "hours")] == 24 and rows[("*", "*")] == 1000


def test_the_care_team_changes_and_stops_a_habit_it_suggested_not_the_patients_own(cast: Cast):
    therapist, patient = cast.user(Role.THERAPIST), cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    desk, phone = cast.client(therapist), cast.client(patient)
    base = f"/api/patients/{patient.id}/habits"
    suggested = desk.post(base, json={"kind": "hydration", "name": "Water"}).get_json()
    own = phone.post("/api/habits", json={"kind": "sleep", "name": "Sleep"}).get_json()

    r = desk.patch(f"{base}/{suggested['id']}", json={"name": "Water, a glass an hour"})
    assert r.status_code == 200 and r.get_json()["name"] == "Water, a glass an hour"
    r = desk.patch(f"{base}/{own['id']}", json={"name": "Sleep more"})
    assert r.status_code == 403
    assert r.get_json()["message"] == "The patient chose this habit: only they change it."
    assert desk.delete(f"{base}/{suggested['id']}").status_code == 204
    assert [h["name"] for h in phone.get("/api/habits").get_json()] == ["Sleep"]
