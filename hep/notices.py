"""Notices outside reminders ("You have a new message"), sent to a person's own devices with
generic words only: nothing of who wrote or what. The one way a notice leaves hep, so email
joins here once the channels carry a generic notice."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from hep.models import PushSubscription

TTL_SECONDS = 24 * 3600


def tell(
    session: Session,
    config: Mapping[str, Any],
    user_ids: Sequence[uuid.UUID],
    kind: str,
    now: dt.datetime,
) -> int:
    """Push the notice of `kind` (hep.push.payload.NOTICES) to every device of these users,
    concurrently; subscriptions the push service calls gone are removed. Commits. Returns how
    many users at least one device accepted it for."""
    from hep.push.keys import load_vapid_keys
    from hep.push.payload import notice_payload
    from hep.push.sender import PushMessage, PushSender
    from hep.push.subscriptions import policy_from_config

    if not config.get("VAPID_PRIVATE_KEY"):
        return 0
    subscriptions = list(
        session.scalars(select(PushSubscription).where(PushSubscription.user_id.in_(user_ids)))
    )
    session.commit()  # no transaction stays open while the push services answer
    if not subscriptions:
        return 0
    payload = notice_payload(kind=kind, base_url=str(config["BASE_URL"]).rstrip("/"))
    messages = [
        PushMessage(
            key=str(sub.id),
            endpoint=sub.endpoint,
            p256dh=sub.p256dh,
            auth=sub.auth,
            payload=payload,
            ttl=TTL_SECONDS,
            urgency="normal",
            topic=None,
        )
        for sub in subscriptions
    ]

    async def send() -> list[Any]:
        async with PushSender(
            load_vapid_keys(config["VAPID_PRIVATE_KEY"]),
            subject=config["VAPID_SUBJECT"],
            policy=policy_from_config(config),
        ) as sender:
            return await sender.send_many(messages)

    results = asyncio.run(send())
    gone = [sub.id for sub, result in zip(subscriptions, results, strict=True) if result.gone]
    if gone:
        session.execute(delete(PushSubscription).where(PushSubscription.id.in_(gone)))
    accepted = [sub for sub, result in zip(subscriptions, results, strict=True) if result.ok]
    if accepted:
        session.execute(
            update(PushSubscription)
            .where(PushSubscription.id.in_([sub.id for sub in accepted]))
            .values(last_success_at=now)
        )
    session.commit()
    return len({sub.user_id for sub in accepted})
