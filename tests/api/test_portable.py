"""hep program files: export, import, export again gives the same file; every problem of a
file named by its JSON path; a newer format refused; the published schema agrees with the
API's own bounds."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from marshmallow import validate
from sqlalchemy import func, select

from hep.api.programs.schemas import ItemIn
from hep.db import db
from hep.library import create_exercise
from hep.models import AccessLogEntry, Exercise, ProgramTemplate, Role, User
from hep.programs import prescribe
from tests.conftest import NOW, Cast

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "hep" / "data" / "hep-program-1.schema.json"


def _slugs(n: int) -> list[str]:
    return list(
        db.session.scalars(
            select(Exercise.slug).where(Exercise.slug.is_not(None)).order_by(Exercise.slug).limit(n)
        )
    )


@pytest.fixture
def author(cast: Cast) -> tuple[User, FlaskClient, dict[str, Any]]:
    """A therapist's template: a built-in with a full dose, their own exercise twice (one
    with only some fields, the rest left to the exercise's default), another built-in."""
    therapist = cast.user(Role.THERAPIST)
    own = create_exercise(
        db.session,
        therapist,
        {
            "name": "Seated thoracic extension",
            "summary": "Opens the upper back.",
            "regions": ["upper_back"],
            "category": "mobility",
            "equipment": ["chair"],
            "dose": {"sets": 2, "reps": 8, "side": "both", "times_per_day": 2},
            "instructions": ["Sit tall.", "Arch back gently."],
            "cautions": ["Stop if it pinches."],
        },
        NOW,
    )
    db.session.commit()
    builtins = {
        e.slug: e for e in db.session.scalars(select(Exercise).where(Exercise.slug.in_(_slugs(2))))
    }
    first, second = sorted(builtins)
    client = cast.client(therapist)
    made = client.post(
        "/api/templates",
        json={
            "title": "Desk neck protocol",
            "notes": "Weeks 1-4.\nProgress when pain is under 3.",
            "items": [
                {
                    "exercise_id": str(builtins[first].id),
                    "sets": 3,
                    "reps": 10,
                    "hold_seconds": 5,
                    "rest_seconds": 30,
                    "side": "each",
                    "load_note": "soft ball",
                    "times_per_day": 2,
                    "weekdays": 0b0010101,
                    "notes": "Gently.",
                },
                {"exercise_id": str(own.id)},
                {"exercise_id": str(own.id), "duration_seconds": 60, "side": "left"},
                {"exercise_id": str(builtins[second].id), "weekdays": 0b1100000},
            ],
        },
    )
    assert made.status_code == 201, made.get_json()
    return therapist, client, made.get_json()


def _export(client: FlaskClient, path: str) -> dict[str, Any]:
    response = client.get(path)
    assert response.status_code == 200, response.get_json()
    assert response.headers["Content-Disposition"].startswith("attachment;")
    found: dict[str, Any] = response.get_json()
    return found


def test_export_import_export_gives_the_same_file(author: tuple[User, FlaskClient, dict[str, Any]]):
    _, client, template = author
    first = _export(client, f"/api/templates/{template['id']}/export")
    assert first["format"] == "hep-program" and first["format_version"] == 1
    assert [i["exercise"] for i in first["items"]][1:3] == [{"ref": "e1"}, {"ref": "e1"}]
    assert first["items"][0]["weekdays"] == ["mon", "wed", "fri"]
    assert "sets" not in first["items"][1], "a dose left to the exercise stays left"
    assert len(first["exercises"]) == 1
    imported = client.post("/api/templates/import", json=first)
    assert imported.status_code == 201, imported.get_json()
    assert imported.get_json()["id"] != template["id"]
    again = _export(client, f"/api/templates/{imported.get_json()['id']}/export")
    assert again == first
    # the file's own exercise was added to the library, once
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Exercise)
            .where(Exercise.name == "Seated thoracic extension")
        )
        == 2
    )


def test_a_program_moves_to_another_clinic_as_a_template(
    cast: Cast, author: tuple[User, FlaskClient, dict[str, Any]]
):
    therapist, client, template = author
    patient = cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    applied = client.post(
        f"/api/templates/{template['id']}/apply",
        json={"patient_id": str(patient.id), "start_date": "2026-03-02"},
    )
    assert applied.status_code == 201
    program_id = applied.get_json()["id"]
    exported = _export(client, f"/api/programs/{program_id}/export")
    assert "patient" not in json.dumps(exported) and "2026-03-02" not in json.dumps(exported)
    # a therapist of another clinic, who has never seen the exercise, imports it
    elsewhere = cast.user(Role.THERAPIST)
    other = cast.client(elsewhere)
    clinic = cast.clinic(elsewhere, name="Elsewhere")
    imported = other.post(f"/api/templates/import?clinic_id={clinic.id}", json=exported)
    assert imported.status_code == 201, imported.get_json()
    body = imported.get_json()
    assert body["clinic_id"] == str(clinic.id) and body["owner_id"] == str(elsewhere.id)
    assert _export(other, f"/api/templates/{body['id']}/export") == exported
    # a patient may export their own program too; the therapist's export is access-logged
    assert _export(cast.client(patient), f"/api/programs/{program_id}/export") == exported
    actions = db.session.scalars(
        select(AccessLogEntry.action).where(AccessLogEntry.patient_id == patient.id)
    ).all()
    assert "program export" in actions
    assert other.get(f"/api/programs/{program_id}/export").status_code == 404
    assert other.get(f"/api/templates/{template['id']}/export").status_code == 404


