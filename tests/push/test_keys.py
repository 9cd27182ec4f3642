"""VAPID key pairs load and round-trip; subscription keys must be a P-256 point and 16 bytes."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from hep.cli import generate_private_key_pem
from hep.push.keys import (
    InvalidSubscription,
    InvalidVapidKey,
    b64url_decode,
    generate_vapid_keys,
    load_vapid_keys,
    validate_subscription_keys,
)
from tests.push_service import BrowserSubscription, b64url, unb64url


def test_generated_keys_give_the_browser_an_uncompressed_p256_public_key() -> None:
    keys = generate_vapid_keys()
    raw = unb64url(keys.public_key)
    assert len(raw) == 65 and raw[0] == 0x04
    assert "=" not in keys.public_key
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)


def test_the_private_key_round_trips_through_pem() -> None:
    keys = generate_vapid_keys()
    pem = keys.private_pem()
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    assert load_vapid_keys(pem).public_key == keys.public_key


def test_the_instance_key_file_written_by_the_cli_loads() -> None:
    pem = generate_private_key_pem()
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    raw = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert load_vapid_keys(pem).public_key == b64url(raw)


def test_a_raw_base64url_private_scalar_loads() -> None:
    keys = generate_vapid_keys()
    scalar = keys.private_key.private_numbers().private_value.to_bytes(32, "big")
    assert load_vapid_keys(b64url(scalar)).public_key == keys.public_key


def test_a_sec1_pem_loads() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    assert load_vapid_keys(pem).private_key.private_numbers() == key.private_numbers()


def _pem(key: ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not a key",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        b64url(b"\x01" * 31),
        b64url(b"\xff" * 32),  # larger than the curve order
        _pem(ec.generate_private_key(ec.SECP384R1())),
        _pem(ed25519.Ed25519PrivateKey.generate()),
    ],
)
def test_unusable_private_keys_are_refused_without_echoing_them(text: str) -> None:
    with pytest.raises(InvalidVapidKey) as info:
        load_vapid_keys(text)
    if text:
        assert text.strip() not in str(info.value)


def test_the_private_key_is_not_in_the_repr() -> None:
    keys = generate_vapid_keys()
    scalar = keys.private_key.private_numbers().private_value
    text = repr(keys)
    assert keys.public_key in text
    assert str(scalar) not in text and "PRIVATE" not in text
    assert b64url(scalar.to_bytes(32, "big")) not in text


def test_derived_secrets_are_stable_per_label_and_distinct_between_labels() -> None:
    keys = generate_vapid_keys()
    again = load_vapid_keys(keys.private_pem())
    assert keys.derived_secret(b"topic") == again.derived_secret(b"topic")
    assert keys.derived_secret(b"topic") != keys.derived_secret(b"other")
    assert len(keys.derived_secret(b"topic")) == 32


# --- subscription keys ----------------------------------------------------------------------


def test_browser_like_keys_are_accepted_with_or_without_padding() -> None:
    sub = BrowserSubscription.create()
    validate_subscription_keys(sub.p256dh, sub.auth)
    validate_subscription_keys(sub.p256dh + "=", sub.auth + "==")


def _point(sub: BrowserSubscription) -> bytes:
    return unb64url(sub.p256dh)


def _not_on_curve() -> str:
    raw = bytearray(_point(BrowserSubscription.create()))
    raw[-1] ^= 0x01  # y no longer matches x
    return b64url(bytes(raw))


def _compressed() -> str:
    key = BrowserSubscription.create().private_key.public_key()
    return b64url(
        key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)
    )


@pytest.mark.parametrize(
    ("make_p256dh", "message"),
    [
        (lambda: "not base64!", "base64url"),
        (lambda: "a+b/" * 22, "base64url"),  # standard alphabet, not url-safe
        (lambda: "A" * 86 + "=", "base64url"),  # wrong padding
        (lambda: "A", "base64url"),
        (lambda: "", "65 bytes"),
        (lambda: b64url(_point(BrowserSubscription.create())[:64]), "65 bytes"),
        (lambda: b64url(_point(BrowserSubscription.create()) + b"\x00"), "65 bytes"),
        (_compressed, "65 bytes"),
        (lambda: b64url(b"\x02" + _point(BrowserSubscription.create())[1:]), "0x04"),
        (_not_on_curve, "curve"),
        (lambda: b64url(b"\x04" + b"\x00" * 64), "curve"),
    ],
)
def test_a_bad_p256dh_is_refused_naming_the_field(make_p256dh: object, message: str) -> None:
    assert callable(make_p256dh)
    with pytest.raises(InvalidSubscription) as info:
        validate_subscription_keys(make_p256dh(), BrowserSubscription.create().auth)
    assert info.value.field == "p256dh"
    assert message in info.value.message


@pytest.mark.parametrize(
    ("auth", "message"),
    [
        (b64url(b"\x01" * 15), "16 bytes"),
        (b64url(b"\x01" * 17), "16 bytes"),
        ("", "16 bytes"),
        ("!!!!", "base64url"),
        ("AAAA AAAA", "base64url"),
    ],
)
def test_a_bad_auth_is_refused_naming_the_field(auth: str, message: str) -> None:
    with pytest.raises(InvalidSubscription) as info:
        validate_subscription_keys(BrowserSubscription.create().p256dh, auth)
    assert info.value.field == "auth"
    assert message in info.value.message


@pytest.mark.parametrize(
    "text", ["YQ", "YQ==", "YWI", "YWI=", "YWJj", "-_-_"], ids=lambda t: t or "empty"
)
def test_base64url_accepts_optional_padding(text: str) -> None:
    b64url_decode(text)


@pytest.mark.parametrize("text", ["YQ=", "YQ===", "Y", "YW=I", "YQ==YQ", "YQ\n", "ÿÿ"])
def test_base64url_rejects_malformed_text(text: str) -> None:
    with pytest.raises(ValueError):
        b64url_decode(text)
