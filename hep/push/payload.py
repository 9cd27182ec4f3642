"""Push payloads: Declarative Web Push JSON with generic wording and opaque ids, and Topics."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from typing import Any

from hep.languages import DEFAULT
from hep.translations import Text, _

MAX_PAYLOAD_BYTES = 3500
"""Our budget: one aes128gcm record holds 3,993 bytes; push services refuse bodies over 4 KB."""

# The words are chosen in English (the catalogues carry them: `_(...).singular`) and said in
# the recipient's language when a payload is built.
DEFAULT_TITLE = _("Time for your exercises").singular
DEFAULT_BODY = _("Tap to open hep and check in.").singular
# reminders that ask rather than remind say so, in words as generic as the rest
ASKING_WORDS = {
    "review": (
        _("Time for your weekly check-in").singular,
        _("Tap to look back on your week.").singular,
    ),
    "measure": (_("A short questionnaire is due").singular, _("Tap to answer it.").singular),
}
GENERIC_TITLES = frozenset(
    {
        DEFAULT_TITLE,
        _("Time for your habit").singular,
        _("A reminder from hep").singular,
        *(title for title, _words in ASKING_WORDS.values()),
    }
)
GENERIC_BODIES = frozenset(
    {
        DEFAULT_BODY,
        _("Tap to see what is due.").singular,
        _("Tap to open hep.").singular,
        *(body for _words, body in ASKING_WORDS.values()),
    }
)
"""The only wording a reminder can carry: nothing a caller passes in reaches a lock screen, so
no exercise names, pain scores, diagnoses or names can. Details load after sign-in."""

REMINDER_KINDS = frozenset({"program", "habit", "general", *ASKING_WORDS})
TEST_TITLE = _("Notifications work").singular
TEST_BODY = _("This is a test notification from hep.").singular

_OPAQUE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_NAVIGATE = re.compile(
    r"(?P<scheme>https?)://(?P<host>[a-z0-9.-]+)(?::[0-9]{1,5})?"
    r"(?:/[A-Za-z0-9/_.~-]*)?(?:\?[A-Za-z0-9_.~=&-]*)?(?:#[A-Za-z0-9/_.~=&?-]*)?"
)
MAX_NAVIGATE_LENGTH = 512


class PayloadTooLarge(ValueError):
    """The encoded payload exceeds MAX_PAYLOAD_BYTES."""

    def __init__(self, size: int) -> None:
        super().__init__(f"push payload is {size} bytes; the limit is {MAX_PAYLOAD_BYTES}")
        self.size = size


def _opaque(name: str, value: str) -> str:
    if not isinstance(value, str) or not _OPAQUE_ID.fullmatch(value):
        raise ValueError(f"{name} must be an opaque id: 1-64 characters of A-Z a-z 0-9 _ -")
    return value


def _navigate(url: str) -> str:
    match = _NAVIGATE.fullmatch(url) if isinstance(url, str) else None
    if match is None or len(url) > MAX_NAVIGATE_LENGTH:
        raise ValueError("navigate_url must be an absolute URL of plain path/query characters")
    if match["scheme"] == "http" and match["host"] not in ("localhost", "127.0.0.1"):
        raise ValueError("navigate_url must use https (http only for localhost development)")
    return url


def check_size(payload: bytes) -> bytes:
    """Return `payload` unchanged, or raise PayloadTooLarge."""
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise PayloadTooLarge(len(payload))
    return payload


def _said(english: str, language: str) -> str:
    """Fixed English words in the recipient's language."""
    return Text(english).in_(language)


def _declarative(
    *,
    title: str,
    body: str,
    navigate: str,
    tag: str,
    data: dict[str, str],
    language: str = DEFAULT,
) -> bytes:
    document: dict[str, Any] = {
        "web_push": 8030,
        "notification": {
            "title": _said(title, language),
            "body": _said(body, language),
            "navigate": navigate,
            "tag": tag,
            "silent": False,
            "data": data,
            "mutable": True,
        },
    }
    return check_size(json.dumps(document, separators=(",", ":")).encode("utf-8"))


