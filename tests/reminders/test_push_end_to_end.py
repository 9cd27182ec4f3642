"""The whole chain against a real RFC 8030 push service (npm web-push-testing): a patient
subscribes, sets a reminder two minutes ahead and gets it, decrypted; ticks the item off from
the notification and the next reminder for it today is skipped."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from hep.db import Database, db
from hep.models import Occurrence, Role
from hep.reminders.dispatch import run_once
from hep.reminders.passes import DispatchSettings
from tests.conftest import Cast
from tests.push_service import WebPushTesting, running_web_push_testing


@pytest.fixture(scope="module")
def push_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebPushTesting]:
    with running_web_push_testing(tmp_path_factory.mktemp("wpt")) as service:
        yield service


def daytime_zone(now: dt.datetime) -> str:
    """A zone where it is day for the next few minutes: outside the quiet hours a new account
    has (22:00-07:00), and never straddling midnight."""
    for name in ("UTC", "Asia/Tokyo", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"):
        if 8 <= now.astimezone(ZoneInfo(name)).hour <= 20:
            return name
    raise AssertionError("no daytime zone found")


def test_a_reminder_reaches_a_real_push_service_and_done_skips_the_next(
    app, cast: Cast, push_service: WebPushTesting
):
    now = dt.datetime.now(dt.UTC)
    zone = daytime_zone(now)
    therapist = cast.user(Role.THERAPIST, "Dr Secret Name")
    patient = cast.user(Role.PATIENT, "Patient Secret Name", timezone=zone)
    cast.link(therapist, patient)
    t, p = cast.client(therapist), cast.client(patient)
    exercise = t.get("/api/exercises?q=trapezius").get_json()[0]
    program = t.post(
        f"/api/patients/{patient.id}/programs",
        json={
            "title": "Neck",
            "start_date": (now.date() - dt.timedelta(days=1)).isoformat(),
            "items": [{"exercise_id": exercise["id"], "times_per_day": 1}],
        },
    ).get_json()

    key = p.get("/api/push/vapid-public-key").get_json()["public_key"]
    browser = push_service.subscribe(key)
    r = p.post(
        "/api/push/subscriptions", json={"endpoint": browser["endpoint"], "keys": browser["keys"]}
    )
    assert r.status_code == 201, r.get_json()

    local = now.astimezone(ZoneInfo(zone))
    first = (local + dt.timedelta(minutes=2)).strftime("%H:%M")
    second = (local + dt.timedelta(minutes=4)).strftime("%H:%M")
    r = p.post(
        "/api/reminders",
        json={
            "target": {"kind": "program", "program_id": program["id"]},
            "rule": {"type": "times", "times": [first, second]},
        },
    )
    assert r.status_code == 201, r.get_json()
    fire_at = dt.datetime.fromisoformat(r.get_json()["next_fire_at"])
    assert dt.timedelta(minutes=1) <= fire_at - now <= dt.timedelta(minutes=2)

    settings = DispatchSettings.from_app(app)
    factory = Database.sessionmaker(app)
    assert run_once(factory, fire_at - dt.timedelta(seconds=1), settings).decided == 0
    report = run_once(factory, fire_at + dt.timedelta(seconds=1), settings)
    assert report.sent == 1, report

    messages = push_service.notifications(browser["clientHash"])
    assert len(messages) == 1
    raw = messages[0] if isinstance(messages[0], str) else json.dumps(messages[0])
    payload = json.loads(raw)
    assert payload["web_push"] == 8030
    notification = payload["notification"]
    occurrence = notification["data"]["occurrence_id"]
    assert notification["navigate"].endswith(f"/#/check-in/{occurrence}")
    for secret in ("Secret", exercise["name"], "trapezius", "Neck"):
        assert secret.lower() not in raw.lower()

    # the one-tap page, then "Done" from the notification (twice: a retried tap)
    page = p.get(f"/api/notifications/{occurrence}").get_json()
    assert [e["exercise"]["name"] for e in page["entries"]] == [exercise["name"]]
    for _ in range(2):
        done = p.post(f"/api/notifications/{occurrence}/done")
        assert done.status_code == 200
    checkins = p.get("/api/check-ins").get_json()
    assert [(c["state"], c["source"]) for c in checkins] == [("done", "notification")]

    second_at = fire_at + dt.timedelta(minutes=2)
    report = run_once(factory, second_at + dt.timedelta(seconds=1), settings)
    assert report.sent == 0 and report.outcomes == {"done": 1}
    assert len(push_service.notifications(browser["clientHash"])) == 1
    db.session.rollback()  # a new snapshot: dispatchers wrote through other sessions
    assert list(db.session.scalars(select(Occurrence.outcome).order_by(Occurrence.fire_at))) == [
        "sent",
        "done",
    ]


def test_an_expired_subscription_is_removed_after_the_push_service_answers_410(
    app, cast: Cast, push_service: WebPushTesting
):
    patient = cast.user(Role.PATIENT)
    cast.no_quiet_hours(patient)  # the push goes out whatever the hour
    p = cast.client(patient)
    browser = push_service.subscribe(p.get("/api/push/vapid-public-key").get_json()["public_key"])
    p.post(
        "/api/push/subscriptions", json={"endpoint": browser["endpoint"], "keys": browser["keys"]}
    )
    push_service.expire(browser["clientHash"])
    now = dt.datetime.now(dt.UTC)
    r = p.post(
        "/api/reminders",
        json={
            "rule": {"type": "times", "times": [(now + dt.timedelta(minutes=2)).strftime("%H:%M")]}
        },
    )
    fire_at = dt.datetime.fromisoformat(r.get_json()["next_fire_at"])
    report = run_once(
        Database.sessionmaker(app),
        fire_at + dt.timedelta(seconds=1),
        DispatchSettings.from_app(app),
    )
    assert report.gone == 1
    assert p.get("/api/push/subscriptions").get_json() == []


def test_the_test_notification_arrives_with_generic_text(cast: Cast, push_service: WebPushTesting):
    p = cast.client(cast.user(Role.PATIENT, "Someone Private"))
    browser = push_service.subscribe(p.get("/api/push/vapid-public-key").get_json()["public_key"])
    p.post(
        "/api/push/subscriptions", json={"endpoint": browser["endpoint"], "keys": browser["keys"]}
    )
    assert p.post("/api/push/test").get_json() == {"sent": 1, "failed": 0}
    (message,) = push_service.notifications(browser["clientHash"])
    raw = message if isinstance(message, str) else json.dumps(message)
    assert json.loads(raw)["notification"]["data"]["kind"] == "test"
    assert "Private" not in raw
