"""The weekly check-in over HTTP: the week to answer prefilled from the logs, answers by week
(retries safe), bad bodies refused by field, when the patient is asked, and what the care
team reads (every read in the access log)."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from typing import Any

import pytest

from hep.care_team import remove_from_team
from hep.clock import utcnow
from hep.db import db
from hep.models import Role
from tests.conftest import Cast

ZONE = "Europe/Berlin"


def today() -> dt.date:
    return utcnow().astimezone(zoneinfo.ZoneInfo(ZONE)).date()


def last_sunday() -> dt.date:
    day = today()
    return day - dt.timedelta(days=day.isoweekday() % 7)


@pytest.fixture
def people(cast: Cast) -> dict[str, Any]:
    therapist = cast.user(Role.THERAPIST, "Dr Week")
    patient = cast.user(Role.PATIENT, timezone=ZONE)
    cast.link(therapist, patient)
    t, p = cast.client(therapist), cast.client(patient)
    exercise = t.get("/api/exercises?region=neck").get_json()[0]["id"]
    program = t.post(
        f"/api/patients/{patient.id}/programs",
        json={
            "title": "Neck",
            "start_date": (last_sunday() - dt.timedelta(days=13)).isoformat(),
            "items": [{"exercise_id": exercise, "times_per_day": 1}],
        },
    ).get_json()
    return {"t": t, "p": p, "therapist": therapist, "patient": patient, "program": program}


def log(p, key: str, day: dt.date, **body: Any) -> None:
    response = p.put(
        f"/api/check-ins/{uuid.uuid4()}",
        json={"item_key": key, "local_date": day.isoformat(), "state": "done", **body},
    )
    assert response.status_code == 201, response.get_json()


def test_the_current_week_is_prefilled_from_the_logs(people):
    p, key = people["p"], people["program"]["items"][0]["item_key"]
    sunday = last_sunday()
    log(p, key, sunday)
    log(p, key, sunday - dt.timedelta(days=1), state="skipped", skip_reason="no_time")
    current = p.get("/api/weekly-reviews/current").get_json()
    assert current["week_end"] == sunday.isoformat()
    assert current["week_start"] == (sunday - dt.timedelta(days=6)).isoformat()
    assert current["figures"] == {
        "sessions_planned": 7,
        "sessions_logged": 1.0,
        "habits_planned": 0,
        "habits_met": 0,
        "planned": True,
    }
    assert current["suggested_barriers"] == ["no_time"]
    assert current["review"] is None
    assert current["schedule"] == {"weekday": 7, "time": "19:00", "remind": True}


def test_answering_a_week_twice_is_one_answer(people):
    p = people["p"]
    sunday = last_sunday()
    body = {"sessions_done": 4, "habits_met": 0, "barriers": ["pain"], "confidence": 8}
    first = p.put(f"/api/weekly-reviews/{sunday}", json=body)
    assert first.status_code == 201, first.get_json()
    again = p.put(f"/api/weekly-reviews/{sunday}", json=body)
    assert again.status_code == 200 and again.get_json() == first.get_json()
    assert first.get_json()["sessions_planned"] == 7
    changed = p.put(f"/api/weekly-reviews/{sunday}", json=body | {"confidence": 3})
    assert changed.status_code == 200 and changed.get_json()["confidence"] == 3
    assert p.get("/api/weekly-reviews/current").get_json()["review"]["confidence"] == 3
    assert [r["week_end"] for r in p.get("/api/weekly-reviews").get_json()] == [str(sunday)]


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"confidence": 11}, {"confidence"}),
        ({"confidence": 7.5}, {"confidence"}),
        ({"sessions_done": "3"}, {"sessions_done"}),
        ({"barriers": ["weather"]}, {"barriers"}),
        ({"barriers": "pain"}, {"barriers"}),
        ({"barrier_note": "x" * 501}, {"barrier_note"}),
        ({"sessions_done": 8}, {"sessions_done"}),  # more than the 7 planned
        ({"barriers": ["pain", "pain"]}, {"barriers"}),
        ({"mood": "fine"}, {"mood"}),
    ],
)
def test_bad_answers_are_refused_by_field(people, change, fields):
    body = {"sessions_done": 4, "habits_met": 0, "confidence": 8} | change
    response = people["p"].put(f"/api/weekly-reviews/{last_sunday()}", json=body)
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == fields


def test_a_week_not_over_or_long_past_is_refused(people):
    p, body = people["p"], {"sessions_done": 0, "habits_met": 0, "confidence": 5}
    ahead = p.put(f"/api/weekly-reviews/{today() + dt.timedelta(days=1)}", json=body)
    assert ahead.status_code == 422 and set(ahead.get_json()["errors"]) == {"week_end"}
    old = p.put(f"/api/weekly-reviews/{today() - dt.timedelta(days=30)}", json=body)
    assert old.status_code == 409
    assert p.put("/api/weekly-reviews/2026-02-30", json=body).status_code == 422


def test_the_patient_chooses_when_they_are_asked(people):
    p = people["p"]
    assert p.get("/api/weekly-reviews/schedule").get_json()["remind"] is True
    moved = p.put("/api/weekly-reviews/schedule", json={"weekday": 5, "time": "18:15"})
    assert moved.get_json() == {"weekday": 5, "time": "18:15", "remind": True}
    reminders = p.get("/api/reminders").get_json()
    [review] = [r for r in reminders if r["target"]["kind"] == "review"]
    assert review["rule"]["times"] == ["18:15"] and review["rule"]["weekdays"] == [5]
    quiet = p.put(
        "/api/weekly-reviews/schedule", json={"weekday": 5, "time": "18:15", "remind": False}
    )
    assert quiet.get_json()["remind"] is False
    assert not [r for r in p.get("/api/reminders").get_json() if r["target"]["kind"] == "review"]
    bad = p.put("/api/weekly-reviews/schedule", json={"weekday": 8, "time": "25:00"})
    assert set(bad.get_json()["errors"]) == {"weekday", "time"}


def test_the_care_team_reads_answers_barriers_and_skip_reasons(people, cast: Cast):
    t, p, patient = people["t"], people["p"], people["patient"]
    key = people["program"]["items"][0]["item_key"]
    sunday = last_sunday()
    log(p, key, today(), state="skipped", skip_reason="pain")
    body = {
        "sessions_done": 2,
        "habits_met": 0,
        "barriers": ["pain", "motivation"],
        "confidence": 4,
    }
    p.put(f"/api/weekly-reviews/{sunday}", json=body)
    seen = t.get(f"/api/patients/{patient.id}/weekly-reviews").get_json()
    assert [r["barriers"] for r in seen["reviews"]] == [["pain", "motivation"]]
    assert seen["barrier_counts"]["pain"] == 1 and seen["barrier_counts"]["forgot"] == 0
    assert seen["skip_reasons"]["pain"] == 1
    log_entries = p.get("/api/me/access-log").get_json()
    assert ("Dr Week", "weekly check-ins") in [(e["actor"], e["action"]) for e in log_entries]

    stranger = cast.client(cast.user(Role.THERAPIST))
    assert stranger.get(f"/api/patients/{patient.id}/weekly-reviews").status_code == 404
    remove_from_team(db.session, people["therapist"], patient.id, people["therapist"].id, utcnow())
    db.session.commit()
    assert t.get(f"/api/patients/{patient.id}/weekly-reviews").status_code == 404


def test_only_patients_answer_weeks(people):
    body = {"sessions_done": 0, "habits_met": 0, "confidence": 5}
    assert people["t"].put(f"/api/weekly-reviews/{last_sunday()}", json=body).status_code == 403
    assert people["t"].get("/api/weekly-reviews/current").status_code == 403
