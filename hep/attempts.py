"""Attempts counted against limits in a window (sign-ins, password resets, verification mail),
in the database so every worker shares them, and race-safe: counting and recording run one
at a time per key, so however many arrive at once, no more than the limit get through."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hep.db import lock_names
from hep.errors import Throttled
from hep.models import LoginFailure


def count_attempt(
    session: Session,
    limits: dict[str, int],
    *,
    window: dt.timedelta,
    now: dt.datetime,
    message: str,
) -> None:
    """Throttled (429 with Retry-After) when any key has `limit` attempts in the window;
    otherwise this attempt is recorded under every key. The caller commits."""
    lock_names(session, limits)
    since = now - window
    for key, limit in limits.items():
        count, oldest = session.execute(
            select(func.count(), func.min(LoginFailure.at)).where(
                LoginFailure.key == key, LoginFailure.at > since
            )
        ).one()
        if count >= limit and oldest is not None:
            retry_after = max(1, int((oldest + window - now).total_seconds()) + 1)
            raise Throttled(message, retry_after)
    session.add_all(LoginFailure(key=key, at=now) for key in limits)
    session.flush()
