"""Notices outside reminders ("You have a new message"), sent to a person's own devices with
generic words only: nothing of who wrote or what. The one way a notice leaves hep: by push to
every device, and by email to those who chose it (a confirmed address that does not bounce),
through the mail outbox."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from hep.languages import supported
from hep.models import NotificationSettings, PushSubscription, User

TTL_SECONDS = 24 * 3600


def tell(
    session: Session,
    config: Mapping[str, Any],
    user_ids: Sequence[uuid.UUID],
    kind: str,
    now: dt.datetime,
) -> int:
    """Push the notice of `kind` (hep.push.payload.NOTICES) to every device of these users,
    concurrently; subscriptions the push service calls gone are removed; and queue it as an
    email for those who chose message emails. Commits. Returns how many users at least one
    device accepted it for, or its email was queued for."""
    mailed = _mail(session, config, user_ids, kind, now)
    session.commit()
    return len(_push(session, config, user_ids, kind, now) | mailed)


def _mail(
    session: Session,
    config: Mapping[str, Any],
    user_ids: Sequence[uuid.UUID],
    kind: str,
    now: dt.datetime,
) -> set[uuid.UUID]:
    from hep.mail.letters import write
    from hep.mail.links import MailLinks
    from hep.mail.outbox import enqueue

    if not config.get("SMTP_HOST") or kind != "message":
        return set()
    readers = session.scalars(
        select(User)
        .join(NotificationSettings, NotificationSettings.user_id == User.id)
        .where(
            User.id.in_(user_ids),
            NotificationSettings.email_notices.is_(True),
            User.email_verified_at.is_not(None),
            User.email_bounced_at.is_(None),
        )
    ).all()
    base = str(config["BASE_URL"]).rstrip("/")
    links = MailLinks.from_config(config)
    for user in readers:
        letter = write(
            "message_notice",
            base_url=base,
            language=user.language,
            unsubscribe_url=links.unsubscribe_url(user.id, "message_notice"),
        )
        enqueue(
            session, letter, recipient=user.email, user=user, sender=config["SMTP_FROM"], now=now
        )
    return {user.id for user in readers}


def _push(
    session: Session,
    config: Mapping[str, Any],
    user_ids: Sequence[uuid.UUID],
    kind: str,
    now: dt.datetime,
) -> set[uuid.UUID]:
    from hep.push.keys import load_vapid_keys
    from hep.push.payload import notice_payload
    from hep.push.sender import PushMessage, PushSender
    from hep.push.subscriptions import policy_from_config

    if not config.get("VAPID_PRIVATE_KEY"):
        return set()
    found = session.execute(
        select(PushSubscription, User.language)
        .join(User, User.id == PushSubscription.user_id)
        .where(PushSubscription.user_id.in_(user_ids))
    ).all()
    subscriptions = [sub for sub, _language in found]
    session.commit()  # no transaction stays open while the push services answer
    if not subscriptions:
        return set()
    base_url = str(config["BASE_URL"]).rstrip("/")
    payloads = {  # in each owner's language
        language: notice_payload(kind=kind, base_url=base_url, language=language)
        for language in {supported(language) for _sub, language in found}
    }
    messages = [
        PushMessage(
            key=str(sub.id),
            endpoint=sub.endpoint,
            p256dh=sub.p256dh,
            auth=sub.auth,
            payload=payloads[supported(language)],
            ttl=TTL_SECONDS,
            urgency="normal",
            topic=None,
        )
        for sub, language in found
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
    return {sub.user_id for sub in accepted}
