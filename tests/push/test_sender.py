"""PushSender against our fake push service: headers, VAPID, encryption, statuses, back-off."""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import json
import logging
import socket
import time
from dataclasses import replace
from typing import Any

import pytest

from hep.channels import Urgency
from hep.push.endpoints import EndpointPolicy
from hep.push.keys import VapidKeys, b64url_encode, generate_vapid_keys
from hep.push.payload import reminder_payload, topic_for
from hep.push.sender import (
    DeliveryError,
    PushMessage,
    PushResult,
    PushSender,
    parse_retry_after,
    send_batch,
)
from tests.push_service import (
    BrowserSubscription,
    FakePushService,
    Reply,
    parse_vapid,
    verify_vapid,
)

LOOPBACK = EndpointPolicy(allow_loopback=True)
SUBJECT = "mailto:ops@example.org"
NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
TOPIC_SECRET = b"topic secret for tests, 32 bytes"


def payload(n: int = 0) -> bytes:
    return reminder_payload(
        occurrence_id=f"occ-{n}",
        reminder_id="rem-1",
        kind="habit",
        navigate_url=f"https://hep.example.org/#/check-in/occ-{n}",
        title="Time for your habit",
    )


def message(
    url: str,
    sub: BrowserSubscription | None = None,
    *,
    key: str = "d-1",
    body: bytes | None = None,
    ttl: int = 1800,
    topic: str | None = None,
    urgency: Urgency = "high",
) -> PushMessage:
    sub = sub or BrowserSubscription.create()
    return PushMessage(
        key=key,
        endpoint=url,
        p256dh=sub.p256dh,
        auth=sub.auth,
        payload=body if body is not None else payload(),
        ttl=ttl,
        urgency=urgency,
        topic=topic if topic is not None else topic_for(key, TOPIC_SECRET),
    )


def send(keys: VapidKeys, messages: list[PushMessage], **options: Any) -> list[PushResult]:
    options.setdefault("policy", LOOPBACK)
    return send_batch(messages, keys, subject=SUBJECT, **options)


def test_it_delivers_an_encrypted_payload_with_the_required_headers(
    fake_push: FakePushService, vapid_keys: VapidKeys
) -> None:
    sub = BrowserSubscription.create()
    topic = topic_for("rem-1:2026-03-02T09:00Z", TOPIC_SECRET)
    [result] = send(vapid_keys, [message(fake_push.url("/p/1"), sub, topic=topic)])
    assert result == PushResult("d-1", True, 201, False)
    [got] = fake_push.to("/p/1")
    assert sub.decrypt(got.body) == payload()
    document = json.loads(sub.decrypt(got.body))
    assert document["web_push"] == 8030
    assert document["notification"]["data"] == {
        "occurrence_id": "occ-0",
        "reminder_id": "rem-1",
        "kind": "habit",
    }
    headers = got.headers
    assert int(headers["ttl"]) == 1800 > 0
    assert headers["urgency"] == "high"
    assert headers["topic"] == topic and len(topic) <= 32
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["content-type"] == "application/octet-stream"
    assert headers["authorization"].startswith("vapid t=")
    assert "crypto-key" not in headers and "encryption" not in headers


def test_the_vapid_jwt_names_the_endpoint_origin_and_verifies(
    fake_push: FakePushService, vapid_keys: VapidKeys
) -> None:
    before = time.time()
    send(vapid_keys, [message(fake_push.url("/p/jwt"))])
    [got] = fake_push.received
    claims = verify_vapid(got.headers["authorization"], vapid_keys.public_key)
    assert claims["aud"] == fake_push.origin(0)
    assert before < claims["exp"] <= before + 24 * 3600
    assert claims["sub"] == SUBJECT


