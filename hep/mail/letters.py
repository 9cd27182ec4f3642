"""The mail hep writes: a subject, a plain-text and an HTML part from templates (HTML
autoescaped), generic wording only, assembled into a message with the headers its kind needs.

No template is given health data: reminders say when, not what ("exercises", "a habit"), and
the therapist's digest names patients by initials with a generic reason, so nothing a mail
server or a shared inbox keeps reveals a diagnosis, a pain score, an exercise or a therapist."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from typing import Any
from urllib.parse import urlsplit

import jinja2

SUBJECTS = {
    "verify_email": "Confirm your email address for hep",
    "password_reset": "Reset your hep password",
    "invite": "Your invitation to hep",
    "clinic_invite": "Your invitation to join a clinic in hep",
    "sign_in_link": "Your link to sign in to hep",
    "reminders": "A reminder from hep",
    "attention_digest": "Patients to look at in hep",
    "message_notice": "You have a new message in hep",
}
UNSUBSCRIBABLE = frozenset({"reminders", "attention_digest", "message_notice"})
"""Mail sent again and again carries RFC 8058 one-click unsubscribe; account mail (answers to
something the reader just did) does not."""

REMINDER_WORDS = {
    "program": "exercises",
    "habit": "a habit",
    "general": "a reminder",
    "review": "your weekly check-in",
    "measure": "a short questionnaire",
}
"""What a reminder mail says a reminder is about, by the message's kind: never its name."""


@functools.cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("hep.mail", "templates"),
        autoescape=jinja2.select_autoescape(["html"], default_for_string=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


@dataclass(frozen=True)
class Letter:
    """A message before it is addressed: what `write` rendered."""

    kind: str
    subject: str
    text: str
    html: str
    unsubscribe_url: str | None = None


def write(kind: str, *, base_url: str, unsubscribe_url: str | None = None, **values: Any) -> Letter:
    """Render the kind's two templates. Mail that recurs needs its `unsubscribe_url`."""
    if (kind in UNSUBSCRIBABLE) != (unsubscribe_url is not None):
        raise ValueError(
            f"{kind} mail {'needs' if kind in UNSUBSCRIBABLE else 'has no'} unsubscribe"
        )
    base_url = base_url.rstrip("/")
    context = {
        "subject": SUBJECTS[kind],
        "base_url": base_url,
        "site": urlsplit(base_url).netloc,
        "unsubscribe_url": unsubscribe_url,
        **values,
    }
    env = _templates()
    return Letter(
        kind=kind,
        subject=SUBJECTS[kind],
        text=env.get_template(f"{kind}.txt").render(context),
        html=env.get_template(f"{kind}.html").render(context),
        unsubscribe_url=unsubscribe_url,
    )


def to_bytes(letter: Letter, *, sender: str, recipient: str, now: dt.datetime) -> bytes:
    """The message as sent: multipart/alternative (text, then HTML), CRLF line ends. Built
    with the email package's compat32 classes, about ten times faster than its modern policy
    (which re-parses every header it sets); every header value here is ours or checked: the
    sender by the settings, the recipient as an account's address, the rest ASCII."""
    name, address = parseaddr(sender)
    message = MIMEMultipart("alternative")
    message["From"] = formataddr((name, address), charset="utf-8")
    message["To"] = recipient
    message["Subject"] = letter.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=address.rpartition("@")[2])
    # RFC 3834: no vacation auto-replies to hep
    message["Auto-Submitted"] = "auto-generated"
    if letter.unsubscribe_url is not None:
        message["List-Unsubscribe"] = f"<{letter.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.attach(MIMEText(letter.text, "plain", "utf-8"))
    message.attach(MIMEText(letter.html, "html", "utf-8"))
    return message.as_bytes(policy=_WIRE)


_WIRE = compat32.clone(linesep="\r\n")
