"""Push payloads: Declarative Web Push JSON with generic wording and opaque ids, and Topics."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from typing import Any

MAX_PAYLOAD_BYTES = 3500
"""Our budget: one aes128gcm record holds 3,993 bytes; push services refuse bodies over 4 KB."""

DEFAULT_TITLE = "Time for your exercises"
DEFAULT_BODY = "Tap to open hep and check in."
# reminders that ask rather than remind say so, in words as generic as the rest
ASKING_WORDS = {
    "review": ("Time for your weekly check-in", "Tap to look back on your week."),
    "measure": ("A short questionnaire is due", "Tap to answer it."),
}
GENERIC_TITLES = frozenset(
    {
        DEFAULT_TITLE,
        "Time for your habit",
        "A reminder from hep",
        *(title for title, _ in ASKING_WORDS.values()),
    }
)
GENERIC_BODIES = frozenset(
    {
        DEFAULT_BODY,
        "Tap to see what is due.",
        "Tap to open hep.",
        *(body for _, body in ASKING_WORDS.values()),
    }
)
"""The only wording a reminder can carry: nothing a caller passes in reaches a lock screen, so
no exercise names, pain scores, diagnoses or names can. Details load after sign-in."""

REMINDER_KINDS = frozenset({"program", "habit", "general", *ASKING_WORDS})
TEST_TITLE = "Notifications work"
TEST_BODY = "This is a test notification from hep."

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


def _declarative(*, title: str, body: str, navigate: str, tag: str, data: dict[str, str]) -> bytes:
    document: dict[str, Any] = {
        "web_push": 8030,
        "notification": {
            "title": title,
            "body": body,
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
) -> bytes:
    """The JSON a reminder push carries (Declarative Web Push, also read by our service worker).

    Only opaque ids, a kind from REMINDER_KINDS and wording from GENERIC_TITLES/GENERIC_BODIES
    are accepted (ValueError otherwise). The notification `tag` is per occurrence, so a
    duplicate delivery of one occurrence replaces itself on the device instead of stacking."""
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
    )


def test_payload(*, test_id: str, navigate_url: str) -> bytes:
    """The payload of the "send me a test notification" button."""
    test_id = _opaque("test_id", test_id)
    return _declarative(
        title=TEST_TITLE,
        body=TEST_BODY,
        navigate=_navigate(navigate_url),
        tag=f"hep-test-{test_id}",
        data={"test_id": test_id, "kind": "test"},
    )


ATTENTION_TITLE = "A patient needs your attention"
ATTENTION_BODY = "Open hep to see who."


def attention_payload(*, alert_id: str, navigate_url: str) -> bytes:
    """A therapist's attention alert: generic words only (never who, never why)."""
    alert_id = _opaque("alert_id", alert_id)
    return _declarative(
        title=ATTENTION_TITLE,
        body=ATTENTION_BODY,
        navigate=_navigate(navigate_url),
        tag=f"hep-attention-{alert_id}",
        data={"alert_id": alert_id, "kind": "attention"},
    )


NOTICES = {"message": ("You have a new message", "Open hep to read it.", "#/messages")}
"""Notices outside reminders, by kind: title, body and the app's page; generic words only."""


def notice_payload(*, kind: str, base_url: str) -> bytes:
    """A notice ("You have a new message"): fixed words (never who wrote or what), one tag per
    kind, so a second notice replaces the first on the device."""
    title, body, page = NOTICES[kind]
    return _declarative(
        title=title,
        body=body,
        navigate=_navigate(f"{base_url}/{page}"),
        tag=f"hep-notice-{kind}",
        data={"kind": kind},
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
