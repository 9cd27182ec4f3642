"""Push subscriptions: validated at subscribe time (endpoint policy and keys), one owner each."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hep.db import insert_first, lock_names
from hep.errors import Conflict, Invalid, NotFound
from hep.models import PushSubscription, User
from hep.push.endpoints import EndpointPolicy, EndpointRejected, Resolve, check_endpoint
from hep.push.keys import InvalidSubscription, validate_subscription_keys
from hep.translations import _

MAX_SUBSCRIPTIONS = 10


def policy_from_config(config: Mapping[str, Any]) -> EndpointPolicy:
    return EndpointPolicy(
        allowed_hosts=tuple(config["PUSH_ALLOWED_HOSTS"]),
        allow_loopback=bool(config["PUSH_ALLOW_LOOPBACK"]),
    )


def subscribe(
    session: Session,
    user: User,
    *,
    endpoint: str,
    p256dh: str,
    auth: str,
    policy: EndpointPolicy,
    resolve: Resolve,
    now: dt.datetime,
) -> tuple[PushSubscription, bool]:
    """Register a browser's subscription; (row, created). Nothing is written and no request is
    made for an endpoint the policy refuses. An endpoint already registered by another user
    is a conflict: it is never moved or removed. Racing registrations of one endpoint make one
    row (the others refresh its keys), and racing new devices stop at the cap."""
    try:
        check_endpoint(endpoint, policy, resolve)
    except EndpointRejected as exc:
        raise Invalid.field("endpoint", str(exc)) from None
    try:
        validate_subscription_keys(p256dh, auth)
    except InvalidSubscription as exc:
        raise Invalid.field(exc.field, exc.message) from None
    existing = _by_endpoint(session, endpoint)
    if existing is None:
        # one at a time per user: a racer of this very registration is found, not counted
        lock_names(session, [f"devices:{user.id}"])
        existing = _by_endpoint(session, endpoint)
    if existing is None:
        count = session.scalar(
            select(func.count())
            .select_from(PushSubscription)
            .where(PushSubscription.user_id == user.id)
        )
        if (count or 0) >= MAX_SUBSCRIPTIONS:
            raise Conflict(
                _(
                    "At most {count} devices can get pushes; remove one first.",
                    count=MAX_SUBSCRIPTIONS,
                )
            )
        row = PushSubscription(
            user_id=user.id, endpoint=endpoint, p256dh=p256dh, auth=auth, created_at=now
        )
        if insert_first(session, row):
            return row, True
        existing = _by_endpoint(session, endpoint)
        assert existing is not None  # the racer that registered it has committed
    if existing.user_id != user.id:
        raise Conflict(_("This push endpoint is registered to another account."))
    existing.p256dh, existing.auth = p256dh, auth
    session.flush()
    return existing, False


def _by_endpoint(session: Session, endpoint: str) -> PushSubscription | None:
    return session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))


def unsubscribe(session: Session, user: User, subscription_id: uuid.UUID) -> None:
    row = session.get(PushSubscription, subscription_id)
    if row is None or row.user_id != user.id:
        raise NotFound()
    session.delete(row)
    session.flush()


def subscriptions_of(session: Session, user_id: uuid.UUID) -> Sequence[PushSubscription]:
    return session.scalars(
        select(PushSubscription)
        .where(PushSubscription.user_id == user_id)
        .order_by(PushSubscription.created_at)
    ).all()