def reminder_payload(
    *,
    occurrence_id: str,
    reminder_id: str,
    kind: str,
    navigate_url: str,
    title: str | None = None,
    body: str | None = None,
    language: str = DEFAULT,
) -> bytes:
    """The JSON a reminder push carries (Declarative Web Push, also read by our service worker).

    Only opaque ids, a kind from REMINDER_KINDS and wording from GENERIC_TITLES/GENERIC_BODIES
    are accepted (ValueError otherwise); the wording is said in `language`. The notification
    `tag` is per occurrence, so a duplicate delivery of one occurrence replaces itself on the
    device instead of stacking."""
    if kind not in REMINDER_KINDS:
        raise ValueError(f"kind must be one of {sorted(REMINDER_KINDS)}")
    words = ASKING_WORDS.get(kind, (DEFAULT_TITLE, DEFAULT_BODY))
    title, body = title or words[0], body or words[1]
    if title not in GENERIC_TITLES:
        raise ValueError("title must be one of the generic titles (GENERIC_TITLES)")
    if body not in GENERIC_BODIES:
        raise ValueError("body must be one of the generic bodies (GENERIC_BODIES)")
    occurrence_id = _opaque("occurrence_id", occurrence_id)
    return _declarative(
        title=title,
        body=body,
        navigate=_navigate(navigate_url),
        tag=f"hep-{occurrence_id}",
        data={
            "occurrence_id": occurrence_id,
            "reminder_id": _opaque("reminder_id", reminder_id),
            "kind": kind,
        },
        language=language,
    )


def test_payload(*, test_id: str, navigate_url: str, language: str = DEFAULT) -> bytes:
    """The payload of the "send me a test notification" button."""
    test_id = _opaque("test_id", test_id)
    return _declarative(
        title=TEST_TITLE,
        body=TEST_BODY,
        navigate=_navigate(navigate_url),
        tag=f"hep-test-{test_id}",
        data={"test_id": test_id, "kind": "test"},
        language=language,
    )


ATTENTION_TITLE = _("A patient needs your attention").singular
ATTENTION_BODY = _("Open hep to see who.").singular


def attention_payload(*, alert_id: str, navigate_url: str, language: str = DEFAULT) -> bytes:
    """A therapist's attention alert: generic words only (never who, never why)."""
    alert_id = _opaque("alert_id", alert_id)
    return _declarative(
        title=ATTENTION_TITLE,
        body=ATTENTION_BODY,
        navigate=_navigate(navigate_url),
        tag=f"hep-attention-{alert_id}",
        data={"alert_id": alert_id, "kind": "attention"},
        language=language,
    )


NOTICES = {
    "message": (
        _("You have a new message").singular,
        _("Open hep to read it.").singular,
        "#/messages",
    )
}
"""Notices outside reminders, by kind: title, body and the app's page; generic words only."""


def notice_payload(*, kind: str, base_url: str, language: str = DEFAULT) -> bytes:
    """A notice ("You have a new message"): fixed words (never who wrote or what), one tag per
    kind, so a second notice replaces the first on the device."""
    title, body, page = NOTICES[kind]
    return _declarative(
        title=title,
        body=body,
        navigate=_navigate(f"{base_url}/{page}"),
        tag=f"hep-notice-{kind}",
        data={"kind": kind},
        language=language,
    )


test_payload.__test__ = False  # type: ignore[attr-defined]  # not a pytest test when imported


def topic_for(occurrence_key: str, secret: bytes) -> str:
    """RFC 8030 Topic for one occurrence: HMAC-SHA256(secret, key) truncated to 24 bytes, as
    32 base64url characters. Stable across retries, distinct between occurrences, and opaque
    (reveals nothing without `secret`, e.g. `VapidKeys.derived_secret(b"push topic")`)."""
    if len(secret) < 16:
        raise ValueError("the topic secret must be at least 16 bytes")
    digest = hmac.new(secret, b"hep-topic\0" + occurrence_key.encode("utf-8"), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:24]).decode("ascii")
