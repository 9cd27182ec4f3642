"""Check-ins and the pain diary: values are stored as sent or refused, never coerced."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from flask.testing import FlaskClient

from hep.models import Role
from tests.conftest import Cast

TODAY = dt.datetime.now(dt.UTC).date().isoformat()


@pytest.fixture
def patient(cast: Cast) -> FlaskClient:
    return cast.client(cast.user(Role.PATIENT))


@pytest.fixture
def habit(patient: FlaskClient) -> dict[str, Any]:
    r = patient.post(
        "/api/habits",
        json={"kind": "hydration", "name": "Water", "target": 8, "direction": "at_least"},
    )
    assert r.status_code == 201, r.get_json()
    found: dict[str, Any] = r.get_json()
    return found


@pytest.mark.parametrize("score", [2.7, 2.0, "3", 2.6e-42, True, None, -1, 11])
def test_a_pain_score_that_is_not_a_whole_number_0_to_10_answers_422(patient, score):
    r = patient.put(f"/api/pain/{TODAY}", json={"score": score})
    assert r.status_code == 422 and "score" in r.get_json()["errors"]
    assert patient.get("/api/pain").get_json() == []


@pytest.mark.parametrize("day", ["20260301", "2026-W10-1", "0001-01-01", "9999-12-31", "x"])
def test_a_pain_day_not_written_yyyy_mm_dd_in_range_answers_422(patient, day: str):
    r = patient.put(f"/api/pain/{day}", json={"score": 3})
    assert r.status_code == 422 and "day" in r.get_json()["errors"]


def test_a_pain_day_still_to_come_is_refused_on_the_day_field(patient):
    tomorrow = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=2)).isoformat()
    r = patient.put(f"/api/pain/{tomorrow}", json={"score": 3})
    assert r.status_code == 422 and list(r.get_json()["errors"]) == ["day"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("value", "3"), ("value", True), ("value", -1), ("pain", 2.5), ("difficulty", "2")],
)
def test_a_check_in_number_of_the_wrong_type_answers_422(patient, habit, field, value):
    body = {"habit_id": habit["id"], "local_date": TODAY, "state": "done", field: value}
    r = patient.put(f"/api/check-ins/{uuid.uuid4()}", json=body)
    assert r.status_code == 422 and field in r.get_json()["errors"]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_a_value_that_is_not_a_finite_number_answers_422(patient, habit, literal: str):
    raw = (
        f'{{"habit_id": "{habit["id"]}", "local_date": "{TODAY}", "state": "done", '
        f'"value": {literal}}}'
    )
    r = patient.put(
        f"/api/check-ins/{uuid.uuid4()}", data=raw, headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 422, r.get_json()


@pytest.mark.parametrize("start", ["0001-01-01", "2026-3-1", "2.7"])
def test_a_history_range_with_a_bad_date_answers_422(patient, start: str):
    assert patient.get(f"/api/check-ins?start={start}").status_code == 422


def test_the_trail_names_each_change_its_day_and_tells_a_count_raised_from_a_correction(
    cast: Cast,
):
    therapist, user = cast.user(Role.THERAPIST), cast.user(Role.PATIENT)
    cast.link(therapist, user)
    phone = cast.client(user)
    water = phone.post(
        "/api/habits",
        json={"kind": "hydration", "name": "Water", "target": 8, "direction": "at_least"},
    ).get_json()
    yesterday = (dt.date.fromisoformat(TODAY) - dt.timedelta(days=1)).isoformat()

    def put(client_id: uuid.UUID, day: str, value: float) -> None:
        body = {"habit_id": water["id"], "local_date": day, "state": "partial", "value": value}
        assert phone.put(f"/api/check-ins/{client_id}", json=body).status_code in (200, 201)

    today_id, past_id = uuid.uuid4(), uuid.uuid4()
    put(today_id, TODAY, 1)
    put(today_id, TODAY, 2)  # a +1 tap on Today
    put(past_id, yesterday, 5)
    put(past_id, yesterday, 6)  # raised later: the past changed
    put(today_id, TODAY, 1)  # lowered: a correction

    trail = cast.client(therapist).get(f"/api/patients/{user.id}/check-ins/edits").get_json()
    seen = [(e["subject"], e["local_date"], e["change"]) for e in reversed(trail)]
    assert seen == [
        ("Water", TODAY, "logged"),
        ("Water", TODAY, "added"),
        ("Water", yesterday, "logged"),
        ("Water", yesterday, "corrected"),
        ("Water", TODAY, "corrected"),
    ]