def test_it_signs_once_per_origin_and_reuses_the_token(
    fake_push: FakePushService, vapid_keys: VapidKeys
) -> None:
    messages = [message(fake_push.url(f"/a/{i}", 0), key=f"a{i}") for i in range(10)]
    messages += [message(fake_push.url(f"/b/{i}", 1), key=f"b{i}") for i in range(10)]

    async def run() -> int:
        async with PushSender(vapid_keys, subject=SUBJECT, policy=LOOPBACK) as sender:
            results = await sender.send_many(messages)
            assert all(r.ok for r in results)
            return sender.vapid_signatures

    assert asyncio.run(run()) == 2
    tokens: dict[int, set[str]] = {}
    for got in fake_push.received:
        tokens.setdefault(got.port, set()).add(got.headers["authorization"])
    assert [len(t) for t in tokens.values()] == [1, 1]
    audiences = {parse_vapid(next(iter(t))).claims["aud"] for t in tokens.values()}
    assert audiences == {fake_push.origin(0), fake_push.origin(1)}


def test_results_come_back_in_the_order_of_the_messages(
    fake_push: FakePushService, vapid_keys: VapidKeys
) -> None:
    fake_push.reply("/slow", Reply(delay=0.2))
    messages = [message(fake_push.url("/slow"), key="first")]
    messages += [message(fake_push.url(f"/fast/{i}"), key=f"k{i}") for i in range(5)]
    results = send(vapid_keys, messages)
    assert [r.key for r in results] == ["first", "k0", "k1", "k2", "k3", "k4"]
    assert all(r.ok for r in results)


def test_in_flight_requests_are_bounded_overall_and_per_origin(
    fake_push: FakePushService, vapid_keys: VapidKeys
) -> None:
    fake_push.latency = 0.05
    messages = [message(fake_push.url(f"/a/{i}", 0), key=f"a{i}") for i in range(12)]
    messages += [message(fake_push.url(f"/b/{i}", 1), key=f"b{i}") for i in range(12)]
    results = send(vapid_keys, messages, max_in_flight=5, per_origin=3)
    assert all(r.ok for r in results)
    peaks = fake_push.peak_in_flight
    assert max(peaks.values()) == 3  # per origin
    assert sum(peaks.values()) <= 6 and len(peaks) == 2


def test_a_redirect_is_not_followed(fake_push: FakePushService, vapid_keys: VapidKeys) -> None:
    fake_push.reply("/moved", Reply(redirect_to=fake_push.url("/redirect-target", 1)))
    [result] = send(vapid_keys, [message(fake_push.url("/moved"))])
    assert not result.ok and result.status == 307 and result.permanent and not result.gone
    assert "redirect" in (result.error or "")
    assert fake_push.to("/redirect-target") == []


def test_a_hanging_push_service_times_out_while_other_sends_complete(
    fake_push: FakePushService, vapid_keys: VapidKeys
) -> None:
    fake_push.reply("/hang", Reply(hang=True))
    messages = [message(fake_push.url("/hang"), key="hang")]
    messages += [message(fake_push.url(f"/ok/{i}"), key=f"ok{i}") for i in range(20)]
    started = time.monotonic()
    results = send(vapid_keys, messages, timeout=0.5)
    assert time.monotonic() - started < 5
    hang, *others = results
    assert hang == PushResult("hang", False, None, False, error="timed out")
    assert all(r.ok for r in others)
    assert len([r for r in fake_push.received if r.path.startswith("/ok/")]) == 20


@pytest.mark.parametrize("status", [404, 410])
def test_a_vanished_subscription_is_gone_and_permanent(
    fake_push: FakePushService, vapid_keys: VapidKeys, status: int
) -> None:
    fake_push.reply("/gone", Reply(status=status))
    [result] = send(vapid_keys, [message(fake_push.url("/gone"))])
    assert (result.ok, result.status, result.gone, result.permanent) == (False, status, True, True)
    with pytest.raises(DeliveryError) as info:
        result.raise_for_error()
    assert info.value.permanent and info.value.gone and info.value.status == status


