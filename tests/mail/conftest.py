"""A mail server on loopback and the app set to send through it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from hep.clock import utcnow
from hep.db import db
from hep.mail.outbox import send_pending
from hep.mail.smtp import MailSettings
from tests.mail_server import MailServer, mail_server


@pytest.fixture
def mail(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MailServer]:
    with mail_server(tmp_path) as server:
        for key, value in server.config().items():
            monkeypatch.setitem(app.config, key, value)
        yield server


def deliver(app: Flask, now: dt.datetime | None = None) -> None:
    """Run the mail tick once, as the scheduler would."""
    settings = MailSettings.from_config(app.config)
    assert settings is not None
    db.session.rollback()
    send_pending(db.sessionmaker(app), settings, now or utcnow())
