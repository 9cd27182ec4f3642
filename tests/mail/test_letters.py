"""Mail as written: two parts from templates, HTML autoescaped, the headers each kind needs,
signed links that do one thing each, in the reader's language."""

from __future__ import annotations

import datetime as dt
import uuid
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from flask import Flask
from sqlalchemy import select

from hep.db import db
from hep.mail.letters import SUBJECTS, to_bytes, write
from hep.mail.links import MailLinks
from tests.conftest import Cast

NOW = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
BASE = "https://hep.example.org"


def parsed(raw: bytes) -> EmailMessage:
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_reminder_mail_has_both_parts_and_one_click_unsubscribe():
    letter = write(
        "reminders",
        base_url=BASE,
        unsubscribe_url=f"{BASE}/mail/unsubscribe?t=abc",
        reminders=[{"time": "09:00", "what": "exercises", "done_url": f"{BASE}/mail/done?t=x"}],
    )
    message = parsed(to_bytes(letter, sender="hep <hep@example.org>", recipient="p@x.org", now=NOW))
    assert message["Subject"] == SUBJECTS["reminders"]
    assert message["List-Unsubscribe"] == f"<{BASE}/mail/unsubscribe?t=abc>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@example.org>")
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert f"{BASE}/mail/done?t=x" in text and "Mark as done" in html


def test_html_is_autoescaped():
    letter = write(
        "reminders",
        base_url=BASE,
        unsubscribe_url=f"{BASE}/u",
        reminders=[{"time": "<b>9</b>", "what": "<script>x</script>", "done_url": "/d"}],
    )
    assert "<script>" not in letter.html and "&lt;script&gt;" in letter.html


def test_recurring_mail_must_carry_unsubscribe_and_account_mail_must_not():
    with pytest.raises(ValueError):
        write("reminders", base_url=BASE, reminders=[])
    with pytest.raises(ValueError):
        write("password_reset", base_url=BASE, unsubscribe_url="x", link="l", minutes=60)


def test_a_link_token_does_one_thing_and_a_forged_one_nothing():
    links = MailLinks(b"k" * 32, BASE)
    occurrence, user = uuid.uuid4(), uuid.uuid4()
    done = links.done_url(occurrence).split("t=", 1)[1]
    unsubscribe = links.unsubscribe_url(user, "reminders").split("t=", 1)[1]
    assert links.read_done(done) == occurrence
    assert links.read_unsubscribe(unsubscribe) == (user, "reminders")
    assert links.read_done(unsubscribe) is None  # single purpose
    assert links.read_unsubscribe(done) is None
    assert MailLinks(b"o" * 32, BASE).read_done(done) is None  # another key
    assert links.read_done(done[:-2] + "xx") is None


# --- mail in its reader's language -----------------------------------------------------------

READING = {
    "de": {
        "reminder_subject": "Eine Erinnerung von hep",
        "reminder_body": "Hier sind Ihre 2 Erinnerungen von hep.",
        "done": "Als erledigt markieren",
        "answer": "Beantworten",
        "exercises": "Übungen",
        "weekday": "Di.",
        "notice_subject": "Sie haben eine neue Nachricht in hep",
        "notice_body": "Öffnen Sie hep, um sie zu lesen",
        "stop": "Diese E-Mails abbestellen",
    },
    "es": {
        "reminder_subject": "Un recordatorio de hep",
        "reminder_body": "Aquí tienes tus 2 recordatorios de hep.",
        "done": "Marcar como hecho",
        "answer": "Responder",
        "exercises": "ejercicios",
        "weekday": "mar",
        "notice_subject": "Tienes un mensaje nuevo en hep",
        "notice_body": "Abre hep para leerlo",
        "stop": "Dejar de recibir estos correos",
    },
}


def _reminder_mail(language: str) -> EmailMessage:
    """Two reminders on Tuesday 3 March (one to tick off, a weekly check-in to answer) as
    the email channel writes them for a patient who reads `language`."""
    from hep.channels import Message, Outgoing
    from hep.channels.email import EmailAddress, EmailSettings
    from hep.mail.smtp import MailSettings

    owner = uuid.uuid4()
    address = EmailAddress(owner, owner, "p@example.org", "Europe/Berlin", language)
    mail = MailSettings("127.0.0.1", 25, "none", "hep <hep@example.org>")
    channel = EmailSettings(mail, BASE, b"k" * 32).open()
    at = dt.datetime(2026, 3, 3, 7, tzinfo=dt.UTC)  # 08:00 in Berlin
    deliveries = [
        Outgoing(
            uuid.uuid4(),
            address,
            Message(kind, uuid.uuid4().hex, f"{BASE}/#/", 3600, at=at + dt.timedelta(hours=n)),
        )
        for n, kind in enumerate(("program", "review"))
    ]
    return parsed(channel.mail_for(address, deliveries))