def test_413_is_permanent_and_logged_as_our_bug(
    fake_push: FakePushService, vapid_keys: VapidKeys, caplog: pytest.LogCaptureFixture
) -> None:
    fake_push.reply("/big", Reply(status=413))
    with caplog.at_level(logging.ERROR, logger="hep.push"):
        [result] = send(vapid_keys, [message(fake_push.url("/big"), key="d-413")])
    assert (result.status, result.permanent, result.gone) == (413, True, False)
    assert any(r.levelno == logging.ERROR and "d-413" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("status", [401, 403])
def test_an_authorization_refusal_is_permanent_and_logged_as_a_vapid_problem(
    fake_push: FakePushService,
    vapid_keys: VapidKeys,
    caplog: pytest.LogCaptureFixture,
    status: int,
) -> None:
    fake_push.reply("/auth", Reply(status=status))
    with caplog.at_level(logging.ERROR, logger="hep.push"):
        [result] = send(vapid_keys, [message(fake_push.url("/auth"))])
    assert (result.status, result.permanent, result.gone) == (status, True, False)
    assert any(r.levelno == logging.ERROR and "VAPID" in r.getMessage() for r in caplog.records)


def test_a_400_is_permanent(fake_push: FakePushService, vapid_keys: VapidKeys) -> None:
    fake_push.reply("/bad", Reply(status=400))
    [result] = send(vapid_keys, [message(fake_push.url("/bad"))])
    assert (result.status, result.permanent) == (400, True)


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_is_worth_retrying(
    fake_push: FakePushService, vapid_keys: VapidKeys, status: int
) -> None:
    fake_push.reply("/err", Reply(status=status, headers={"Retry-After": "30"}))
    [result] = send(vapid_keys, [message(fake_push.url("/err"))])
    assert (result.ok, result.status, result.permanent, result.gone) == (
        False,
        status,
        False,
        False,
    )
    assert result.retry_after == 30.0


def test_429_retry_after_seconds_is_parsed(
    fake_push: FakePushService, vapid_keys: VapidKeys
) -> None:
    fake_push.reply("/limited", Reply(status=429, headers={"Retry-After": "120"}))
    [result] = send(vapid_keys, [message(fake_push.url("/limited"))])
    assert (result.ok, result.status, result.permanent) == (False, 429, False)
    assert result.retry_after == 120.0


def test_429_retry_after_http_date_is_parsed(
    fake_push: FakePushService, vapid_keys: VapidKeys
) -> None:
    when = email.utils.format_datetime(NOW + dt.timedelta(seconds=90), usegmt=True)
    fake_push.reply("/limited", Reply(status=429, headers={"Retry-After": when}))
    [result] = send(vapid_keys, [message(fake_push.url("/limited"))], clock=lambda: NOW)
    assert result.status == 429 and result.retry_after == 90.0


def test_after_a_long_429_later_messages_to_that_origin_come_back_as_retry_later(
    fake_push: FakePushService, vapid_keys: VapidKeys
) -> None:
    fake_push.reply("/limited", Reply(status=429, headers={"Retry-After": "120"}))
    messages = [message(fake_push.url("/limited"), key="first")]
    messages += [message(fake_push.url(f"/later/{i}"), key=f"later{i}") for i in range(5)]
    messages += [message(fake_push.url(f"/elsewhere/{i}", 1), key=f"else{i}") for i in range(3)]
    results = send(vapid_keys, messages, per_origin=1, max_backoff_wait=5.0)
    first, later, elsewhere = results[0], results[1:6], results[6:]
    assert first.status == 429 and first.retry_after == 120.0
    for result in later:
        assert (result.ok, result.status, result.permanent) == (False, None, False)
        assert result.retry_after is not None and 100 < result.retry_after <= 120
        assert "rate-limited" in (result.error or "")
    assert [r for r in fake_push.received if r.path.startswith("/later/")] == []
    assert all(r.ok for r in elsewhere)


def test_after_a_short_429_later_messages_wait_for_retry_after_then_go(
    fake_push: FakePushService, vapid_keys: VapidKeys
) -> None:
    fake_push.reply("/limited", Reply(status=429, headers={"Retry-After": "1"}))
    messages = [message(fake_push.url("/limited"), key="first")]
    messages += [message(fake_push.url(f"/later/{i}"), key=f"later{i}") for i in range(3)]
    started = time.monotonic()
    results = send(vapid_keys, messages, per_origin=1, max_backoff_wait=5.0)
    assert time.monotonic() - started >= 0.9
    assert results[0].status == 429
    assert all(r.ok for r in results[1:])


def test_an_endpoint_that_bypassed_validation_is_refused_without_a_connection(
    fake_push: FakePushService, vapid_keys: VapidKeys
) -> None:
    lookups: list[str] = []

    def private_dns(host: str, port: int) -> list[tuple[Any, ...]]:
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]

    urls = [
        fake_push.url("/direct"),  # loopback, but this sender's policy does not allow it
        "http://fcm.googleapis.com/fcm/send/x",
        "https://fcm.googleapis.com.evil.example/x",
        "https://2130706433/x",
        "https://fcm.googleapis.com/fcm/send/x",  # resolves to a private address
    ]
    results = send(
        vapid_keys,
        [message(u, key=f"k{i}") for i, u in enumerate(urls)],
        policy=EndpointPolicy(),
        resolve=private_dns,
    )
    for result in results:
        assert (result.ok, result.status, result.permanent) == (False, None, True)
        assert (result.error or "").startswith("endpoint rejected")
    assert "private" in (results[-1].error or "")
    assert lookups == ["fcm.googleapis.com"]
    assert fake_push.received == []


