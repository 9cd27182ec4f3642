"""VAPID JWTs: ES256, aud = push-service origin, exp within a day, signed once per origin."""

from __future__ import annotations

import datetime as dt

import pytest

from hep.push.keys import VapidKeys, generate_vapid_keys
from hep.push.vapid import REFRESH_MARGIN, TOKEN_LIFETIME, VapidTokenCache, vapid_authorization
from tests.push_service import parse_vapid, verify_vapid

NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
ORIGIN = "https://fcm.googleapis.com"


def test_the_header_is_a_verifiable_es256_jwt_with_the_claims(vapid_keys: VapidKeys) -> None:
    header = vapid_authorization(
        vapid_keys, audience=ORIGIN, subject="mailto:ops@example.org", expires=1_800_000_000
    )
    claims = verify_vapid(header, vapid_keys.public_key)
    assert claims == {"aud": ORIGIN, "exp": 1_800_000_000, "sub": "mailto:ops@example.org"}


def test_a_signature_from_another_key_does_not_verify(vapid_keys: VapidKeys) -> None:
    other = generate_vapid_keys()
    header = vapid_authorization(other, audience=ORIGIN, subject="mailto:a@b.c", expires=1)
    forged = header.replace(other.public_key, vapid_keys.public_key)
    with pytest.raises(AssertionError):
        verify_vapid(forged, vapid_keys.public_key)


@pytest.mark.parametrize("subject", ["http://example.org", "ops@example.org", "mailto:", ""])
def test_the_subject_must_be_mailto_or_https(vapid_keys: VapidKeys, subject: str) -> None:
    with pytest.raises(ValueError):
        VapidTokenCache(vapid_keys, subject)


def test_one_token_per_origin_reused_until_shortly_before_it_expires(
    vapid_keys: VapidKeys,
) -> None:
    cache = VapidTokenCache(vapid_keys, "https://hep.example.org/contact")
    first = cache.header_for(ORIGIN, NOW)
    assert cache.header_for(ORIGIN, NOW + dt.timedelta(hours=10)) == first
    apple = cache.header_for("https://web.push.apple.com", NOW)
    assert apple != first and cache.signatures == 2
    claims = parse_vapid(first).claims
    assert claims["exp"] == int((NOW + TOKEN_LIFETIME).timestamp())
    assert dt.timedelta(hours=24) >= TOKEN_LIFETIME
    later = NOW + TOKEN_LIFETIME - REFRESH_MARGIN
    renewed = cache.header_for(ORIGIN, later)
    assert renewed != first and cache.signatures == 3
    assert parse_vapid(renewed).claims["exp"] == int((later + TOKEN_LIFETIME).timestamp())
    assert parse_vapid(apple).claims["aud"] == "https://web.push.apple.com"


def test_the_cache_repr_holds_no_key_material(vapid_keys: VapidKeys) -> None:
    cache = VapidTokenCache(vapid_keys, "mailto:ops@example.org")
    header = cache.header_for(ORIGIN, NOW)
    assert parse_vapid(header).token not in repr(cache)
