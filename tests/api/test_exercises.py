"""/api/exercises: a therapist's own exercises, changed part by part."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from hep.models import Role
from tests.conftest import Cast


@pytest.fixture
def therapist(cast: Cast) -> FlaskClient:
    return cast.client(cast.user(Role.THERAPIST))


@pytest.fixture
def exercise(therapist: FlaskClient) -> dict[str, Any]:
    body = {
        "name": "Chin tuck",
        "regions": ["neck"],
        "category": "posture",
        "dose": {"sets": 2, "reps": 10, "hold_seconds": 5},
    }
    r = therapist.post("/api/exercises", json=body)
    assert r.status_code == 201, r.get_json()
    found: dict[str, Any] = r.get_json()
    return found


def test_a_dose_change_keeps_the_parts_not_named(therapist, exercise):
    r = therapist.patch(f"/api/exercises/{exercise['id']}", json={"dose": {"sets": 3}})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["dose"] == exercise["dose"] | {"sets": 3}


@pytest.mark.parametrize(
    "url", ["http://example.org/video", "ftp://example.org/v", "example.org/v", "https://"]
)
def test_a_media_url_that_is_not_https_answers_422(therapist, exercise, url: str):
    r = therapist.patch(f"/api/exercises/{exercise['id']}", json={"media_url": url})
    assert r.status_code == 422 and "media_url" in r.get_json()["errors"]


@pytest.mark.parametrize("mine", ["yes", "1", "on", "True"])
def test_a_search_flag_other_than_true_or_false_answers_422(therapist, mine: str):
    assert therapist.get(f"/api/exercises?mine={mine}").status_code == 422
    assert therapist.get("/api/exercises?mine=true").status_code == 200


def test_a_media_url_over_2000_characters_answers_422(therapist, exercise):
    url = "https://example.org/" + "v" * 2000
    r = therapist.patch(f"/api/exercises/{exercise['id']}", json={"media_url": url})
    assert r.status_code == 422 and "media_url" in r.get_json()["errors"]
