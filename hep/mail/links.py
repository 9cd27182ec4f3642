"""Links in mail that work without signing in: signed, single-purpose tokens (the purpose is
the signature's salt, so an unsubscribe token never marks anything done), carried in the query
string, which access logs leave out. "Done" links expire; unsubscribe links keep working, as
RFC 8058 expects of a List-Unsubscribe URL."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from itsdangerous import BadSignature, URLSafeTimedSerializer

from hep.push.keys import load_vapid_keys

DONE_SECONDS = 2 * 24 * 3600
UNSUBSCRIBE_LISTS = frozenset({"reminders", "attention_digest", "message_notice"})


class MailLinks:
    """Makes and reads the tokens; the key is derived from the VAPID key (no second secret to
    configure), so every web host and scheduler agrees on it."""

    def __init__(self, secret: bytes, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.secret = secret
        self._done = URLSafeTimedSerializer(secret, salt="hep mail: done")
        self._unsubscribe = URLSafeTimedSerializer(secret, salt="hep mail: unsubscribe")

    @classmethod
    def from_config(cls, cfg: Mapping[str, Any]) -> MailLinks:
        secret = load_vapid_keys(cfg["VAPID_PRIVATE_KEY"]).derived_secret(b"mail links")
        return cls(secret, cfg["BASE_URL"])

    def done_url(self, occurrence_id: uuid.UUID) -> str:
        token = self._done.dumps(occurrence_id.hex)
        return f"{self.base_url}/mail/done?{urlencode({'t': token})}"

    def unsubscribe_url(self, user_id: uuid.UUID, what: str) -> str:
        if what not in UNSUBSCRIBE_LISTS:
            raise ValueError(f"unknown mail list {what!r}")
        token = self._unsubscribe.dumps([user_id.hex, what])
        return f"{self.base_url}/mail/unsubscribe?{urlencode({'t': token})}"

    def read_done(self, token: str) -> uuid.UUID | None:
        """The occurrence a "done" token is for, or None (forged, another purpose, expired)."""
        try:
            value = self._done.loads(token, max_age=DONE_SECONDS)
            return uuid.UUID(hex=value)
        except (BadSignature, ValueError, TypeError):
            return None

    def read_unsubscribe(self, token: str) -> tuple[uuid.UUID, str] | None:
        """(user id, which mail) of an unsubscribe token, or None."""
        try:
            user_hex, what = self._unsubscribe.loads(token)
            if what not in UNSUBSCRIBE_LISTS:
                return None
            return uuid.UUID(hex=user_hex), what
        except (BadSignature, ValueError, TypeError):
            return None
