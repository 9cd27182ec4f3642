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


def test_an_exercise_shared_with_the_clinic_is_in_every_colleagues_library(cast: Cast):
    author, colleague, outsider = (cast.user(Role.THERAPIST) for _ in range(3))
    clinic = cast.clinic(author, colleague)
    a, c, o = (cast.client(u) for u in (author, colleague, outsider))
    body = {"name": "Our hip hinge", "regions": ["low_back"], "category": "mobility"}
    private = a.post("/api/exercises", json=body).get_json()
    assert c.get(f"/api/exercises/{private['id']}").status_code == 404
    shared = a.patch(f"/api/exercises/{private['id']}", json={"clinic_id": str(clinic.id)})
    assert shared.get_json()["clinic_id"] == str(clinic.id)
    assert c.get("/api/exercises?q=hip hinge").get_json()[0]["id"] == private["id"]
    assert o.get(f"/api/exercises/{private['id']}").status_code == 404
    # a colleague reads it but adapts a copy of their own
    assert c.patch(f"/api/exercises/{private['id']}", json={"name": "Mine"}).status_code == 403
    copy = c.post(f"/api/exercises/{private['id']}/copy")
    assert copy.status_code == 201
    assert copy.get_json()["owner_id"] == str(colleague.id) and copy.get_json()["clinic_id"] is None
    assert copy.get_json()["name"] == "Our hip hinge"
    # sharing with a clinic one is not in is refused
    outside = a.patch(
        f"/api/exercises/{private['id']}", json={"clinic_id": str(cast.clinic(outsider).id)}
    )
    assert outside.status_code == 422


def test_a_built_in_is_copied_to_adapt_it(therapist: FlaskClient):
    builtin = therapist.get("/api/exercises?page_size=1").get_json()[0]
    assert builtin["built_in"] is True
    copy = therapist.post(f"/api/exercises/{builtin['id']}/copy").get_json()
    assert copy["built_in"] is False and copy["name"] == builtin["name"]
    assert copy["instructions"] == builtin["instructions"] and copy["dose"] == builtin["dose"]
    renamed = therapist.patch(f"/api/exercises/{copy['id']}", json={"name": "Gentler"})
    assert renamed.get_json()["name"] == "Gentler"


def test_an_archived_exercise_stays_in_its_programs_and_leaves_search(cast: Cast):
    therapist, patient = cast.user(Role.THERAPIST), cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    t = cast.client(therapist)
    body = {"name": "Retired stretch", "regions": ["neck"], "category": "stretch"}
    exercise = t.post("/api/exercises", json=body).get_json()
    spec = {"title": "P", "start_date": "2026-01-05", "items": [{"exercise_id": exercise["id"]}]}
    program = t.post(f"/api/patients/{patient.id}/programs", json=spec).get_json()
    assert t.patch(f"/api/exercises/{exercise['id']}", json={"archived": True}).status_code == 200
    assert t.get("/api/exercises?mine=true").get_json() == []
    assert [e["id"] for e in t.get("/api/exercises?archived=true").get_json()] == [exercise["id"]]
    assert t.post(f"/api/patients/{patient.id}/programs", json=spec).status_code == 422
    # the program keeps it, and a revision may keep it too
    keep = [{"item_key": program["items"][0]["item_key"], "exercise_id": exercise["id"]}]
    revised = t.post(f"/api/programs/{program['id']}/versions", json=spec | {"items": keep})
    assert revised.status_code == 201
    assert (
        cast.client(patient)
        .get(f"/api/programs/{program['id']}")
        .get_json()["items"][0]["exercise"]["name"]
        == "Retired stretch"
    )
    assert t.patch(f"/api/exercises/{exercise['id']}", json={"archived": False}).status_code == 200
    assert [e["id"] for e in t.get("/api/exercises?mine=true").get_json()] == [exercise["id"]]
