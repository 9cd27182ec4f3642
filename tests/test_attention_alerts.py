"""Therapist attention alerts (hep.alerts): a patient who stopped logging is noted once, and
the therapist gets one daily email listing them, by initials and a generic reason, through a
real SMTP server; nothing more while the reason holds."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import select

from hep import alerts, snapshots
from hep.db import db
from hep.models import AttentionAlert, Role, User
from tests.conftest import NOW, Cast
from tests.mail.conftest import deliver, mail  # noqa: F401  (the fixture)
from tests.mail_server import MailServer

pytestmark = pytest.mark.filterwarnings("ignore:Session.login_data:DeprecationWarning")


def test_initials_say_who_and_no_more():
    assert alerts.initials("Ana K. Smith") == "A. S."
    assert alerts.initials("Bo") == "B."
    assert alerts.initials("  ") == "A patient"


def test_a_therapist_gets_one_digest_listing_a_patient_who_stopped_logging(
    app: Flask,
    cast: Cast,
    mail: MailServer,  # noqa: F811
):
    therapist = cast.user(Role.THERAPIST, "Dr Hidden Therapist")
    patient = cast.user(Role.PATIENT, "Zoe Quiet Hidden")
    cast.link(therapist, patient)
    db.session.get_one(User, therapist.id).email_verified_at = dt.datetime.now(dt.UTC)
    db.session.commit()
    client = cast.client(therapist)
    r = client.patch(
        "/api/me/notification-settings",
        json={"alert_email": True, "alert_push": False, "alert_time": "07:30"},
    )
    assert r.status_code == 200, r.get_json()
    now = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    snapshots.refresh_stale(db.session, [patient.id], now)
    db.session.commit()

    first = alerts.run(db.session, app.config, now)
    second = alerts.run(db.session, app.config, now + dt.timedelta(days=1))
    assert (first["noted"], first["emailed"]) == (1, 1)
    assert (second["noted"], second["emailed"]) == (0, 0)  # once per patient per reason
    reasons = db.session.scalars(select(AttentionAlert.reason)).all()
    assert reasons == ["not logging"]

    deliver(app, now)
    [message] = mail.for_address(therapist.email)
    assert message["List-Unsubscribe"]
    text = message.get_body(("plain",)).get_content()
    assert "Z. H.: no check-ins for a few days" in text
    assert f"/#/patients/{patient.id}" in text
    whole = message.as_string()
    for secret in ("Zoe", "Quiet", "Hidden", "pain", "adherence"):
        assert secret not in whole


def test_a_patient_just_added_is_not_announced_as_not_logging(app: Flask, cast: Cast):
    therapist = cast.user(Role.THERAPIST)
    patient = cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    snapshots.refresh_stale(db.session, [patient.id], NOW + dt.timedelta(days=1))
    db.session.commit()
    assert alerts.note_alerts(db.session, NOW + dt.timedelta(days=1)) == []


def test_a_discharged_patient_raises_no_alert(app: Flask, cast: Cast):
    from hep.discharges import discharge

    therapist = cast.user(Role.THERAPIST)
    patient, gone = cast.user(Role.PATIENT), cast.user(Role.PATIENT)
    for someone in (patient, gone):
        cast.link(therapist, someone)
    discharge(db.session, therapist, gone.id, "", NOW)
    db.session.commit()
    now = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    snapshots.refresh_stale(db.session, [patient.id, gone.id], now)
    db.session.commit()
    alerts.run(db.session, app.config, now)
    noted = db.session.scalars(select(AttentionAlert.patient_id)).all()
    assert noted == [patient.id]  # both stopped logging; only one is on the attention list
