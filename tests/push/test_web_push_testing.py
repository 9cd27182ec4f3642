"""End to end against a real RFC 8030 push service (npm web-push-testing) on loopback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hep.push.endpoints import EndpointPolicy, check_endpoint
from hep.push.keys import VapidKeys, generate_vapid_keys, validate_subscription_keys
from hep.push.payload import reminder_payload, test_payload, topic_for
from hep.push.sender import PushMessage, PushResult, send_batch
from tests import push_service, tools
from tests.push_service import WebPushTesting

LOOPBACK = EndpointPolicy(allow_loopback=True)
SUBJECT = "mailto:ops@example.org"
SECRET = b"web-push-testing topic secret 32"


def _message(subscription: dict[str, Any], key: str, body: bytes) -> PushMessage:
    return PushMessage(
        key=key,
        endpoint=subscription["endpoint"],
        p256dh=subscription["keys"]["p256dh"],
        auth=subscription["keys"]["auth"],
        payload=body,
        ttl=900,
        urgency="normal",
        topic=topic_for(key, SECRET),
    )


def _send(keys: VapidKeys, messages: list[PushMessage]) -> list[PushResult]:
    return send_batch(messages, keys, subject=SUBJECT, policy=LOOPBACK, timeout=5.0)


def test_its_subscriptions_pass_our_subscribe_time_checks(
    web_push_testing: WebPushTesting, vapid_keys: VapidKeys
) -> None:
    subscription = web_push_testing.subscribe(vapid_keys.public_key)
    validate_subscription_keys(subscription["keys"]["p256dh"], subscription["keys"]["auth"])
    endpoint = check_endpoint(subscription["endpoint"], LOOPBACK)
    assert endpoint.loopback and endpoint.origin == web_push_testing.base_url


def test_a_real_push_service_accepts_and_decrypts_our_reminder(
    web_push_testing: WebPushTesting, vapid_keys: VapidKeys
) -> None:
    subscription = web_push_testing.subscribe(vapid_keys.public_key)
    body = reminder_payload(
        occurrence_id="8c1e9a7d4e6f",
        reminder_id="r-42",
        kind="program",
        navigate_url="https://hep.example.org/#/check-in/8c1e9a7d4e6f",
    )
    [result] = _send(vapid_keys, [_message(subscription, "delivery-1", body)])
    assert result == PushResult("delivery-1", True, 201, False)
    [received] = web_push_testing.notifications(subscription["clientHash"])
    assert received.encode() == body
    document = json.loads(received)
    assert document["web_push"] == 8030
    assert document["notification"]["title"] == "Time for your exercises"
    assert document["notification"]["data"] == {
        "occurrence_id": "8c1e9a7d4e6f",
        "reminder_id": "r-42",
        "kind": "program",
    }


def test_concurrent_pushes_reach_the_right_subscriptions(
    web_push_testing: WebPushTesting, vapid_keys: VapidKeys
) -> None:
    subscriptions = [web_push_testing.subscribe(vapid_keys.public_key) for _ in range(4)]
    messages = [
        _message(
            sub,
            f"d-{s}-{n}",
            test_payload(test_id=f"t{s}-{n}", navigate_url="https://hep.example.org/"),
        )
        for s, sub in enumerate(subscriptions)
        for n in range(5)
    ]
    results = _send(vapid_keys, messages)
    assert all(r.ok and r.status == 201 for r in results)
    for s, sub in enumerate(subscriptions):
        got = web_push_testing.notifications(sub["clientHash"])
        ids = sorted(json.loads(m)["notification"]["data"]["test_id"] for m in got)
        assert ids == [f"t{s}-{n}" for n in range(5)]


def test_an_expired_subscription_is_gone(
    web_push_testing: WebPushTesting, vapid_keys: VapidKeys
) -> None:
    subscription = web_push_testing.subscribe(vapid_keys.public_key)
    body = test_payload(test_id="before", navigate_url="https://hep.example.org/")
    assert _send(vapid_keys, [_message(subscription, "d-1", body)])[0].ok
    web_push_testing.expire(subscription["clientHash"])
    [result] = _send(vapid_keys, [_message(subscription, "d-2", body)])
    assert (result.ok, result.status, result.gone, result.permanent) == (False, 410, True, True)


def test_a_push_signed_with_another_vapid_key_is_refused(
    web_push_testing: WebPushTesting, vapid_keys: VapidKeys
) -> None:
    subscription = web_push_testing.subscribe(vapid_keys.public_key)
    body = test_payload(test_id="x", navigate_url="https://hep.example.org/")
    [result] = _send(generate_vapid_keys(), [_message(subscription, "d-1", body)])
    # web-push-testing answers authorization failures with 400 (real services: 401/403).
    assert not result.ok and result.permanent and result.status == 400
    assert web_push_testing.notifications(subscription["clientHash"]) == []


def test_a_missing_web_push_testing_skips_loudly_or_fails_when_strict(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(push_service, "WEB_PUSH_TESTING_SERVER", tmp_path / "missing.js")
    monkeypatch.setattr(tools, "MISSING", set())  # keep the run's missing-tools banner honest
    monkeypatch.delenv("HEP_TEST_STRICT", raising=False)
    with pytest.raises(pytest.skip.Exception, match="run npm ci in tests/node"):
        WebPushTesting.require()
    monkeypatch.setenv("HEP_TEST_STRICT", "1")
    with pytest.raises(pytest.fail.Exception, match="HEP_TEST_STRICT=1"):
        WebPushTesting.require()