@pytest.mark.parametrize("language", sorted(READING))
def test_a_patient_gets_their_reminder_mail_in_their_language(language: str):
    words = READING[language]
    message = _reminder_mail(language)
    assert message["Subject"] == words["reminder_subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.startswith(words["reminder_subject"])
    for part in (text, html):
        assert words["reminder_body"] in part
        assert f"{words['weekday']} 08:00: {words['exercises']}" in part
        assert words["done"] in part and words["answer"] in part and words["stop"] in part
        assert "Here are your" not in part and "Mark as done" not in part
    assert f'<html lang="{language}">' in html


def test_the_english_reminder_mail_reads_as_before():
    message = _reminder_mail("en")
    assert message["Subject"] == "A reminder from hep"
    text = message.get_body(("plain",)).get_content()
    assert "Here are your 2 reminders from hep. Details are in the app." in text
    assert "- Tue 08:00: exercises\n  Mark as done: https://hep.example.org/mail/done?t=" in text
    assert "- Tue 09:00: your weekly check-in\n  Answer it: https://hep.example.org/#/" in text
    assert "Open hep: https://hep.example.org/\n" in text
    assert (
        "You get this email because you chose email reminders in hep at "
        "https://hep.example.org/. Change how they reach you under Reminders, "
        "Notification settings.\nStop these emails: https://hep.example.org/mail/unsubscribe?t="
    ) in text
    html = message.get_body(("html",)).get_content()
    assert '<html lang="en">' in html and ">Mark as done</a>" in html and ">Answer it</a>" in html


def _notice_mail(app: Flask, cast: Cast, language: str) -> EmailMessage:
    """The "new message" mail hep queues for a patient who chose message emails."""
    from hep import notices
    from hep.models import NotificationSettings, OutgoingMail, Role

    patient = cast.user(Role.PATIENT)
    patient.language = language
    patient.email_verified_at = NOW
    db.session.get_one(NotificationSettings, patient.id).email_notices = True
    db.session.commit()
    config = {**app.config, "SMTP_HOST": "127.0.0.1", "SMTP_FROM": "hep <hep@example.org>"}
    assert notices.tell(db.session, config, [patient.id], "message", NOW) == 1
    queued = db.session.scalars(
        select(OutgoingMail).where(OutgoingMail.user_id == patient.id)
    ).one()
    return parsed(queued.message)


@pytest.mark.parametrize("language", sorted(READING))
def test_a_patient_gets_the_new_message_mail_in_their_language(
    app: Flask, cast: Cast, language: str
):
    words = READING[language]
    message = _notice_mail(app, cast, language)
    assert message["Subject"] == words["notice_subject"]
    for kind in ("plain", "html"):
        body = message.get_body((kind,)).get_content()
        assert words["notice_subject"] in body and words["notice_body"] in body
        assert words["stop"] in body and "/#/messages" in body
        assert "Open hep to read it" not in body


def test_the_english_new_message_mail_reads_as_before(app: Flask, cast: Cast):
    message = _notice_mail(app, cast, "en")
    assert message["Subject"] == "You have a new message in hep"
    text = message.get_body(("plain",)).get_content()
    assert text.startswith(
        "You have a new message in hep\n\n"
        "You have a new message in hep. Open hep to read it: http://localhost/#/messages\n\n--\n"
        "You get this email because you chose to hear of new messages by email in hep at "
        "http://localhost/.\nStop these emails: http://localhost/mail/unsubscribe?t="
    )


@pytest.mark.parametrize(
    ("language", "title"), [("de", "Diese E-Mails abbestellen?"), ("es", "¿Dejar de recibir")]
)
def test_the_unsubscribe_page_speaks_the_language_of_the_user_it_names(
    app: Flask, cast: Cast, language: str, title: str
):
    from hep.models import Role

    patient = cast.user(Role.PATIENT)
    patient.language = language
    db.session.commit()
    url = MailLinks.from_config(app.config).unsubscribe_url(patient.id, "message_notice")
    page = cast.client().get(url.removeprefix("http://localhost"))
    assert page.status_code == 200
    assert title in page.get_data(as_text=True)
    # a token naming no one: the browser's language
    browser = cast.client().get("/mail/unsubscribe?t=x", headers={"Accept-Language": "de"})
    assert browser.status_code == 404 and "Link ungültig" in browser.get_data(as_text=True)
