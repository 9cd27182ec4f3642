"""Account mail end to end, through the outbox and a real SMTP server: confirming an address,
resetting a forgotten password, mailed invites; and what the app says with email off."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from hep.db import db
from hep.models import OutgoingMail, Role, User
from tests.conftest import PASSWORD, Cast
from tests.mail.conftest import deliver
from tests.mail_server import MailServer

pytestmark = [
    pytest.mark.filterwarnings("ignore:Session.login_data:DeprecationWarning"),
]


def link_in(message, prefix: str) -> str:
    text = message.get_body(("plain",)).get_content()
    found = re.search(re.escape(prefix) + r"([A-Za-z0-9_-]+)", text)
    assert found, text
    return found.group(1)


def test_a_reset_mail_link_sets_a_new_password_once_and_ends_other_sessions(
    app: Flask, cast: Cast, mail: MailServer
):
    patient = cast.user(Role.PATIENT)
    other_device = cast.client(patient)
    anonymous = cast.client()
    r = anonymous.post("/api/auth/password-reset", json={"email": patient.email.upper()})
    assert r.status_code == 202
    deliver(app)
    [message] = mail.for_address(patient.email)
    assert message["Subject"] == "Reset your hep password"
    assert "List-Unsubscribe" not in message  # account mail answers what the reader just did
    code = link_in(message, "http://localhost/#/reset/")
    new = "a brand new reset passphrase"
    r = anonymous.post(f"/api/sign-in-links/{code}/accept", json={"password": new})
    assert r.status_code == 200, r.get_json()
    assert other_device.get("/api/me").status_code == 401
    again = cast.client().post(f"/api/sign-in-links/{code}/accept", json={"password": "x" * 20})
    assert again.status_code == 404
    login = cast.client().post("/api/auth/login", json={"email": patient.email, "password": new})
    assert login.status_code == 200
    # once sent, the message and its link are no longer kept
    assert db.session.query(OutgoingMail).one().message is None


def test_a_reset_answers_alike_whether_or_not_the_address_has_an_account(
    app: Flask, cast: Cast, mail: MailServer
):
    patient = cast.user(Role.PATIENT)
    anonymous = cast.client()
    known = anonymous.post("/api/auth/password-reset", json={"email": patient.email})
    unknown = anonymous.post("/api/auth/password-reset", json={"email": "nobody@example.org"})
    assert (known.status_code, known.get_json()) == (unknown.status_code, unknown.get_json())
    deliver(app)
    assert [m["To"] for m in (r.message for r in mail.received)] == [patient.email]


def test_resets_are_rate_limited_per_address(app: Flask, cast: Cast, mail: MailServer):
    patient = cast.user(Role.THERAPIST)
    answers = [
        cast.client().post("/api/auth/password-reset", json={"email": patient.email}).status_code
        for _ in range(5)
    ]
    assert answers == [202, 202, 202, 429, 429]


def test_with_email_off_a_reset_says_so_instead_of_dropping_it(cast: Cast):
    r = cast.client().post("/api/auth/password-reset", json={"email": "a@example.org"})
    assert r.status_code == 409
    assert "does not send email" in r.get_json()["message"]


def test_an_address_is_confirmed_by_its_link_once(app: Flask, cast: Cast, mail: MailServer):
    therapist = cast.user(Role.THERAPIST)
    client = cast.client(therapist)
    assert client.post("/api/me/email-verification").status_code == 202
    deliver(app)
    [message] = mail.for_address(therapist.email)
    code = link_in(message, "http://localhost/#/verify-email/")
    anonymous = cast.client()
    assert anonymous.post(f"/api/email-verifications/{code}").get_json() == {"email_verified": True}
    assert anonymous.post(f"/api/email-verifications/{code}").status_code == 404
    db.session.expire_all()
    assert db.session.get(User, therapist.id).email_verified_at is not None
    assert client.post("/api/me/email-verification").status_code == 409


def test_email_reminders_need_a_confirmed_address(cast: Cast, mail: MailServer):
    patient = cast.user(Role.PATIENT)
    client = cast.client(patient)
    r = client.patch("/api/me/notification-settings", json={"email_reminders": "fallback"})
    assert r.status_code == 422
    assert "email_reminders" in r.get_json()["errors"]


def test_a_mailbox_the_server_does_not_know_is_no_longer_confirmed(
    app: Flask, cast: Cast, mail: MailServer
):
    therapist = cast.user(Role.THERAPIST)
    mail.refuse(therapist.email, "550 5.1.1 no such user")
    client = cast.client(therapist)
    assert client.post("/api/me/email-verification").status_code == 202
    deliver(app)
    db.session.expire_all()
    row = db.session.query(OutgoingMail).one()
    assert (row.status, row.smtp_code, row.message) == ("gone", 550, None)
    assert db.session.get(User, therapist.id).email_bounced_at is not None


def test_a_therapist_can_have_hep_mail_the_invite(app: Flask, cast: Cast, mail: MailServer):
    therapist = cast.user(Role.THERAPIST)
    client = cast.client(therapist)
    r = client.post("/api/patients", json={"email": "new.patient@example.org", "name": "Ana Kovač"})
    assert r.status_code == 201, r.get_json()
    patient_id = r.get_json()["patient"]["id"]
    r = client.post(f"/api/patients/{patient_id}/invite/email")
    assert r.status_code == 202, r.get_json()
    deliver(app)
    [message] = mail.for_address("new.patient@example.org")
    code = link_in(message, "http://localhost/#/invite/")
    assert r.get_json()["url"].endswith(code)
    body = message.get_body(("plain",)).get_content()
    assert therapist.name not in body and "Ana" not in body
    accept = cast.client().post(f"/api/invites/{code}/accept", json={"password": PASSWORD})
    assert accept.status_code == 200


def test_a_clinic_admin_can_have_hep_mail_a_therapists_invite(
    app: Flask, cast: Cast, mail: MailServer
):
    admin = cast.user(Role.THERAPIST)
    clinic = cast.clinic(admin, name="Riverside Physio")
    client = cast.client(admin)
    made = client.post(f"/api/clinics/{clinic.id}/invites", json={"email": "new.pt@example.org"})
    assert made.status_code == 201, made.get_json()
    first = made.get_json()["url"].split("#/join-clinic/")[1]
    r = client.post(f"/api/clinics/{clinic.id}/invites/{made.get_json()['id']}/email")
    assert r.status_code == 202, r.get_json()
    deliver(app)
    [message] = mail.for_address("new.pt@example.org")
    code = link_in(message, "http://localhost/#/join-clinic/")
    assert r.get_json()["url"].endswith(code) and code != first
    assert "Riverside Physio" in message.get_body(("plain",)).get_content()
    # the mailed link is the one that works now: the earlier one stopped
    assert cast.client().get(f"/api/clinic-invites/{first}").status_code == 404
    joined = cast.client().post(
        f"/api/clinic-invites/{code}/accept", json={"name": "Noa Berg", "password": PASSWORD}
    )
    assert joined.status_code == 200, joined.get_json()


def test_the_app_is_told_whether_email_is_available_and_the_address_confirmed(
    app: Flask, cast: Cast, monkeypatch: pytest.MonkeyPatch
):
    client = cast.client(cast.user(Role.PATIENT))
    me = client.get("/api/me").get_json()
    assert me["rules"]["email"] == {"available": False}
    assert me["email_verified"] is False
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    assert client.get("/api/me").get_json()["rules"]["email"] == {"available": True}
