"""The built-in library in its reader's language: the list, search, a program and Today say a
built-in in German or Spanish (English where nothing else is asked for); a therapist's own
exercise stays as written."""

from __future__ import annotations

import datetime as dt
import json
from importlib.resources import files
from typing import Any

from hep.db import db
from hep.library import exercise_words, translated_builtins
from hep.models import Exercise, Role, User
from tests.conftest import NOW, Cast

SLUG = "upper-trapezius-ball-release"


def german(slug: str = SLUG) -> dict[str, Any]:
    text = (files("hep") / "data" / "exercises.de.json").read_text(encoding="utf-8")
    words: dict[str, Any] = json.loads(text)["exercises"][slug]
    return words


def speaks(user: User, language: str) -> None:
    db.session.get_one(User, user.id).language = language
    db.session.commit()


def builtin(slug: str = SLUG) -> Exercise:
    found = db.session.query(Exercise).filter_by(slug=slug).one()
    return found


def test_a_built_in_is_said_in_each_language_and_falls_back_to_english(app):
    exercise = builtin()
    assert exercise_words(exercise, "de").name == german()["name"]
    assert exercise_words(exercise, "de").instructions == german()["instructions"]
    assert exercise_words(exercise, "es").name != exercise.name
    assert exercise_words(exercise, "en").name == exercise.name
    assert exercise_words(exercise, "fr").name == exercise.name  # not spoken: English
    assert translated_builtins("de") is translated_builtins("de")  # read once


def test_the_library_answers_in_the_readers_language(cast: Cast):
    therapist = cast.user(Role.THERAPIST)
    t = cast.client(therapist)
    english = t.get(f"/api/exercises/{builtin().id}").get_json()
    assert english["name"] == builtin().name
    speaks(therapist, "de")
    said = t.get(f"/api/exercises/{builtin().id}").get_json()
    assert said["name"] == german()["name"]
    assert said["summary"] == german()["summary"]
    assert said["cautions"] == german()["cautions"]
    listed = {e["slug"]: e["name"] for e in t.get("/api/exercises?page_size=100").get_json()}
    assert listed[SLUG] == german()["name"]


def test_search_finds_a_built_in_by_its_name_in_the_readers_language_and_in_english(cast: Cast):
    therapist = cast.user(Role.THERAPIST)
    t = cast.client(therapist)
    assert "trapezmuskel" in german()["name"].lower()
    assert t.get("/api/exercises?q=Trapezmuskel").get_json() == []  # an English reader's
    speaks(therapist, "de")
    found = t.get("/api/exercises?q=Trapezmuskel").get_json()
    assert SLUG in {e["slug"] for e in found}
    assert all("trapezmuskel" in e["name"].lower() + e["summary"].lower() for e in found)
    in_english = t.get("/api/exercises?q=upper%20trapezius").get_json()
    assert SLUG in {e["slug"] for e in in_english}


def test_a_therapists_own_exercise_is_shown_as_written(cast: Cast):
    therapist = cast.user(Role.THERAPIST)
    speaks(therapist, "de")
    t = cast.client(therapist)
    body = {"name": "Neck glide", "regions": ["neck"], "category": "mobility"}
    created = t.post("/api/exercises", json=body).get_json()
    assert t.get(f"/api/exercises/{created['id']}").get_json()["name"] == "Neck glide"


def test_a_german_speaking_patient_sees_the_german_name_in_the_program_and_today(cast: Cast):
    therapist, patient = cast.user(Role.THERAPIST), cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    speaks(patient, "de")
    t, p = cast.client(therapist), cast.client(patient)
    program = t.post(
        f"/api/patients/{patient.id}/programs",
        json={
            "title": "Nacken",
            "start_date": (NOW.date() - dt.timedelta(days=1)).isoformat(),
            "items": [{"exercise_id": str(builtin().id), "times_per_day": 1}],
        },
    ).get_json()
    # the therapist reads in English, the patient in German
    assert program["items"][0]["exercise"]["name"] == builtin().name
    seen = p.get(f"/api/programs/{program['id']}").get_json()
    assert seen["items"][0]["exercise"]["name"] == german()["name"]
    assert seen["items"][0]["exercise"]["instructions"] == german()["instructions"]
    today = p.get("/api/today").get_json()
    [entry] = [e for e in today["entries"] if e["kind"] == "item"]
    assert entry["exercise"]["name"] == german()["name"]
    assert entry["exercise"]["cautions"] == german()["cautions"]


def test_adherence_names_a_built_in_in_the_readers_language(cast: Cast):
    therapist, patient = cast.user(Role.THERAPIST), cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    t, p = cast.client(therapist), cast.client(patient)
    t.post(
        f"/api/patients/{patient.id}/programs",
        json={
            "title": "Neck",
            "start_date": (NOW.date() - dt.timedelta(days=1)).isoformat(),
            "items": [{"exercise_id": str(builtin().id), "times_per_day": 1}],
        },
    )
    [english] = t.get(f"/api/patients/{patient.id}/adherence").get_json()["subjects"]
    assert english["name"] == builtin().name
    speaks(patient, "de")
    [said] = p.get("/api/adherence").get_json()["subjects"]
    assert said["name"] == german()["name"]
    # the document is kept once for every reader: the therapist still reads English
    [again] = t.get(f"/api/patients/{patient.id}/adherence").get_json()["subjects"]
    assert again["name"] == builtin().name
