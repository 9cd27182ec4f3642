"""Questionnaires over HTTP: the built-in measures, building one of every question type,
bad specs refused by field, and archiving; each therapist sees only their own."""

from __future__ import annotations

from typing import Any

import pytest

from hep.models import Role
from tests.conftest import Cast

EVERY_TYPE: dict[str, Any] = {
    "title": "Knee check",
    "instructions": "About the last week.",
    "questions": [
        {"type": "scale", "text": "Stairs?", "low_label": "Hard", "high_label": "Easy"},
        {"type": "single", "text": "Worst when?", "choices": ["Morning", "Evening"]},
        {"type": "multiple", "text": "What helps?", "choices": ["Heat", "Rest"], "required": False},
        {"type": "text", "text": "Anything else?", "required": False},
    ],
}


def test_a_therapist_builds_one_of_every_question_type(cast: Cast):
    t = cast.client(cast.user(Role.THERAPIST))
    made = t.post("/api/questionnaires", json=EVERY_TYPE)
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert [(q["key"], q["type"]) for q in body["questions"]] == [
        ("q1", "scale"),
        ("q2", "single"),
        ("q3", "multiple"),
        ("q4", "text"),
    ]
    library = t.get("/api/questionnaires").get_json()
    assert [m["instrument"] for m in library["built_in"]] == ["psfs", "nprs"]
    assert "Patient-Specific Functional Scale" in library["built_in"][0]["title"]
    assert [q["id"] for q in library["own"]] == [body["id"]]
    assert t.get(f"/api/questionnaires/{body['id']}").get_json() == body

    other = cast.client(cast.user(Role.THERAPIST))
    assert other.get("/api/questionnaires").get_json()["own"] == []
    assert other.get(f"/api/questionnaires/{body['id']}").status_code == 404
    assert other.delete(f"/api/questionnaires/{body['id']}").status_code == 404
    assert t.delete(f"/api/questionnaires/{body['id']}").status_code == 204
    assert t.get("/api/questionnaires").get_json()["own"] == []


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"title": "   "}, {"title"}),
        ({"questions": []}, {"questions"}),
        ({"questions": [{"type": "slider", "text": "?"}]}, {"questions"}),
        ({"questions": [{"type": "single", "text": "?", "choices": ["Only"]}]}, {"questions"}),
        ({"questions": [{"type": "text", "text": "?", "choices": ["A", "B"]}]}, {"questions"}),
        ({"questions": [{"type": "scale", "text": "?", "required": "yes"}]}, {"questions"}),
        ({"questions": [{"type": "scale", "text": "x" * 201}]}, {"questions"}),
        ({"owner_id": "someone"}, {"owner_id"}),
    ],
)
def test_bad_questionnaires_are_refused_by_field(cast: Cast, change, fields):
    t = cast.client(cast.user(Role.THERAPIST))
    response = t.post("/api/questionnaires", json=EVERY_TYPE | change)
    assert response.status_code == 422, response.get_json()
    assert set(response.get_json()["errors"]) == fields


def test_patients_build_no_questionnaires(cast: Cast):
    p = cast.client(cast.user(Role.PATIENT))
    assert p.post("/api/questionnaires", json=EVERY_TYPE).status_code == 403
    assert p.get("/api/questionnaires").status_code == 403
