"""Pauses through the API: a patient starts one in one tap and says when it is over; their
care team reads them (access-logged); Today, the therapist's list and the export show them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hep.db import db
from hep.models import Role
from hep.programs import prescribe
from tests.conftest import Cast


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.get_json()
    return response.get_json()


def test_a_patient_pauses_in_one_tap_and_says_when_it_is_over(cast: Cast):
    therapist, patient = cast.user(Role.THERAPIST), cast.user(Role.PATIENT, "Pat Paused")
    cast.link(therapist, patient)
    phone = cast.client(patient)
    today = dt.datetime.now(dt.UTC).date()
    started = ok(phone.post("/api/pauses", json={"mode": "flare_up"}), 201)
    assert (started["first_day"], started["last_day"], started["active"]) == (
        today.isoformat(),
        None,
        True,
    )
    assert ok(phone.get("/api/today"))["pause"]["id"] == started["id"]
    desk = cast.client(therapist)
    listed = ok(desk.get("/api/patients"))
    assert listed[0]["pause_mode"] == "flare_up" and "flare-up" in listed[0]["attention"]
    assert [p["mode"] for p in ok(desk.get(f"/api/patients/{patient.id}/pauses"))] == ["flare_up"]
    ended = ok(phone.post(f"/api/pauses/{started['id']}/end"))
    assert ended["dropped"] and not ended["active"]  # begun today: everything is due again
    assert ok(phone.post(f"/api/pauses/{started['id']}/end")) == ended  # safe to repeat
    assert ok(phone.get("/api/today"))["pause"] is None
    assert ok(desk.get("/api/patients"))[0]["pause_mode"] is None
    log = ok(phone.get("/api/me/access-log"))
    assert "pauses" in {entry["action"] for entry in log}
    exported = ok(phone.get("/api/me/export"))["pauses"]
    assert [(p["mode"], p["first_day"]) for p in exported] == [("flare_up", today.isoformat())]


def test_a_pause_is_checked_and_another_patients_cannot_be_ended(cast: Cast):
    patient, other = cast.user(Role.PATIENT), cast.user(Role.PATIENT)
    phone = cast.client(patient)
    today = dt.datetime.now(dt.UTC).date()
    for body, field in (
        ({"mode": "holiday"}, "mode"),
        ({"mode": "away", "first_day": (today - dt.timedelta(days=30)).isoformat()}, "first_day"),
        (
            {
                "mode": "away",
                "first_day": today.isoformat(),
                "last_day": (today - dt.timedelta(days=1)).isoformat(),
            },
            "last_day",
        ),
        ({"mode": "away", "note": 3}, "note"),
    ):
        answer = phone.post("/api/pauses", json=body)
        assert answer.status_code == 422 and field in answer.get_json()["errors"], body
    planned = ok(
        phone.post(
            "/api/pauses",
            json={
                "mode": "away",
                "first_day": (today + dt.timedelta(days=3)).isoformat(),
                "last_day": (today + dt.timedelta(days=5)).isoformat(),
                "note": "Conference",
            },
        ),
        201,
    )
    assert not planned["active"]
    assert ok(phone.get("/api/today"))["pause"]["id"] == planned["id"]  # the next one planned
    assert cast.client(other).post(f"/api/pauses/{planned['id']}/end").status_code == 404


def test_today_says_how_many_exercises_a_pause_takes_off(cast: Cast):
    from sqlalchemy import select

    from hep.models import Exercise

    therapist, patient = cast.user(Role.THERAPIST), cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    ids = db.session.scalars(select(Exercise.id).limit(3)).all()
    today = dt.datetime.now(dt.UTC).date()
    prescribe(
        db.session,
        therapist,
        patient.id,
        {
            "title": "P",
            "start_date": today,
            "items": [
                {"exercise_id": ids[0], "minimum_dose": True},
                {"exercise_id": ids[1], "keep_in_flare": True},
                {"exercise_id": ids[2]},
            ],
        },
        dt.datetime.now(dt.UTC),
    )
    db.session.commit()
    phone = cast.client(patient)
    ok(phone.post("/api/pauses", json={"mode": "busy"}), 201)
    shown = ok(phone.get("/api/today"))
    assert (len(shown["entries"]), shown["paused_items"]) == (1, 2)
    ok(phone.post("/api/pauses", json={"mode": "unwell", "note": "A cold"}), 201)
    shown = ok(phone.get("/api/today"))
    assert (len(shown["entries"]), shown["paused_items"]) == (0, 3)
    assert shown["pause"]["note"] == "A cold"
