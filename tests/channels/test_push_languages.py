"""Pushes in their recipient's language: the push address carries its owner's language, so a
German-speaking patient's reminder and message notice are German (still generic words), an
English speaker's unchanged, and every wording fits the payload's budget."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask

from hep import messages
from hep.channels import Message, Outgoing
from hep.channels.push import PushAddress, PushSettings
from hep.cli import generate_private_key_pem
from hep.db import db
from hep.languages import LANGUAGES
from hep.messages import post_message
from hep.models import PushSubscription, Role, User
from hep.push.endpoints import EndpointPolicy
from hep.push.payload import (
    ASKING_WORDS,
    GENERIC_BODIES,
    GENERIC_TITLES,
    MAX_PAYLOAD_BYTES,
    attention_payload,
    notice_payload,
    reminder_payload,
    test_payload,
)
from tests.conftest import NOW, Cast
from tests.push_service import BrowserSubscription, FakePushService


@pytest.fixture
def push_service() -> Iterator[FakePushService]:
    service = FakePushService().start()
    try:
        yield service
    finally:
        service.stop()


def subscribe(user: User, service: FakePushService, path: str) -> BrowserSubscription:
    browser = BrowserSubscription.create()
    db.session.add(
        PushSubscription(
            user_id=user.id,
            endpoint=service.url(path),
            p256dh=browser.p256dh,
            auth=browser.auth,
            created_at=NOW,
        )
    )
    db.session.commit()
    return browser


def speaking(cast: Cast, language: str) -> User:
    patient = cast.user(Role.PATIENT)
    db.session.get_one(User, patient.id).language = language
    db.session.commit()
    return patient


def remind(address: PushAddress) -> None:
    settings = PushSettings(
        private_key=generate_private_key_pem(),
        subject="mailto:ops@example.org",
        policy=EndpointPolicy(allow_loopback=True),
    )
    message = Message(kind="program", key=uuid.uuid4().hex, link="http://localhost/#/", ttl=600)

    async def send() -> None:
        channel = settings.open()
        try:
            [_ async for _ in channel.send([Outgoing(uuid.uuid4(), address, message)])]
        finally:
            await channel.close()

    asyncio.run(send())


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("de", ("Zeit für Ihre Übungen", "Tippen Sie, um hep zu öffnen und abzuhaken.")),
        ("en", ("Time for your exercises", "Tap to open hep and check in.")),
    ],
)
def test_a_patients_reminder_push_is_in_their_language(
    app: Flask, cast: Cast, push_service: FakePushService, language: str, words: tuple[str, str]
):
    patient = speaking(cast, language)
    browser = subscribe(patient, push_service, "/push/reminder")
    settings = PushSettings(
        private_key=generate_private_key_pem(),
        subject="mailto:ops@example.org",
        policy=EndpointPolicy(allow_loopback=True),
    )
    [address] = settings.open().addresses(db.session, [patient.id])[patient.id]
    assert address.language == language
    remind(address)
    [received] = push_service.to("/push/reminder")
    shown = json.loads(browser.decrypt(received.body))["notification"]
    assert (shown["title"], shown["body"]) == words


def test_a_german_speaking_patients_message_notice_is_german(
    app: Flask, cast: Cast, push_service: FakePushService
):
    therapist, patient = cast.user(Role.THERAPIST, "Dana Lead"), speaking(cast, "de")
    cast.link(therapist, patient)
    browser = subscribe(patient, push_service, "/push/notice")
    post_message(db.session, therapist, patient, uuid.uuid4(), "Your scan, Pat", NOW)
    db.session.commit()
    assert messages.notify(db.session, app.config, NOW) == 1
    [received] = push_service.to("/push/notice")
    shown = json.loads(browser.decrypt(received.body))["notification"]
    assert (shown["title"], shown["body"]) == (
        "Sie haben eine neue Nachricht",
        "Öffnen Sie hep, um sie zu lesen.",
    )
    assert "scan" not in json.dumps(shown) and "Dana" not in json.dumps(shown)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_wording_in_every_language_fits_the_budget(language: str):
    ids = {"occurrence_id": "o" * 64, "reminder_id": "r" * 64}
    url = "https://hep.example.org/" + "a" * 400
    payloads = [
        reminder_payload(**ids, kind=kind, navigate_url=url, title=t, body=b, language=language)
        for kind in ("program", *ASKING_WORDS)
        for t in GENERIC_TITLES
        for b in GENERIC_BODIES
    ]
    payloads += [
        test_payload(test_id="t" * 64, navigate_url=url, language=language),
        attention_payload(alert_id="a" * 64, navigate_url=url, language=language),
        notice_payload(kind="message", base_url="https://hep.example.org", language=language),
    ]
    assert max(map(len, payloads)) <= MAX_PAYLOAD_BYTES
    if language != "en":  # said in the language, not left in English
        titles = {json.loads(p)["notification"]["title"] for p in payloads}
        assert not titles & GENERIC_TITLES
