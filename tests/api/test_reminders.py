"""/api/reminders: changes, pauses and snoozes are checked before anything is stored."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask.testing import FlaskClient

from hep.db import db
from hep.models import NotificationSettings, Role, User
from tests.conftest import Cast

RULE = {"type": "times", "times": ["08:00"], "weekdays": [1, 2, 3, 4, 5]}


@pytest.fixture
def patient(cast: Cast) -> FlaskClient:
    return cast.client(cast.user(Role.PATIENT))


@pytest.fixture
def reminder(patient: FlaskClient) -> dict[str, Any]:
    habit = patient.post("/api/habits", json={"kind": "hydration", "name": "Water"}).get_json()
    r = patient.post(
        "/api/reminders", json={"rule": RULE, "target": {"kind": "habit", "habit_id": habit["id"]}}
    )
    assert r.status_code == 201, r.get_json()
    found: dict[str, Any] = r.get_json()
    return found


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"target": {"habit_id": str(uuid.uuid4())}}, "target"),
        ({"target": {"program_id": str(uuid.uuid4())}}, "target"),
        ({"rule": {"times": ["09:00"]}}, "rule"),
        ({"rule": {"every_minutes": 30}}, "rule"),
    ],
)
def test_a_patch_with_a_partial_target_or_rule_answers_422(
    patient: FlaskClient, reminder: dict[str, Any], change: dict[str, Any], field: str
):
    # a target or rule is replaced whole, so it must say what kind it is
    r = patient.patch(f"/api/reminders/{reminder['id']}", json=change)
    assert r.status_code == 422, r.get_json()
    assert field in r.get_json()["errors"]
    assert patient.get(f"/api/reminders/{reminder['id']}").get_json() == reminder


def test_a_patch_with_a_whole_rule_replaces_it(patient: FlaskClient, reminder: dict[str, Any]):
    r = patient.patch(
        f"/api/reminders/{reminder['id']}", json={"rule": {"type": "times", "times": ["09:30"]}}
    )
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["rule"] == {
        "type": "times",
        "times": ["09:30"],
        "weekdays": [1, 2, 3, 4, 5, 6, 7],
    }
    assert r.get_json()["target"] == reminder["target"]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01"])
def test_a_pause_outside_the_years_hep_plans_for_answers_422(
    patient: FlaskClient, reminder: dict[str, Any], day: str
):
    r = patient.patch(f"/api/reminders/{reminder['id']}", json={"paused_until": day})
    assert r.status_code == 422, r.get_json()
    assert "paused_until" in r.get_json()["errors"]


def test_a_pause_to_the_last_planned_day_is_kept(patient: FlaskClient, reminder: dict[str, Any]):
    r = patient.patch(f"/api/reminders/{reminder['id']}", json={"paused_until": "2100-12-31"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["paused_until"] == "2100-12-31"


@pytest.mark.parametrize("time", ["9:00", "09:5", "24:00", "09:00:00", "0900"])
def test_a_time_not_written_hh_mm_answers_422(patient: FlaskClient, time: str):
    r = patient.post("/api/reminders", json={"rule": {"type": "times", "times": [time]}})
    assert r.status_code == 422, r.get_json()


@pytest.mark.parametrize("body", [None, {}])
def test_a_snooze_without_minutes_answers_422(
    patient: FlaskClient, reminder: dict[str, Any], body: dict[str, Any] | None
):
    r = patient.post(f"/api/reminders/{reminder['id']}/snooze", json=body)
    assert r.status_code == 422, r.get_json()
    assert patient.get(f"/api/reminders/{reminder['id']}").get_json() == reminder


def test_a_snooze_with_minutes_moves_the_next_push(patient: FlaskClient, reminder: dict[str, Any]):
    r = patient.post(f"/api/reminders/{reminder['id']}/snooze", json={"minutes": 15})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["next_fire_at"] != reminder["next_fire_at"]


def test_a_new_account_has_quiet_hours_and_a_daily_cap_stored(cast: Cast):
    r = cast.client().post(
        "/api/auth/signup/patient",
        json={
            "email": "new@example.org",
            "name": "New",
            "password": "a long enough test passphrase",
            "timezone": "Europe/Berlin",
        },
    )
    assert r.status_code == 201, r.get_json()
    stored = db.session.get_one(NotificationSettings, uuid.UUID(r.get_json()["user"]["id"]))
    assert (stored.quiet_start, stored.quiet_end, stored.daily_cap) == ("22:00", "07:00", 8)


def test_an_account_without_settings_is_answered_the_defaults(cast: Cast):
    user = cast.user(Role.PATIENT)
    db.session.delete(db.session.get_one(NotificationSettings, user.id))
    db.session.commit()
    settings = cast.client(user).get("/api/me/notification-settings").get_json()
    assert (settings["quiet_start"], settings["quiet_end"], settings["daily_cap"]) == (
        "22:00",
        "07:00",
        8,
    )


def test_a_pause_until_yesterday_answers_422_beside_the_field(
    patient: FlaskClient, reminder: dict[str, Any]
):
    r = patient.patch(f"/api/reminders/{reminder['id']}", json={"paused_until": "2001-01-01"})
    assert r.status_code == 422, r.get_json()
    assert r.get_json()["errors"] == {"paused_until": ["Paused until: today or a later day."]}


SETTINGS = "/api/me/notification-settings"


def test_a_patient_chooses_up_to_four_email_times_each_once(cast: Cast):
    client = cast.client(cast.user(Role.PATIENT))
    assert client.get(SETTINGS).get_json()["email_digest_times"] == ["08:00", "18:00"]
    r = client.patch(SETTINGS, json={"email_digest_times": ["21:00", "07:30", "12:00", "16:45"]})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["email_digest_times"] == ["07:30", "12:00", "16:45", "21:00"]
    for times in ([], ["08:00", "08:00"], ["07:00", "08:00", "09:00", "10:00", "11:00"], ["8:00"]):
        r = client.patch(SETTINGS, json={"email_digest_times": times})
        assert r.status_code == 422, (times, r.get_json())
        assert list(r.get_json()["errors"]) == ["email_digest_times"]
    assert client.get(SETTINGS).get_json()["email_digest_times"][0] == "07:30"


def test_email_times_and_message_emails_are_for_patients_with_a_confirmed_address(cast: Cast):
    therapist = cast.client(cast.user(Role.THERAPIST))
    for change in ({"email_digest_times": ["09:00"]}, {"email_notices": True}):
        r = therapist.patch(SETTINGS, json=change)
        assert r.status_code == 422 and list(r.get_json()["errors"]) == list(change)
    user = cast.user(Role.PATIENT)
    patient = cast.client(user)
    r = patient.patch(SETTINGS, json={"email_notices": True})
    assert r.status_code == 422 and list(r.get_json()["errors"]) == ["email_notices"]
    assert patient.patch(SETTINGS, json={"email_notices": False}).status_code == 200
    db.session.get_one(User, user.id).email_verified_at = db.session.get_one(
        User, user.id
    ).created_at
    db.session.commit()
    r = patient.patch(SETTINGS, json={"email_notices": True})
    assert r.status_code == 200 and r.get_json()["email_notices"] is True