def test_a_dns_failure_at_send_time_is_temporary(vapid_keys: VapidKeys) -> None:
    def broken_dns(host: str, port: int) -> list[tuple[Any, ...]]:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    [result] = send(
        vapid_keys,
        [message("https://fcm.googleapis.com/fcm/send/x")],
        policy=EndpointPolicy(),
        resolve=broken_dns,
    )
    assert (result.ok, result.status, result.permanent) == (False, None, False)


def test_names_are_resolved_once_and_connections_use_the_checked_addresses(
    fake_push: FakePushService, vapid_keys: VapidKeys
) -> None:
    lookups: list[str] = []

    def loopback_dns(host: str, port: int) -> list[tuple[Any, ...]]:
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    port = fake_push.ports[0]
    messages = [message(f"http://localhost:{port}/named/{i}", key=f"n{i}") for i in range(10)]
    results = send(vapid_keys, messages, resolve=loopback_dns)
    assert all(r.ok for r in results)
    assert lookups == ["localhost"]
    claims = parse_vapid(fake_push.received[0].headers["authorization"]).claims
    assert claims["aud"] == f"http://localhost:{port}"


def test_localhost_resolving_elsewhere_is_refused(
    fake_push: FakePushService, vapid_keys: VapidKeys
) -> None:
    def rebinding_dns(host: str, port: int) -> list[tuple[Any, ...]]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.1.20", port))]

    url = f"http://localhost:{fake_push.ports[0]}/x"
    [result] = send(vapid_keys, [message(url)], resolve=rebinding_dns)
    assert result.permanent and "loopback only" in (result.error or "")
    assert fake_push.received == []


def test_an_unreachable_push_service_is_a_temporary_failure(vapid_keys: VapidKeys) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once closed
    [result] = send(vapid_keys, [message(f"http://127.0.0.1:{port}/x")])
    assert (result.ok, result.status, result.permanent) == (False, None, False)
    assert result.error


def test_bad_subscription_keys_fail_permanently_without_sending(
    fake_push: FakePushService, vapid_keys: VapidKeys
) -> None:
    good = BrowserSubscription.create()
    keys = [
        ("not-a-key", good.auth),
        (good.p256dh, b64url_encode(b"x" * 15)),
        (b64url_encode(b"\x04" + bytes(64)), good.auth),  # not on the curve
    ]
    bad = [
        replace(message(fake_push.url("/x"), key=f"k{i}"), p256dh=p256dh, auth=auth)
        for i, (p256dh, auth) in enumerate(keys)
    ]
    results = send(vapid_keys, bad)
    assert [(r.ok, r.permanent) for r in results] == [(False, True)] * 3
    assert "p256dh" in (results[0].error or "") and "auth" in (results[1].error or "")
    assert fake_push.received == []


