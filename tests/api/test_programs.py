"""Programs: a prescribed dose is stored as written or refused, and versions are addressed
by their numbers only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask.testing import FlaskClient

from hep.models import Role
from tests.conftest import Cast


@pytest.fixture
def therapist_and_program(cast: Cast) -> tuple[FlaskClient, dict[str, Any]]:
    therapist, patient = cast.user(Role.THERAPIST), cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    client = cast.client(therapist)
    exercise = client.get("/api/exercises?page_size=1").get_json()[0]
    body = {
        "title": "Neck",
        "start_date": dt.date.today().isoformat(),
        "items": [{"exercise_id": exercise["id"], "sets": 2, "reps": 10}],
    }
    program = client.post(f"/api/patients/{patient.id}/programs", json=body).get_json()
    return client, program


@pytest.mark.parametrize("number", ["0", "3", str(2**31), str(2**63), str(2**64 + 1)])
def test_a_version_that_does_not_exist_answers_404(therapist_and_program, number: str):
    client, program = therapist_and_program
    r = client.get(f"/api/programs/{program['id']}/versions/{number}")
    assert r.status_code == 404, r.get_json()


def test_version_1_is_the_first_version(therapist_and_program):
    client, program = therapist_and_program
    r = client.get(f"/api/programs/{program['id']}/versions/1")
    assert r.status_code == 200 and r.get_json()["version"] == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        *[("sets", v) for v in (2.7, 2.0, "3", True, 2**63, -1, 0, 21, None)],
        ("rest_seconds", 2.6e-42),  # was stored as 0
        ("reps", 10.9),  # was stored as 10
    ],
)
def test_a_dose_that_is_not_a_whole_number_in_range_answers_422(
    therapist_and_program, field: str, value
):
    client, program = therapist_and_program
    item = {"exercise_id": program["items"][0]["exercise"]["id"], field: value}
    body = {"title": "Neck", "start_date": program["start_date"], "items": [item]}
    r = client.post(f"/api/programs/{program['id']}/versions", json=body)
    assert r.status_code == 422, r.get_json()
    assert client.get(f"/api/programs/{program['id']}").get_json()["version"] == 1


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "20260301", "2026-W10-1"])
def test_a_start_date_outside_2000_to_2100_or_not_yyyy_mm_dd_answers_422(
    therapist_and_program, day: str
):
    client, program = therapist_and_program
    item = {"exercise_id": program["items"][0]["exercise"]["id"]}
    body = {"title": "Neck", "start_date": day, "items": [item]}
    r = client.post(f"/api/programs/{program['id']}/versions", json=body)
    assert r.status_code == 422 and "start_date" in r.get_json()["errors"]


def test_a_program_is_ended_with_a_new_version_and_archived_out_of_the_lists(cast: Cast):
    therapist, patient = cast.user(Role.THERAPIST), cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    t, phone = cast.client(therapist), cast.client(patient)
    exercise = t.get("/api/exercises?page_size=1").get_json()[0]
    start = dt.date.today() - dt.timedelta(days=10)
    body = {
        "title": "Neck",
        "start_date": start.isoformat(),
        "items": [{"exercise_id": exercise["id"]}],
    }
    program = t.post(f"/api/patients/{patient.id}/programs", json=body).get_json()
    last = dt.date.today() - dt.timedelta(days=2)
    ended = t.post(f"/api/programs/{program['id']}/end", json={"last_day": last.isoformat()})
    assert ended.status_code == 200 and ended.get_json()["version"] == 2
    assert ended.get_json()["end_date"] == last.isoformat()
    # ending again by a later day changes nothing; by default it ends yesterday at the latest
    assert t.post(f"/api/programs/{program['id']}/end", json={}).get_json()["version"] == 2
    assert phone.get("/api/today").get_json()["entries"] == []
    archived = t.post(f"/api/programs/{program['id']}/archive")
    assert archived.status_code == 200 and archived.get_json()["archived_at"] is not None
    assert t.get(f"/api/patients/{patient.id}/programs").get_json() == []
    assert phone.get("/api/programs").get_json() == []
    assert [p["id"] for p in phone.get("/api/programs?archived=true").get_json()] == [program["id"]]
    assert phone.get(f"/api/programs/{program['id']}/versions").status_code == 200


def test_a_program_not_started_yet_ends_before_its_first_day(cast: Cast):
    therapist, patient = cast.user(Role.THERAPIST), cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    t = cast.client(therapist)
    exercise = t.get("/api/exercises?page_size=1").get_json()[0]
    start = dt.date.today() + dt.timedelta(days=5)
    body = {
        "title": "Later",
        "start_date": start.isoformat(),
        "items": [{"exercise_id": exercise["id"]}],
    }
    program = t.post(f"/api/patients/{patient.id}/programs", json=body).get_json()
    ended = t.post(f"/api/programs/{program['id']}/end", json={}).get_json()
    assert ended["end_date"] == (start - dt.timedelta(days=1)).isoformat()


def test_two_versions_are_compared_item_by_item(cast: Cast):
    therapist, patient = cast.user(Role.THERAPIST), cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    client = cast.client(therapist)
    a, b, c = client.get("/api/exercises?page_size=3").get_json()
    body = {
        "title": "Neck",
        "start_date": dt.date.today().isoformat(),
        "items": [
            {"exercise_id": a["id"], "sets": 2, "reps": 10},
            {"exercise_id": b["id"], "sets": 1},
        ],
    }
    first = client.post(f"/api/patients/{patient.id}/programs", json=body).get_json()
    kept = first["items"][0]["item_key"]
    revision = {
        "title": "Neck and back",
        "start_date": body["start_date"],
        "items": [
            {"item_key": kept, "exercise_id": a["id"], "sets": 3, "reps": 10},
            {"exercise_id": c["id"]},
        ],
    }
    r = client.post(f"/api/programs/{first['id']}/versions", json=revision)
    assert r.status_code == 201, r.get_json()
    r = client.get(f"/api/programs/{first['id']}/comparison?from=1&to=2")
    assert r.status_code == 200, r.get_json()
    diff = r.get_json()
    assert (diff["from_version"], diff["to_version"]) == (1, 2)
    assert diff["fields"] == [{"field": "title", "before": "Neck", "after": "Neck and back"}]
    assert [(i["change"], i["exercise"]) for i in diff["items"]] == [
        ("changed", a["name"]),
        ("added", c["name"]),
        ("removed", b["name"]),
    ]
    assert diff["items"][0]["fields"] == [{"field": "sets", "before": 2, "after": 3}]
    # the patient reads it too; a version the program does not have is 404
    mine = cast.client(patient).get(f"/api/programs/{first['id']}/comparison?from=2&to=1")
    assert [i["change"] for i in mine.get_json()["items"]] == ["changed", "added", "removed"]
    assert client.get(f"/api/programs/{first['id']}/comparison?from=1&to=9").status_code == 404
