"""What Today asks of a patient: the week to look back on, questionnaires due, and unread
messages, in one answer (the week's schedule is made on first use)."""

from __future__ import annotations

import datetime as dt
import uuid

from hep.clock import utcnow
from hep.models import Role
from tests.conftest import Cast


def test_today_asks_for_the_week_the_questionnaires_due_and_unread_messages(cast: Cast):
    therapist, patient = cast.user(Role.THERAPIST), cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    t, p = cast.client(therapist), cast.client(patient)
    empty = p.get("/api/prompts").get_json()
    today = utcnow().date()
    sunday = today - dt.timedelta(days=today.isoweekday() % 7)
    assert empty == {
        "weekly_review": {"week_end": str(sunday), "planned": False, "answered": False},
        "measures_due": [],
        "unread_messages": 0,
        "link_requests": [],
        "discharge": None,
    }
    p.post("/api/habits/starters/water")
    t.post(f"/api/patients/{patient.id}/measures", json={"instrument": "nprs", "every_weeks": 2})
    t.put(f"/api/patients/{patient.id}/messages/{uuid.uuid4()}", json={"body": "Hi"})
    asked = p.get("/api/prompts").get_json()
    assert asked["weekly_review"]["planned"] is (sunday >= today)  # the habit starts today
    assert [(m["title"], m["due_on"]) for m in asked["measures_due"]] == [
        ("Pain rating (0-10)", str(today))
    ]
    assert asked["unread_messages"] == 1
    assert t.get("/api/prompts").status_code == 403


def test_today_asks_to_answer_link_requests_and_says_while_you_are_discharged(cast: Cast):
    therapist, patient = cast.user(Role.THERAPIST, name="Dana Reyes"), cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    other = cast.user(Role.THERAPIST, name="Sam Okafor")
    t, p = cast.client(therapist), cast.client(patient)
    added = cast.client(other).post(
        "/api/patients", json={"email": patient.email, "name": "Pat as typed"}
    )
    assert added.status_code == 201
    t.post(f"/api/patients/{patient.id}/discharge", json={"note": "Goals met"})
    asked = p.get("/api/prompts").get_json()
    assert [r["therapist_name"] for r in asked["link_requests"]] == ["Sam Okafor"]
    assert (asked["discharge"]["discharged_by"], asked["discharge"]["note"]) == (
        "Dana Reyes",
        "Goals met",
    )
    t.post(f"/api/patients/{patient.id}/readmission")
    request_id = asked["link_requests"][0]["id"]
    assert p.post(f"/api/me/link-requests/{request_id}/decline").status_code == 204
    after = p.get("/api/prompts").get_json()
    assert (after["link_requests"], after["discharge"]) == ([], None)