def test_an_oversized_payload_is_refused_before_sending(
    fake_push: FakePushService, vapid_keys: VapidKeys, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="hep.push"):
        [result] = send(vapid_keys, [message(fake_push.url("/x"), body=b"x" * 3994)])
    assert result.permanent and "too large" in (result.error or "")
    assert fake_push.received == []
    assert caplog.records


def test_the_private_key_and_payload_never_reach_logs_or_results(
    fake_push: FakePushService, caplog: pytest.LogCaptureFixture
) -> None:
    keys = generate_vapid_keys()
    secret_pem = keys.private_pem()
    scalar = keys.private_key.private_numbers().private_value
    secrets = [
        *[line for line in secret_pem.splitlines() if "-----" not in line],
        b64url_encode(scalar.to_bytes(32, "big")),
        str(scalar),
        "occ-0",  # from the payload
        "Time for your habit",
    ]
    for path, reply in {
        "/e/403": Reply(status=403, headers={"Retry-After": "x"}),
        "/e/413": Reply(status=413),
        "/e/429": Reply(status=429),
        "/e/500": Reply(status=500),
        "/e/410": Reply(status=410),
        "/e/307": Reply(redirect_to="http://127.0.0.1:9/"),
    }.items():
        fake_push.reply(path, reply)
    paths = ["/e/403", "/e/413", "/e/429", "/e/500", "/e/410", "/e/307", "/e/201"]
    messages = [message(fake_push.url(p, i % 2), key=f"k{i}") for i, p in enumerate(paths)]
    messages.append(message("https://fcm.googleapis.com.evil.example/x", key="rejected"))
    with caplog.at_level(logging.DEBUG):
        results = send(keys, messages, timeout=2.0)
    assert len(caplog.records) >= 6
    seen = caplog.text + repr(results) + "".join(r.error or "" for r in results)
    seen += repr(PushSender(keys, subject=SUBJECT)) + repr(keys) + repr(messages)
    for secret in secrets:
        assert secret not in seen


def test_push_message_checks_its_fields() -> None:
    sub = BrowserSubscription.create()
    base: dict[str, Any] = {
        "key": "k",
        "endpoint": "https://fcm.googleapis.com/x",
        "p256dh": sub.p256dh,
        "auth": sub.auth,
        "payload": b"{}",
        "ttl": 60,
        "urgency": "normal",
        "topic": "A" * 32,
    }
    PushMessage(**{**base, "urgency": "very-low", "topic": "-_" * 16})
    for bad in (
        {"ttl": 0},
        {"ttl": -5},
        {"ttl": True},
        {"urgency": "urgent"},
        {"topic": "A" * 33},
        {"topic": "not/base64url"},
        {"topic": ""},
        {"payload": b""},
    ):
        with pytest.raises(ValueError):
            PushMessage(**{**base, **bad})


def test_sending_needs_the_context_manager(vapid_keys: VapidKeys) -> None:
    sender = PushSender(vapid_keys, subject=SUBJECT)
    with pytest.raises(RuntimeError):
        asyncio.run(sender.send(message("https://fcm.googleapis.com/x")))


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (None, None),
        ("120", 120.0),
        (" 7 ", 7.0),
        ("0", 0.0),
        ("99999999", 86400.0),
        ("Mon, 02 Mar 2026 12:01:30 GMT", 90.0),
        ("Mon, 02 Mar 2026 11:00:00 GMT", 0.0),
        ("soon", None),
        ("-5", None),
        ("1.5", None),
    ],
)
def test_retry_after_accepts_seconds_and_http_dates(
    header: str | None, seconds: float | None
) -> None:
    assert parse_retry_after(header, NOW) == seconds


def test_delivery_error_carries_permanence() -> None:
    error = DeliveryError("rate limited", False, status=429, retry_after=5.0)
    assert not error.permanent and error.retry_after == 5.0 and str(error) == "rate limited"
    PushResult("k", True, 201, False).raise_for_error()
