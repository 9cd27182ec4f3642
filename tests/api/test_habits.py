"""/api/habits: targets and schedules are stored as sent or refused, never coerced."""

from __future__ import annotations

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
