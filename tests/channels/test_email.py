"""The email channel end to end: a patient whose phone cannot get pushes gets the reminder
by mail through a real SMTP server, ticks it off from the mail's link, and the next reminder
that day is skipped; the mail carries no health data and unsubscribes in one click."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import select

from hep.db import Database, db
from hep.models import Delivery, NotificationSettings, Occurrence, Role, User
from hep.reminders.dispatch import run_once
from hep.reminders.passes import DispatchSettings
from tests.conftest import Cast
from tests.mail.conftest import mail  # noqa: F401  (the fixture)
from tests.mail_server import MailServer
from tests.reminders.test_push_end_to_end import daytime_zone

pytestmark = pytest.mark.filterwarnings("ignore:Session.login_data:DeprecationWarning")


def confirm(user: User, now: dt.datetime) -> None:
    db.session.get_one(User, user.id).email_verified_at = now
    db.session.commit()


def test_a_patient_without_push_gets_the_reminder_by_mail_and_ticks_it_off_from_it(
    app: Flask,
    cast: Cast,
    mail: MailServer,  # noqa: F811
):
    now = dt.datetime.now(dt.UTC)
    zone = daytime_zone(now)
    therapist = cast.user(Role.THERAPIST, "Dr Secret Name")
    patient = cast.user(Role.PATIENT, "Patient Secret Name", timezone=zone)
    cast.link(therapist, patient)
    confirm(patient, now)
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
    settings = p.get("/api/me/notification-settings").get_json()
    assert settings["push_subscriptions"] == 0  # what the app offers email on
    local = now.astimezone(ZoneInfo(zone))
    times = [(local + dt.timedelta(minutes=m)).strftime("%H:%M") for m in (2, 4)]
    # mailed at the first reminder's time, which is a digest time
    r = p.patch(
        "/api/me/notification-settings",
        json={"email_reminders": "fallback", "email_digest_times": times[:1]},
    )
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["email_digest_times"] == times[:1]
    r = p.post(
        "/api/reminders",
        json={
            "target": {"kind": "program", "program_id": program["id"]},
            "rule": {"type": "times", "times": times},
        },
    )
    fire_at = dt.datetime.fromisoformat(r.get_json()["next_fire_at"])

    factory = Database.sessionmaker(app)
    dispatch = DispatchSettings.from_app(app)
    report = run_once(factory, fire_at + dt.timedelta(seconds=1), dispatch)
    assert report.outcomes["sent"] == 1 and report.sent == 1
    [message] = mail.for_address(patient.email)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    whole = message.as_string()
    for secret in ("Secret Name", exercise["name"], "Neck", "pain"):
        assert secret not in whole
    text = message.get_body(("plain",)).get_content()
    done = re.search(r"http://localhost(/mail/done\?t=[^\s]+)", text)
    assert done, text

    anonymous = cast.client()  # the mail may open in any browser
    page = anonymous.get(done.group(1))
    assert page.status_code == 200 and b"Mark as done" in page.data
    token = done.group(1).split("t=", 1)[1]
    posted = anonymous.post("/mail/done", data={"t": token})
    assert posted.status_code == 200 and b"Logged" in posted.data
    again = anonymous.post("/mail/done", data={"t": token})  # idempotent
    assert again.status_code == 200

    run_once(factory, fire_at + dt.timedelta(minutes=2, seconds=1), dispatch)
    db.session.rollback()  # read what the pass committed
    outcomes = db.session.scalars(
        select(Occurrence.outcome)
        .where(Occurrence.owner_id == patient.id)
        .order_by(Occurrence.fire_at)
    ).all()
    assert outcomes == ["sent", "done"]
    assert len(mail.for_address(patient.email)) == 1
    delivery = db.session.scalars(select(Delivery)).one()
    assert (delivery.channel, delivery.status) == ("email", "sent")


def test_one_click_unsubscribe_works_without_signing_in(
    app: Flask,
    cast: Cast,
    mail: MailServer,  # noqa: F811
):
    from hep.mail.links import MailLinks

    patient = cast.user(Role.PATIENT)
    confirm(patient, dt.datetime.now(dt.UTC))
    cast.client(patient).patch("/api/me/notification-settings", json={"email_reminders": "always"})
    url = MailLinks.from_config(app.config).unsubscribe_url(patient.id, "reminders")
    path = url.removeprefix("http://localhost")
    anonymous = cast.client()
    assert b"Stop these emails" in anonymous.get(path).data
    db.session.expire_all()
    assert db.session.get_one(NotificationSettings, patient.id).email_reminders == "always"
    # RFC 8058: the mail program POSTs this body to the URL, no cookie, no header of ours
    r = app.test_client().post(
        path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert r.status_code == 200
    db.session.expire_all()
    assert db.session.get_one(NotificationSettings, patient.id).email_reminders == "off"
    assert anonymous.get("/mail/unsubscribe?t=forged").status_code == 404
