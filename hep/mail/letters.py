"""The mail hep writes: a subject, a plain-text and an HTML part from templates (HTML
autoescaped), generic wording only, assembled into a message with the headers its kind needs.

No template is given health data: reminders say when, not what ("exercises", "a habit"), and
the therapist's digest names patients by initials with a generic reason, so nothing a mail
server or a shared inbox keeps reveals a diagnosis, a pain score, an exercise or a therapist."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from hep.languages import DEFAULT, supported
from hep.translations import _, say_all, translations

SUBJECTS = {
    "verify_email": _("Confirm your email address for hep"),
    "password_reset": _("Reset your hep password"),
    "invite": _("Your invitation to hep"),
    "clinic_invite": _("Your invitation to join a clinic in hep"),
    "sign_in_link": _("Your link to sign in to hep"),
    "reminders": _("A reminder from hep"),
    "attention_digest": _("Patients to look at in hep"),
    "message_notice": _("You have a new message in hep"),
}
UNSUBSCRIBABLE = frozenset({"reminders", "attention_digest", "message_notice"})
"""Mail sent again and again carries RFC 8058 one-click unsubscribe; account mail (answers to
something the reader just did) does not."""

REMINDER_WORDS = {
    "program": _("exercises"),
    "habit": _("a habit"),
    "general": _("a reminder"),
    "review": _("your weekly check-in"),
    "measure": _("a short questionnaire"),
}
"""What a reminder mail says a reminder is about, by the message's kind: never its name."""


def tag(name: str, /, **attributes: Any) -> Markup:
    """An opening HTML tag with its attributes escaped (None leaves one out): templates
    write tags that carry values this way, so only words stand between them."""
    said = "".join(
        Markup(' {}="{}"').format(key, value)
        for key, value in attributes.items()
        if value is not None
    )
    return Markup("<{}{}>").format(Markup(name), Markup(said))


def in_language(env: jinja2.Environment, language: str) -> jinja2.Environment:
    """`env` speaking `language`: its {% trans %} blocks and _() read that catalogue."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(tag=tag, language=language)
    return env


@functools.cache
def _templates(language: str = DEFAULT) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("hep.mail", "templates"),
        autoescape=jinja2.select_autoescape(["html"], default_for_string=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return in_language(env, language)


def render(name: str, language: str, **values: Any) -> str:
    """One of the mail templates (or the mail pages') in `language`; Texts among the values
    are said in it."""
    language = supported(language)
    template = _templates(language).get_template(name)
    return template.render(say_all(values, language))


@dataclass(frozen=True)
class Letter:
    """A message before it is addressed: what `write` rendered."""

    kind: str
    subject: str
    text: str
    html: str
    unsubscribe_url: str | None = None


def write(
    kind: str,
    *,
    base_url: str,
    language: str = DEFAULT,
    unsubscribe_url: str | None = None,
    **values: Any,
) -> Letter:
    """Render the kind's two templates in the reader's `language` (Texts among the values
    are said in it). Mail that recurs needs its `unsubscribe_url`."""
    if (kind in UNSUBSCRIBABLE) != (unsubscribe_url is not None):
        raise ValueError(
            f"{kind} mail {'needs' if kind in UNSUBSCRIBABLE else 'has no'} unsubscribe"
        )
    base_url = base_url.rstrip("/")
    language = supported(language)
    subject = SUBJECTS[kind].in_(language)
    context = {
        "subject": subject,
        "base_url": base_url,
        "site": urlsplit(base_url).netloc,
        "unsubscribe_url": unsubscribe_url,
        **values,
    }
    return Letter(
        kind=kind,
        subject=subject,
        text=render(f"{kind}.txt", language, **context),
        html=render(f"{kind}.html", language, **context),
        unsubscribe_url=unsubscribe_url,
    )


def to_bytes(letter: Letter, *, sender: str, recipient: str, now: dt.datetime) -> bytes:
    """The message as sent: multipart/alternative (text, then HTML), CRLF line ends. Built
    with the email package's compat32 classes, about ten times faster than its modern policy
    (which re-parses every header it sets); every header value here is ours or checked: the
    sender by the settings, the recipient as an account's address, a subject in words other
    than ASCII encoded, the rest ASCII."""
    name, address = parseaddr(sender)
    message = MIMEMultipart("alternative")
    message["From"] = formataddr((name, address), charset="utf-8")
    message["To"] = recipient
    # a subject in words beyond ASCII (another language than English) is encoded, RFC 2047
    subject = letter.subject if letter.subject.isascii() else Header(letter.subject, "utf-8")
    message["Subject"] = subject  # type: ignore[assignment]  # compat32 takes a Header
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
