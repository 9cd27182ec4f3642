"""Messages: a thread per patient and care team in order, read state per reader, replays
and the rate limit, and the patient told of a team's message with generic words only."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from hep import messages
from hep.db import db
from hep.errors import Conflict, Throttled
from hep.messages import (
    PER_HOUR,
    claim_notices,
    mark_read,
    post_message,
    read_up_to,
    thread,
    unread_by_patient,
    unread_count,
)
from hep.models import Message, MessageRead, NotificationSettings, PushSubscription, Role, User
from tests.conftest import NOW, PASSWORD, Cast
from tests.push_service import BrowserSubscription, FakePushService


@pytest.fixture
def team(cast: Cast) -> tuple[User, User, User]:
    """A patient with two therapists on the team."""
    lead, colleague = cast.user(Role.THERAPIST, "Dana Lead"), cast.user(Role.THERAPIST)
    patient = cast.user(Role.PATIENT)
    cast.link(lead, patient)
    cast.link(colleague, patient)
    return lead, colleague, patient


def post(author: User, patient: User, body: str, at: dt.datetime = NOW) -> Message:
    return post_message(db.session, author, patient, uuid.uuid4(), body, at).message


def test_a_thread_reads_in_order_and_pages_back(team):
    lead, colleague, patient = team
    for n, author in enumerate([lead, patient, colleague, patient, lead]):
        post(author, patient, f"message {n}", NOW + dt.timedelta(minutes=n))
    db.session.commit()
    newest = thread(db.session, patient.id, before=None, limit=3)
    assert [m.body for m in newest] == ["message 2", "message 3", "message 4"]
    older = thread(db.session, patient.id, before=newest[0].id, limit=3)
    assert [m.body for m in older] == ["message 0", "message 1"]
    assert [m.from_patient for m in older] == [False, True]
    assert older[0].author_name == "Dana Lead"


def test_each_reader_has_their_own_read_state(team):
    lead, colleague, patient = team
    first = post(lead, patient, "How is the knee?")
    second = post(colleague, patient, "And the back?")
    reply = post(patient, patient, "Better, thanks")
    db.session.commit()
    # what the reader wrote is never news to them
    assert unread_count(db.session, patient.id, patient) == 2
    assert unread_count(db.session, patient.id, lead) == 2
    assert unread_count(db.session, patient.id, colleague) == 2

    assert mark_read(db.session, patient.id, patient, first.id, NOW) == first.id
    assert unread_count(db.session, patient.id, patient) == 1
    # a mark never moves back, and never past the newest message
    assert mark_read(db.session, patient.id, patient, 0, NOW) == first.id
    assert mark_read(db.session, patient.id, patient, reply.id + 100, NOW) == reply.id
    assert unread_count(db.session, patient.id, patient) == 0
    mark_read(db.session, patient.id, lead, reply.id, NOW)
    db.session.commit()
    assert unread_by_patient(db.session, lead) == {}
    assert unread_by_patient(db.session, colleague) == {patient.id: 2}
    assert read_up_to(db.session, patient.id, colleague) == 0
    assert second.id < reply.id


def test_a_retry_is_a_replay_and_another_body_under_its_id_a_conflict(team):
    lead, _, patient = team
    client_id = uuid.uuid4()
    first = post_message(db.session, lead, patient, client_id, "Hello", NOW)
    again = post_message(db.session, lead, patient, client_id, "Hello", NOW + dt.timedelta(1))
    assert first.created and not again.created and again.message.id == first.message.id
    with pytest.raises(Conflict):
        post_message(db.session, lead, patient, client_id, "Hello?", NOW)


def test_a_writer_has_so_many_messages_an_hour_per_thread(team, cast: Cast):
    lead, colleague, patient = team
    for n in range(PER_HOUR):
        post(lead, patient, f"{n}", NOW + dt.timedelta(minutes=n))
    late = NOW + dt.timedelta(minutes=PER_HOUR)
    with pytest.raises(Throttled) as throttled:
        post(lead, patient, "one more", late)
    # the first of the hour ages out an hour after it was written
    assert throttled.value.retry_after == 60 * 60 - PER_HOUR * 60
    post(colleague, patient, "others may still write", late)
    other = cast.user(Role.PATIENT)
    cast.link(lead, other)
    post(lead, other, "and to other patients", late)
    # a replay is not a new message
    post_message(db.session, lead, patient, uuid.uuid4(), "later", NOW + dt.timedelta(hours=1))


def test_a_patient_without_a_team_has_nobody_to_write_to(cast: Cast):
    alone = cast.user(Role.PATIENT)
    with pytest.raises(Conflict):
        post(alone, alone, "Anyone?")


def test_the_patient_is_told_once_outside_quiet_hours_unless_they_have_read_it(team):
    lead, _, patient = team
    post(patient, patient, "mine is no news to me")
    news = post(lead, patient, "How are you?")
    db.session.commit()
    settings = db.session.get_one(NotificationSettings, patient.id)
    settings.quiet_start, settings.quiet_end = "11:00", "13:00"
    db.session.commit()
    assert claim_notices(db.session, NOW) == []  # 12:00 UTC: quiet
    later = NOW + dt.timedelta(hours=2)
    assert claim_notices(db.session, later) == [patient.id]
    db.session.commit()
    assert claim_notices(db.session, later) == []  # told once

    read = post(lead, patient, "Read before the tick", later)
    mark_read(db.session, patient.id, patient, read.id, later)
    stale = post(lead, patient, "Found a day late", later - dt.timedelta(hours=30))
    db.session.commit()
    assert claim_notices(db.session, later) == []
    db.session.commit()
    told = db.session.scalars(
        select(Message.notified_at).where(Message.id.in_([read.id, stale.id]))
    )
    assert list(told) == [later, later]  # marked, never announced
    assert db.session.get_one(Message, news.id).notified_at == later


@pytest.fixture
def push_service() -> Iterator[FakePushService]:
    service = FakePushService().start()
    try:
        yield service
    finally:
        service.stop()


def test_the_notice_says_only_that_there_is_a_message(app: Flask, team, push_service):
    lead, _, patient = team
    browser = BrowserSubscription.create()
    db.session.add(
        PushSubscription(
            user_id=patient.id,
            endpoint=push_service.url("/push/patient"),
            p256dh=browser.p256dh,
            auth=browser.auth,
            created_at=NOW,
        )
    )
    post(lead, patient, "Your scan shows a torn ligament, Pat")
    db.session.commit()
    assert messages.notify(db.session, app.config, NOW) == 1
    [received] = push_service.to("/push/patient")
    shown = json.loads(browser.decrypt(received.body))["notification"]
    assert (shown["title"], shown["body"]) == ("You have a new message", "Open hep to read it.")
    assert shown["navigate"].endswith("/#/messages")
    whole = json.dumps(shown)
    for secret in ("scan", "ligament", "Pat", "Dana"):
        assert secret not in whole
    assert messages.notify(db.session, app.config, NOW) == 0


def test_the_scheduler_tick_tells_the_patient(app: Flask, team, push_service):
    from hep.scheduler import message_notices

    lead, _, patient = team
    browser = BrowserSubscription.create()
    db.session.add(
        PushSubscription(
            user_id=patient.id,
            endpoint=push_service.url("/push/tick"),
            p256dh=browser.p256dh,
            auth=browser.auth,
            created_at=NOW,
        )
    )
    post(lead, patient, "Hello")
    db.session.commit()
    message_notices(app, NOW)
    assert len(push_service.to("/push/tick")) == 1


def test_export_and_deletion_cover_the_thread(cast: Cast, team):
    lead, colleague, patient = team
    post(lead, patient, "From the lead")
    post(patient, patient, "From the patient")
    db.session.commit()
    p, t = cast.client(patient), cast.client(lead)
    exported = p.get("/api/me/export").get_json()["messages"]
    assert [(m["author"], m["body"]) for m in exported] == [
        ("Dana Lead", "From the lead"),
        (patient.name, "From the patient"),
    ]
    assert [m["body"] for m in t.get("/api/me/export").get_json()["messages"]] == ["From the lead"]
    # the lead goes: what they wrote stays in the patient's thread under their name
    assert t.delete("/api/me", json={"password": PASSWORD}).status_code == 204
    db.session.expire_all()  # the request deleted through a session of its own
    kept = db.session.scalars(select(Message).order_by(Message.id)).all()
    assert (kept[0].author_id, kept[0].author_name) == (None, "Dana Lead")
    # the patient goes: the thread and everyone's read marks with it
    mark_read(db.session, patient.id, colleague, kept[-1].id, NOW)
    db.session.commit()
    assert p.delete("/api/me", json={"password": PASSWORD}).status_code == 204
    db.session.rollback()
    assert db.session.scalar(select(Message.id)) is None
    assert db.session.scalar(select(MessageRead.reader_id)) is None


def test_a_patient_who_chose_message_emails_gets_one_with_generic_words(app: Flask, team, tmp_path):
    from hep.mail.outbox import send_pending
    from hep.mail.smtp import MailSettings
    from tests.mail_server import mail_server

    lead, _, patient = team
    db.session.get_one(User, patient.id).email_verified_at = NOW
    db.session.get_one(NotificationSettings, patient.id).email_notices = True
    post(lead, patient, "Your scan shows a torn ligament, Pat")
    db.session.commit()
    with mail_server(tmp_path) as server:
        config = {**app.config, **server.config()}
        assert messages.notify(db.session, config, NOW) == 1
        report = send_pending(db.sessionmaker(app), MailSettings.from_config(config), NOW)
        assert report["sent"] == 1, report
        [mail] = server.for_address(patient.email)
    assert mail["Subject"] == "You have a new message in hep"
    assert mail["List-Unsubscribe"]
    text = mail.get_body(("plain",)).get_content()
    assert "Open hep to read it" in text and "/#/messages" in text
    whole = text + mail.get_body(("html",)).get_content() + str(mail["Subject"])
    for secret in ("scan", "ligament", "Pat", "Dana"):
        assert secret not in whole
    # turned off (or an address not confirmed): no mail
    db.session.get_one(NotificationSettings, patient.id).email_notices = False
    post(lead, patient, "Another")
    db.session.commit()
    assert messages.notify(db.session, config, NOW) == 0