def _count() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(ProgramTemplate)) or 0,
        db.session.scalar(select(func.count()).select_from(Exercise)) or 0,
    )


def test_every_problem_of_a_file_is_named_by_its_json_path(
    author: tuple[User, FlaskClient, dict[str, Any]],
):
    _, client, template = author
    good = _export(client, f"/api/templates/{template['id']}/export")
    bad = copy.deepcopy(good)
    bad["items"][0]["sets"] = 0
    bad["items"][0]["weekdays"] = ["mon", "someday"]
    bad["items"][1]["colour"] = "red"
    bad["items"][3]["exercise"] = {"slug": "no-such-exercise"}
    bad["exercises"][0]["regions"] = []
    del bad["title"]
    before = _count()
    response = client.post("/api/templates/import", json=bad)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {
        "$",
        "$.items[0].sets",
        "$.items[0].weekdays[1]",
        "$.items[1]",
        "$.exercises[0].regions",
    }, errors
    assert "'title' is a required property" in errors["$"]
    assert "colour" in errors["$.items[1]"][0]
    # structure first; once it is right, what this hep lacks
    bad = copy.deepcopy(good)
    bad["items"][3]["exercise"] = {"slug": "no-such-exercise"}
    bad["items"][2]["exercise"] = {"ref": "e9"}
    bad["exercises"].append(dict(good["exercises"][0]))
    bad["items"][1]["notes"] = "half a \ud800 character"
    response = client.post("/api/templates/import", json=bad)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"$.items[1].notes"}, errors
    del bad["items"][1]["notes"]
    errors = client.post("/api/templates/import", json=bad).get_json()["errors"]
    assert errors == {
        "$.exercises[1].ref": ["This ref is used twice."],
        "$.items[2].exercise.ref": ["No exercise of this file has this ref."],
        "$.items[3].exercise.slug": ["No built-in exercise of this hep has this slug."],
    }
    assert _count() == before, "nothing of a refused file is kept"


def test_a_file_from_a_newer_format_is_refused_clearly(
    author: tuple[User, FlaskClient, dict[str, Any]],
):
    _, client, template = author
    newer = _export(client, f"/api/templates/{template['id']}/export")
    newer["format_version"] = 2
    newer["items"][0]["tempo"] = "3-1-3"
    response = client.post("/api/templates/import", json=newer)
    assert response.status_code == 422
    body = response.get_json()
    assert "format version 2" in body["message"] and "Update hep" in body["message"]
    assert list(body["errors"]) == ["$.format_version"]
    for other, path in (([1, 2], "$"), ({"format": "other"}, "$.format")):
        answer = client.post("/api/templates/import", json=other)
        assert answer.status_code == 422 and list(answer.get_json()["errors"]) == [path]
    assert (
        client.post("/api/templates/import", data="{", content_type="application/json").status_code
        == 422
    )


def test_the_schema_is_published_and_agrees_with_the_api(app: Flask):
    response = app.test_client().get("/api/program-format/schema.json")
    assert response.status_code == 200
    assert response.mimetype == "application/schema+json"
    assert response.get_json() == json.loads(SCHEMA_FILE.read_text())
    item = response.get_json()["$defs"]["item"]["properties"]
    for name, field in ItemIn().fields.items():
        if name in ("exercise_id", "item_key", "weekdays"):
            continue
        for check in field.validators:
            if isinstance(check, validate.Range):
                assert (item[name]["minimum"], item[name]["maximum"]) == (check.min, check.max), (
                    name
                )
            if isinstance(check, validate.Length):
                assert item[name]["maxLength"] == check.max, name
            if isinstance(check, validate.OneOf):
                assert item[name]["enum"] == list(check.choices), name


def test_only_therapists_import(cast: Cast):
    patient = cast.client(cast.user(Role.PATIENT))
    assert patient.post("/api/templates/import", json={}).status_code == 403
    assert cast.client().post("/api/templates/import", json={}).status_code == 401


def test_a_patient_s_program_export_needs_their_program(cast: Cast):
    therapist, patient = cast.user(Role.THERAPIST), cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    exercise = db.session.scalar(select(Exercise).where(Exercise.slug.is_not(None)).limit(1))
    program = prescribe(
        db.session,
        therapist,
        patient.id,
        {"title": "P", "start_date": dt.date(2026, 3, 2), "items": [{"exercise_id": exercise.id}]},
        NOW,
    )
    db.session.commit()
    stranger = cast.client(cast.user(Role.PATIENT))
    assert stranger.get(f"/api/programs/{program.id}/export").status_code == 404
    assert (
        cast.client(patient).get(f"/api/programs/{program.id}/export?version=2").status_code == 404
    )
