"""Message encryption for web push (RFC 8291, aes128gcm as in RFC 8188, one record).

Written against `cryptography`'s primitives rather than through pywebpush's encoder: that
builds a subscription object and decodes the browser's key twice per message, a third of
the cost of a push beside the ECDH itself. The key derivations are HKDF with SHA-256 and
outputs of at most 32 bytes, i.e. a single HMAC each (RFC 5869 §2.3)."""

from __future__ import annotations

import hmac
import os

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from hep.push.keys import validate_subscription_keys

RECORD_SIZE = 4096
"""The record size the header announces (RFC 8188). The whole body, header included, must
stay within 4,096 bytes (RFC 8291 §4): the sender keeps payloads to 3,993."""
_KEY_INFO = b"WebPush: info\x00"
_CEK_INFO = b"Content-Encoding: aes128gcm\x00\x01"
_NONCE_INFO = b"Content-Encoding: nonce\x00\x01"
_LAST_RECORD = b"\x02"
_CURVE = ec.SECP256R1()


def encrypt(payload: bytes, p256dh: str, auth: str) -> bytes:
    """The aes128gcm body carrying `payload` to one subscription, under a new key pair and
    salt of its own; raises InvalidSubscription for keys a browser cannot have made.
    `payload` must fit one record (the sender checks its size)."""
    browser_point, browser_key, auth_secret = validate_subscription_keys(p256dh, auth)
    ours = ec.generate_private_key(_CURVE)
    our_point = ours.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    shared = ours.exchange(ec.ECDH(), browser_key)
    prk_key = hmac.digest(auth_secret, shared, "sha256")
    ikm = hmac.digest(prk_key, _KEY_INFO + browser_point + our_point + b"\x01", "sha256")
    salt = os.urandom(16)
    prk = hmac.digest(salt, ikm, "sha256")
    cek = hmac.digest(prk, _CEK_INFO, "sha256")[:16]
    nonce = hmac.digest(prk, _NONCE_INFO, "sha256")[:12]
    header = salt + RECORD_SIZE.to_bytes(4, "big") + len(our_point).to_bytes(1, "big") + our_point
    return header + AESGCM(cek).encrypt(nonce, payload + _LAST_RECORD, None)
