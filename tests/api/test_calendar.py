"""The calendar feed: a private, revocable address; events by the dispatcher's own rules, at
the right local time in each zone across a DST change, parsed back; generic unless the
patient lets them say more; cacheable by ETag; changing with the program."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from hep.calendars import events, ics
from hep.db import db
from hep.habits import create_habit
from hep.models import CalendarFeed, Exercise, Program, Role, User
from hep.programs import prescribe, revise
from hep.reminders.rules import create_reminder
from hep.reminders.schedule import TimesRule, occurrences_between
from tests.conftest import NOW, Cast

# Europe's clocks go forward on 29 March 2026, America's on 8 March: both in the window
TODAY = dt.datetime(2026, 3, 5, 12, 0, tzinfo=dt.UTC)
ALL = [1, 2, 3, 4, 5, 6, 7]


@dataclass
class Plan:
    patient: User
    program: Program
    habit_name: str


def _plan(cast: Cast, therapist: User, zone: str) -> Plan:
    patient = cast.user(Role.PATIENT, timezone=zone)
    cast.link(therapist, patient)
    builtins = db.session.scalars(
        select(Exercise).where(Exercise.slug.is_not(None)).order_by(Exercise.slug).limit(2)
    ).all()
    program = prescribe(
        db.session,
        therapist,
        patient.id,
        {
            "title": "Shoulder rehab",
            "start_date": dt.date(2026, 3, 2),
            "end_date": dt.date(2026, 4, 12),
            "items": [
                {"exercise_id": builtins[0].id, "weekdays": 0b0010101},  # Mon, Wed, Fri
                {"exercise_id": builtins[1].id, "weekdays": 0b0000001},  # Mon
            ],
        },
        NOW,
    )
    habit = create_habit(db.session, patient, {"kind": "hydration", "name": "Water"}, NOW)
    for times, target in (
        ([dt.time(8, 0), dt.time(2, 30)], {"kind": "program", "program_id": program.id}),
        ([dt.time(21, 0)], {"kind": "habit", "habit_id": habit.id}),
    ):
        create_reminder(
            db.session,
            patient,
            {"rule": {"type": "times", "times": times, "weekdays": ALL}, "target": target},
            NOW,
        )
    db.session.commit()
    return Plan(patient, program, habit.name)


def _parsed(document: bytes) -> list[Any]:
    return list(icalendar.Calendar.from_ical(document).walk("VEVENT"))


@pytest.mark.parametrize(
    ("zone", "change"),
    [("Europe/Berlin", dt.date(2026, 3, 29)), ("America/New_York", dt.date(2026, 3, 8))],
)
def test_every_event_is_at_its_local_time_across_the_dst_change(
    cast: Cast, zone: str, change: dt.date
):
    plan = _plan(cast, cast.user(Role.THERAPIST), zone)
    tz = ZoneInfo(zone)
    document = ics(
        events(db.session, plan.patient, False, TODAY),
        plan.patient,
        base_url="https://hep.example.org",
    )
    calendar = icalendar.Calendar.from_ical(document)
    assert [str(t["TZID"]) for t in calendar.walk("VTIMEZONE")] == [zone]
    sessions = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == "Exercise session"]
    checks = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == "Habit check"]
    # the dispatcher's instants for the same rules
    program_fires = set(
        occurrences_between(
            TimesRule.of([dt.time(8), dt.time(2, 30)], ALL),
            tz,
            TODAY - dt.timedelta(days=9),
            TODAY + dt.timedelta(days=60),
        )
    )
    offsets = set()
    for event in sessions:
        start = event.decoded("DTSTART")
        assert start.tzinfo is not None and str(start.tzinfo) == zone
        day = start.date()
        assert day.isoweekday() in (1, 3, 5), "only on days an item is due"
        assert dt.date(2026, 3, 2) <= day <= dt.date(2026, 4, 12), "within the program's dates"
        assert start.astimezone(dt.UTC) in program_fires
        wall = start.time().replace(tzinfo=None)
        if day == change:
            # 02:30 does not exist that night: it happens at 03:30, as the reminder fires
            assert wall in (dt.time(8), dt.time(3, 30)), day
        else:
            assert wall in (dt.time(8), dt.time(2, 30)), day
        offsets.add(start.utcoffset())
        assert event.decoded("DURATION") >= dt.timedelta(minutes=5)
    assert len(offsets) == 2, "both sides of the change are in the window"
    # habit checks every evening at 21:00 local, whatever the offset
    assert len(checks) == 7 + 56 + 1
    assert {e.decoded("DTSTART").time().replace(tzinfo=None) for e in checks} == {dt.time(21)}
    assert {e.decoded("DTSTART").utcoffset() for e in checks} == offsets
    # generic by default: no names of exercises, programs or habits leave hep
    text = document.decode()
    assert "Shoulder rehab" not in text and "Water" not in text
    names = db.session.scalars(select(Exercise.name).where(Exercise.slug.is_not(None))).all()
    assert not any(name in text for name in names)
    # unique, stable ids
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    again = ics(
        events(db.session, plan.patient, False, TODAY),
        plan.patient,
        base_url="https://hep.example.org",
    )
    assert again == document


def test_a_patient_who_opts_in_sees_what_each_event_is_about(cast: Cast):
    plan = _plan(cast, cast.user(Role.THERAPIST), "Europe/Berlin")
    found = _parsed(
        ics(events(db.session, plan.patient, True, TODAY), plan.patient, base_url="https://h")
    )
    titles = {str(e["SUMMARY"]) for e in found}
    assert titles == {"Shoulder rehab", "Water"}
    mondays = [
        e
        for e in found
        if e.decoded("DTSTART").isoweekday() == 1 and str(e["SUMMARY"]) == "Shoulder rehab"
    ]
    assert mondays and all(str(e["DESCRIPTION"]).count("\n") == 1 for e in mondays)


def test_a_program_without_a_timed_reminder_shows_all_day_on_its_days(cast: Cast):
    therapist = cast.user(Role.THERAPIST)
    patient = cast.user(Role.PATIENT, timezone="Asia/Tokyo")
    cast.link(therapist, patient)
    exercise = db.session.scalar(select(Exercise).where(Exercise.slug.is_not(None)).limit(1))
    prescribe(
        db.session,
        therapist,
        patient.id,
        {
            "title": "P",
            "start_date": dt.date(2026, 3, 9),
            "end_date": dt.date(2026, 3, 15),
            "items": [{"exercise_id": exercise.id, "weekdays": 0b0000011}],  # Mon, Tue
        },
        NOW,
    )
    db.session.commit()
    found = _parsed(ics(events(db.session, patient, False, TODAY), patient, base_url="https://h"))
    assert [(e.decoded("DTSTART"), str(e["SUMMARY"])) for e in found] == [
        (dt.date(2026, 3, 9), "Exercises today"),
        (dt.date(2026, 3, 10), "Exercises today"),
    ]


@dataclass
class Subscribed:
    patient: User
    client: FlaskClient
    url: str
    plan: Plan


@pytest.fixture
def subscribed(cast: Cast) -> Subscribed:
    therapist = cast.user(Role.THERAPIST)
    plan = _plan(cast, therapist, "Europe/Berlin")
    client = cast.client(plan.patient)
    made = client.post("/api/me/calendar", json={})
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert body["active"] is True and body["details"] is False
    assert body["webcal_url"] == "webcal" + body["url"].removeprefix("http")
    return Subscribed(plan.patient, client, body["url"].removeprefix("http://localhost"), plan)


def test_the_address_opens_the_feed_without_a_session_and_is_stored_hashed(
    cast: Cast, subscribed: Subscribed
):
    anonymous = cast.client()
    response = anonymous.get(subscribed.url)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert _parsed(response.get_data())
    token = subscribed.url.split("token=")[1]
    stored = db.session.scalars(select(CalendarFeed.token_hash)).all()
    assert len(stored) == 1 and token not in stored[0]
    # the state never shows the address again
    state = subscribed.client.get("/api/me/calendar").get_json()
    assert state["active"] is True and "url" not in state
    # the export says the address works, and holds no secret
    export = subscribed.client.get("/api/me/export").get_json()
    assert export["calendar_feed"]["details"] is False
    assert token not in json.dumps(export) and stored[0] not in json.dumps(export)
    # an unchanged plan answers 304 to its ETag
    again = anonymous.get(subscribed.url, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_a_new_address_replaces_the_old_and_revoking_ends_it(cast: Cast, subscribed: Subscribed):
    anonymous = cast.client()
    second = subscribed.client.post("/api/me/calendar", json={"details": True}).get_json()
    new_url = second["url"].removeprefix("http://localhost")
    assert anonymous.get(subscribed.url).status_code == 404
    assert anonymous.get(new_url).status_code == 200
    assert "SUMMARY:Water" in anonymous.get(new_url).get_data(as_text=True)
    changed = subscribed.client.patch("/api/me/calendar", json={"details": False})
    assert changed.status_code == 200 and changed.get_json()["details"] is False
    assert "Water" not in anonymous.get(new_url).get_data(as_text=True)
    assert subscribed.client.delete("/api/me/calendar").status_code == 204
    assert anonymous.get(new_url).status_code == 404
    assert subscribed.client.get("/api/me/calendar").get_json()["active"] is False
    assert subscribed.client.patch("/api/me/calendar", json={"details": True}).status_code == 404
    assert anonymous.get("/api/calendar.ics?token=guess").status_code == 404
    assert anonymous.get("/api/calendar.ics").status_code == 422


def test_the_feed_changes_with_the_program(cast: Cast, subscribed: Subscribed):
    anonymous = cast.client()
    before = anonymous.get(subscribed.url)
    program = subscribed.plan.program
    exercise = db.session.scalar(select(Exercise).where(Exercise.slug.is_not(None)).limit(1))
    therapist_id = program.therapist_id
    revise(
        db.session,
        db.session.get_one(User, therapist_id),
        program.id,
        {"items": [{"exercise_id": exercise.id, "weekdays": 0b1000000}], "end_date": None},
        NOW,
    )
    db.session.commit()
    after = anonymous.get(subscribed.url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    sessions = [e for e in _parsed(after.get_data()) if str(e["SUMMARY"]) == "Exercise session"]
    assert sessions and {e.decoded("DTSTART").isoweekday() for e in sessions} == {7}


def test_only_patients_have_a_feed(cast: Cast):
    therapist = cast.client(cast.user(Role.THERAPIST))
    assert therapist.post("/api/me/calendar", json={}).status_code == 403
    assert cast.client().post("/api/me/calendar", json={}).status_code == 401
    assert cast.client().get("/api/me/calendar").status_code == 401


def test_a_disabled_account_s_feed_answers_404(cast: Cast, subscribed: Subscribed):
    subscribed.patient.is_active = False
    db.session.commit()
    assert cast.client().get(subscribed.url).status_code == 404
