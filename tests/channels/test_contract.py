"""The channel contract, held by every channel against a real server on loopback: an
accepted message is SENT, an address that no longer exists is GONE, a deferral is RETRY, and
a server that never answers is RETRY within the channel's timeout (never an exception, never
a hang). Web push runs against our fake push service, email against aiosmtpd."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from hep.channels import Message, Outcome, Outgoing
from hep.channels.email import EmailAddress, EmailSettings
from hep.channels.push import PushAddress, PushSettings
from hep.cli import generate_private_key_pem
from hep.mail.smtp import MailSettings
from hep.push.endpoints import EndpointPolicy
from tests.mail_server import mail_server, silent_listener
from tests.push_service import BrowserSubscription, FakePushService, Reply

pytestmark = [
    pytest.mark.filterwarnings("ignore:Session.login_data:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning"),
]

CASES = ("sent", "gone", "retry", "timeout")
EXPECTED = {
    "sent": Outcome.SENT,
    "gone": Outcome.GONE,
    "retry": Outcome.RETRY,
    "timeout": Outcome.RETRY,
}
TIMEOUT = 1.0
MESSAGE = Message(kind="program", key=uuid.uuid4().hex, link="http://localhost/#/", ttl=600)


@dataclass
class Harness:
    settings: Any
    address: Any


@contextlib.contextmanager
def push(case: str, tmp_path: Path) -> Iterator[Harness]:
    service = FakePushService().start()
    try:
        path = f"/push/{case}"
        if case == "gone":
            service.reply(path, Reply(status=410))
        elif case == "retry":
            service.reply(path, Reply(status=503, headers={"Retry-After": "30"}))
        elif case == "timeout":
            service.reply(path, Reply(hang=True))
        browser = BrowserSubscription.create()
        owner = uuid.uuid4()
        address = PushAddress(uuid.uuid4(), owner, service.url(path), browser.p256dh, browser.auth)
        settings = PushSettings(
            private_key=generate_private_key_pem(),
            subject="mailto:ops@example.org",
            policy=EndpointPolicy(allow_loopback=True),
            timeout=TIMEOUT,
        )
        yield Harness(settings, address)
    finally:
        service.stop()


@contextlib.contextmanager
def email(case: str, tmp_path: Path) -> Iterator[Harness]:
    owner = uuid.uuid4()
    recipient = f"{case}@example.org"
    address = EmailAddress(owner, owner, recipient, "UTC")

    def settings_for(config: dict[str, Any]) -> EmailSettings:
        mail = MailSettings.from_config(config, timeout=TIMEOUT)
        assert mail is not None
        return EmailSettings(mail, "http://localhost", b"k" * 32)

    if case == "timeout":
        with silent_listener() as port:
            config = {
                "SMTP_HOST": "127.0.0.1",
                "SMTP_PORT": port,
                "SMTP_TLS": "none",
                "SMTP_FROM": "hep@clinic.example",
            }
            yield Harness(settings_for(config), address)
        return
    with mail_server(tmp_path) as server:
        if case == "gone":
            server.refuse(recipient, "550 5.1.1 no such user")
        elif case == "retry":
            server.refuse(recipient, "451 4.3.0 try again later")
        yield Harness(settings_for(server.config()), address)


HARNESSES = {"push": push, "email": email}


async def _send(settings: Any, address: Any) -> list[Any]:
    channel = settings.open()
    try:
        delivery = Outgoing(uuid.uuid4(), address, MESSAGE)
        return [result async for result in channel.send([delivery])]
    finally:
        await channel.close()


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("kind", sorted(HARNESSES))
def test_every_channel_answers_each_delivery_with_its_outcome(kind: str, case: str, tmp_path: Path):
    with HARNESSES[kind](case, tmp_path) as harness:
        started = time.monotonic()
        results = asyncio.run(_send(harness.settings, harness.address))
        elapsed = time.monotonic() - started
    assert [r.outcome for r in results] == [EXPECTED[case]]
    assert harness.settings.kind == kind
    if case == "timeout":
        # bounded by the channel's timeouts, not left hanging (a bound, not a timing claim)
        assert elapsed < 10 * TIMEOUT
