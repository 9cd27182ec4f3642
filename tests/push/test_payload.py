"""Push payloads are Declarative Web Push JSON with generic text and opaque ids, under 3.5 KB."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hep.push.payload import (
    DEFAULT_BODY,
    DEFAULT_TITLE,
    GENERIC_BODIES,
    GENERIC_TITLES,
    MAX_NAVIGATE_LENGTH,
    MAX_PAYLOAD_BYTES,
    REMINDER_KINDS,
    PayloadTooLarge,
    check_size,
    reminder_payload,
    topic_for,
)
from hep.push.payload import test_payload as make_test_payload

SECRET = b"s" * 32
OCC = "3f2b8c1e9a7d4e6f8b0c1d2e3f4a5b6c"
REM = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
NAV = "https://hep.example.org/app/#/check-in/3f2b8c1e9a7d4e6f8b0c1d2e3f4a5b6c"


def _reminder(**overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "occurrence_id": OCC,
        "reminder_id": REM,
        "kind": "program",
        "navigate_url": NAV,
    }
    args.update(overrides)
    document: dict[str, Any] = json.loads(reminder_payload(**args))
    return document


def test_a_reminder_is_declarative_web_push_json() -> None:
    document = _reminder()
    assert document["web_push"] == 8030 and type(document["web_push"]) is int
    note = document["notification"]
    assert note == {
        "title": DEFAULT_TITLE,
        "body": DEFAULT_BODY,
        "navigate": NAV,
        "tag": f"hep-{OCC}",
        "silent": False,
        "data": {"occurrence_id": OCC, "reminder_id": REM, "kind": "program"},
        "mutable": True,
    }
    assert set(document) == {"web_push", "notification"}


def test_the_tag_is_per_occurrence_so_a_duplicate_replaces_itself() -> None:
    assert _reminder()["notification"]["tag"] == _reminder()["notification"]["tag"]
    other = _reminder(occurrence_id="another-occurrence")
    assert other["notification"]["tag"] != _reminder()["notification"]["tag"]


@pytest.mark.parametrize("title", sorted(GENERIC_TITLES))
@pytest.mark.parametrize("body", sorted(GENERIC_BODIES))
def test_every_generic_wording_is_accepted(title: str, body: str) -> None:
    note = _reminder(title=title, body=body)["notification"]
    assert (note["title"], note["body"]) == (title, body)


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": "Time for your neck stretches"},
        {"body": "Pain was 7/10 yesterday: go gently"},
        {"title": "Hi Alice"},
        {"kind": "neck_pain"},
        {"kind": "Program"},
        {"occurrence_id": "upper trapezius release"},
        {"occurrence_id": "trapezius/release"},
        {"occurrence_id": ""},
        {"occurrence_id": "x" * 65},
        {"occurrence_id": "café"},
        {"reminder_id": "pain=7"},
        {"reminder_id": 42},
        {"navigate_url": "javascript:alert(1)"},
        {"navigate_url": "http://hep.example.org/app"},  # https except on localhost
        {"navigate_url": "https://hep.example.org/exercise/Neck stretch"},
        {"navigate_url": "https://hep.example.org/?note=knee%20pain"},
        {"navigate_url": "https://hep.example.org/caf\u00e9"},
        {"navigate_url": "https://user@hep.example.org/"},
        {"navigate_url": "https://hep.example.org/" + "a" * MAX_NAVIGATE_LENGTH},
    ],
)
def test_caller_text_cannot_reach_the_lock_screen(overrides: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        _reminder(**overrides)


def test_localhost_navigation_is_allowed_over_http_for_development() -> None:
    url = "http://127.0.0.1:5000/#/check-in/x"
    assert _reminder(navigate_url=url)["notification"]["navigate"] == url


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *_strings(v)]]
    if isinstance(value, str):
        return [value]
    return []


_ID = st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(
    occurrence_id=_ID,
    reminder_id=_ID,
    kind=st.sampled_from(sorted(REMINDER_KINDS)),
    title=st.sampled_from(sorted(GENERIC_TITLES)),
    body=st.sampled_from(sorted(GENERIC_BODIES)),
)
def test_a_payload_holds_only_opaque_ids_and_generic_strings(
    occurrence_id: str, reminder_id: str, kind: str, title: str, body: str
) -> None:
    document = _reminder(
        occurrence_id=occurrence_id, reminder_id=reminder_id, kind=kind, title=title, body=body
    )
    allowed = (
        {occurrence_id, reminder_id, kind, NAV, f"hep-{occurrence_id}"}
        | GENERIC_TITLES
        | GENERIC_BODIES
        | {"web_push", "notification", "title", "body", "navigate", "tag", "silent", "data"}
        | {"mutable", "occurrence_id", "reminder_id", "kind"}
    )
    assert set(_strings(document)) <= allowed


def test_the_largest_possible_reminder_fits_the_budget() -> None:
    longest_title = max(GENERIC_TITLES, key=len)
    longest_body = max(GENERIC_BODIES, key=len)
    url = "https://hep.example.org/" + "a" * (MAX_NAVIGATE_LENGTH - 24)
    payload = reminder_payload(
        occurrence_id="o" * 64,
        reminder_id="r" * 64,
        kind="general",
        navigate_url=url,
        title=longest_title,
        body=longest_body,
    )
    assert len(payload) <= MAX_PAYLOAD_BYTES


def test_the_size_guard_refuses_more_than_3500_bytes() -> None:
    assert check_size(b"x" * MAX_PAYLOAD_BYTES) == b"x" * MAX_PAYLOAD_BYTES
    with pytest.raises(PayloadTooLarge) as info:
        check_size(b"x" * (MAX_PAYLOAD_BYTES + 1))
    assert info.value.size == MAX_PAYLOAD_BYTES + 1
    assert MAX_PAYLOAD_BYTES == 3500


def test_the_test_notification_payload() -> None:
    document = json.loads(make_test_payload(test_id="t-1", navigate_url=NAV))
    note = document["notification"]
    assert document["web_push"] == 8030
    assert note["data"] == {"test_id": "t-1", "kind": "test"}
    assert note["tag"] == "hep-test-t-1" and note["mutable"] is True and note["silent"] is False
    with pytest.raises(ValueError):
        make_test_payload(test_id="Alice's phone", navigate_url=NAV)


# --- Topic -----------------------------------------------------------------------------------

_TOPIC = re.compile(r"[A-Za-z0-9_-]{1,32}")


def test_a_topic_is_at_most_32_base64url_characters() -> None:
    topic = topic_for(f"{REM}:2026-03-02T09:00:00Z", SECRET)
    assert _TOPIC.fullmatch(topic)
    assert len(topic) == 32


def test_a_topic_is_stable_for_one_occurrence_and_secret() -> None:
    key = f"{REM}:2026-03-02T09:00:00Z"
    assert topic_for(key, SECRET) == topic_for(key, bytes(SECRET))
    assert topic_for(key, SECRET) != topic_for(key, b"t" * 32)


def test_topics_differ_between_occurrences() -> None:
    keys = [f"{REM}:2026-03-02T{h:02d}:{m:02d}:00Z" for h in range(24) for m in range(60)]
    keys += [str(uuid.uuid4()) for _ in range(2000)]
    topics = {topic_for(k, SECRET) for k in keys}
    assert len(topics) == len(keys)


@settings(max_examples=200, deadline=None)
@given(key=st.text(min_size=1, max_size=200))
def test_a_topic_is_opaque_and_well_formed_for_any_key(key: str) -> None:
    topic = topic_for(key, SECRET)
    assert _TOPIC.fullmatch(topic)
    if len(key) >= 8:
        assert key not in topic


def test_a_short_topic_secret_is_refused() -> None:
    with pytest.raises(ValueError):
        topic_for("x", b"short")
