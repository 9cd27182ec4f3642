"""VAPID (RFC 8292) Authorization headers: an ES256 JWT signed once per push-service origin."""

from __future__ import annotations

import datetime as dt
import json

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from hep.push.keys import VapidKeys, b64url_encode

TOKEN_LIFETIME = dt.timedelta(hours=12)
"""Push services accept `exp` at most 24 h ahead (Apple: 1 day); 12 h leaves room for skew."""
REFRESH_MARGIN = dt.timedelta(hours=1)
"""A cached token is replaced this long before it expires."""

_JWT_HEADER = b64url_encode(b'{"typ":"JWT","alg":"ES256"}')


def check_subject(subject: str) -> str:
    """The JWT `sub`: a mailto: or https: URL naming the operator (Apple rejects others)."""
    if not (subject.startswith("mailto:") and len(subject) > 7) and not (
        subject.startswith("https://") and len(subject) > 8
    ):
        raise ValueError("the VAPID subject must be a mailto: or https:// URL")
    return subject


def vapid_authorization(keys: VapidKeys, *, audience: str, subject: str, expires: int) -> str:
    """`vapid t=<jwt>,k=<public key>` for one origin (`audience`, scheme://host[:port]).

    A fresh claims dict is built per call: nothing is shared or mutated (pywebpush's
    `webpush()` writes into the dict it is given)."""
    claims = {"aud": audience, "exp": int(expires), "sub": check_subject(subject)}
    body = b64url_encode(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{_JWT_HEADER}.{body}"
    der = keys.private_key.sign(signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    signature = b64url_encode(r.to_bytes(32, "big") + s.to_bytes(32, "big"))
    return f"vapid t={signing_input}.{signature},k={keys.public_key}"


class VapidTokenCache:
    """Authorization headers per origin, signed once and reused until shortly before `exp`."""

    def __init__(self, keys: VapidKeys, subject: str) -> None:
        self._keys = keys
        self._subject = check_subject(subject)
        self._headers: dict[str, tuple[dt.datetime, str]] = {}
        self.signatures = 0
        """How many JWTs were signed (for tests and metrics)."""

    def __repr__(self) -> str:
        return f"VapidTokenCache(origins={len(self._headers)})"

    def header_for(self, origin: str, now: dt.datetime) -> str:
        """The Authorization header for `origin` at `now` (aware UTC)."""
        cached = self._headers.get(origin)
        if cached is not None and now < cached[0] - REFRESH_MARGIN:
            return cached[1]
        expires_at = now + TOKEN_LIFETIME
        header = vapid_authorization(
            self._keys,
            audience=origin,
            subject=self._subject,
            expires=int(expires_at.timestamp()),
        )
        self.signatures += 1
        self._headers[origin] = (expires_at, header)
        return header
