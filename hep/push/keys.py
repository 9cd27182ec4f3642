"""VAPID key pairs (RFC 8292) and validation of a browser subscription's p256dh/auth keys."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_B64URL = re.compile(r"[A-Za-z0-9_-]*={0,2}")
_PEM_MARK = "-----BEGIN "


class InvalidSubscription(ValueError):
    """A subscription key is unusable; `field` names it ("p256dh" or "auth")."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class InvalidVapidKey(ValueError):
    """The configured VAPID private key cannot be loaded (the message never echoes the key)."""


def b64url_decode(text: str) -> bytes:
    """Decode base64url with optional padding; anything outside the alphabet is a ValueError."""
    if not isinstance(text, str) or not _B64URL.fullmatch(text):
        raise ValueError("not base64url")
    stripped = text.rstrip("=")
    if len(stripped) % 4 == 1 or (text != stripped and len(text) % 4 != 0):
        raise ValueError("not base64url (bad length or padding)")
    try:
        return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("not base64url") from None


def b64url_encode(raw: bytes) -> str:
    """base64url without padding, as browsers and RFC 8292 write keys."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class VapidKeys:
    """A loaded P-256 VAPID key pair; parsed once, reused for every signature.

    `public_key` is the browser's `applicationServerKey`: base64url of the uncompressed
    65-byte point. The private key is kept out of `repr` so it cannot reach a log line.
    """

    private_key: ec.EllipticCurvePrivateKey = field(repr=False)
    public_key: str

    def private_pem(self) -> str:
        """The private key as unencrypted PKCS#8 PEM text: the form hep stores and configures."""
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode("ascii")

    def derived_secret(self, label: bytes) -> bytes:
        """A 32-byte secret derived (HKDF-SHA256) from the private key for one purpose (`label`).

        Used e.g. as the HMAC key of `payload.topic_for`, so no second secret must be configured.
        """
        scalar = self.private_key.private_numbers().private_value.to_bytes(32, "big")
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"hep derived secret", info=label)
        return hkdf.derive(scalar)


def _from_private_key(key: ec.EllipticCurvePrivateKey) -> VapidKeys:
    raw = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return VapidKeys(private_key=key, public_key=b64url_encode(raw))


def generate_vapid_keys() -> VapidKeys:
    """A fresh P-256 key pair; store `keys.private_pem()` (PEM is hep's storage format)."""
    return _from_private_key(ec.generate_private_key(ec.SECP256R1()))


def load_vapid_keys(private: str) -> VapidKeys:
    """Load a private key given as PEM (PKCS#8 or SEC1), or as raw base64url of the 32-byte
    scalar (the form the npm `web-push` tool prints). Raises InvalidVapidKey."""
    text = private.strip()
    key: object
    try:
        if text.startswith(_PEM_MARK):
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        else:
            scalar = b64url_decode(text)
            if len(scalar) != 32:
                raise InvalidVapidKey("a raw VAPID private key must be 32 bytes of base64url")
            key = ec.derive_private_key(int.from_bytes(scalar, "big"), ec.SECP256R1())
    except InvalidVapidKey:
        raise
    except (ValueError, TypeError, UnicodeEncodeError):
        raise InvalidVapidKey("the VAPID private key is not a PEM or base64url P-256 key") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise InvalidVapidKey("the VAPID private key must be an EC P-256 key")
    return _from_private_key(key)


def validate_subscription_keys(
    p256dh: str, auth: str
) -> tuple[bytes, ec.EllipticCurvePublicKey, bytes]:
    """Accept only keys a browser can have produced: p256dh a P-256 point that loads
    (uncompressed, 65 bytes, 0x04, on the curve), auth 16 bytes; both base64url. Returns them
    decoded: the point, the public key it loads as, and the auth secret."""
    try:
        point = b64url_decode(p256dh)
    except ValueError as exc:
        raise InvalidSubscription("p256dh", str(exc)) from None
    if len(point) != 65:
        raise InvalidSubscription("p256dh", f"must be 65 bytes, got {len(point)}")
    if point[0] != 0x04:
        raise InvalidSubscription("p256dh", "must be an uncompressed point (0x04 prefix)")
    try:
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        raise InvalidSubscription("p256dh", "is not a point on the P-256 curve") from None
    try:
        secret = b64url_decode(auth)
    except ValueError as exc:
        raise InvalidSubscription("auth", str(exc)) from None
    if len(secret) != 16:
        raise InvalidSubscription("auth", f"must be 16 bytes, got {len(secret)}")
    return point, key, secret
