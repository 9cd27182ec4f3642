"""Mail as written: two parts from templates, HTML autoescaped, the headers each kind needs,
signed links that do one thing each."""

from __future__ import annotations

import datetime as dt
import uuid
from email import message_from_bytes, policy

import pytest

from hep.mail.letters import SUBJECTS, to_bytes, write
from hep.mail.links import MailLinks

NOW = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
BASE = "https://hep.example.org"


def parsed(raw: bytes):
    return message_from_bytes(raw, policy=policy.default)


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
