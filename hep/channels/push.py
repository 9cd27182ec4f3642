"""The web-push channel: a browser's push subscription is an address; messages become
encrypted Declarative Web Push payloads sent by `hep.push.sender.PushSender`."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, NamedTuple

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from hep.channels import Message, Outcome, Outgoing, Result
from hep.languages import DEFAULT, supported
from hep.models import PushSubscription, User
from hep.push.endpoints import EndpointPolicy
from hep.push.keys import VapidKeys, load_vapid_keys
from hep.push.payload import reminder_payload, topic_for
from hep.push.sender import PushMessage, PushResult, PushSender

_UNSYNCHRONIZED = {"synchronize_session": False}


class PushAddress(NamedTuple):
    """A push subscription, as sending to it needs it, with the language its owner reads."""

    id: uuid.UUID
    owner_id: uuid.UUID
    endpoint: str
    p256dh: str
    auth: str
    language: str = DEFAULT


_COLUMNS = (
    PushSubscription.id,
    PushSubscription.user_id,
    PushSubscription.endpoint,
    PushSubscription.p256dh,
    PushSubscription.auth,
    User.language,
)
_SUBSCRIPTIONS = select(*_COLUMNS).join(User, User.id == PushSubscription.user_id)


@functools.lru_cache(maxsize=4)
def _keys(private_key: str) -> VapidKeys:
    return load_vapid_keys(private_key)


@dataclass(frozen=True)
class PushSettings:
    """The VAPID key (as configured: PEM or base64url), subject and endpoint policy; per pass,
    `timeout` seconds per request and at most `max_in_flight` requests at once."""

    kind: ClassVar[str] = "push"

    private_key: str = field(repr=False)
    subject: str
    policy: EndpointPolicy
    timeout: float = 10.0
    max_in_flight: int = 256

    @classmethod
    def from_config(cls, config: Mapping[str, Any], **overrides: Any) -> PushSettings:
        return replace(
            cls(
                private_key=config["VAPID_PRIVATE_KEY"],
                subject=config["VAPID_SUBJECT"],
                policy=EndpointPolicy(
                    allowed_hosts=tuple(config["PUSH_ALLOWED_HOSTS"]),
                    allow_loopback=bool(config["PUSH_ALLOW_LOOPBACK"]),
                ),
            ),
            **overrides,
        )

    @property
    def keys(self) -> VapidKeys:
        return _keys(self.private_key)

    def open(self) -> PushChannel:
        return PushChannel(self)


class PushChannel:
    """Web push for one pass: one pooled sender (its connections open on the first send)."""

    kind: ClassVar[str] = "push"

    def __init__(self, settings: PushSettings) -> None:
        keys = settings.keys
        self._sender = PushSender(
            keys,
            subject=settings.subject,
            policy=settings.policy,
            timeout=settings.timeout,
            max_in_flight=settings.max_in_flight,
            on_left=self._on_left,
        )
        self._topic_secret = keys.derived_secret(b"push topic")
        self._open = False
        self._left: Callable[[uuid.UUID], None] | None = None

    def watch(self, left: Callable[[uuid.UUID], None]) -> None:
        """A request counts as left once written to its connection's socket."""
        self._left = left

    def _on_left(self, key: str) -> None:
        if self._left is not None:
            self._left(uuid.UUID(hex=key))

    def addresses(
        self, session: Session, owner_ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, list[PushAddress]]:
        found: dict[uuid.UUID, list[PushAddress]] = defaultdict(list)
        rows = session.execute(_SUBSCRIPTIONS.where(PushSubscription.user_id.in_(owner_ids)))
        for address in map(PushAddress._make, rows):
            found[address.owner_id].append(address)
        return found

    def addresses_by_id(
        self, session: Session, ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, PushAddress]:
        rows = session.execute(_SUBSCRIPTIONS.where(PushSubscription.id.in_(ids)))
        return {address.id: address for address in map(PushAddress._make, rows)}

    def settle(
        self,
        session: Session,
        sent: Collection[uuid.UUID],
        gone: Collection[uuid.UUID],
        now: dt.datetime,
    ) -> None:
        # no session objects to keep in sync: evaluating IN (...) against them is O(n^2)
        if sent:
            session.execute(
                update(PushSubscription)
                .where(PushSubscription.id.in_(sent))
                .values(last_success_at=now)
                .execution_options(**_UNSYNCHRONIZED)
            )
        if gone:
            # whether reminders still reach the owners moves their attention figures
            session.execute(
                update(User)
                .where(
                    User.id.in_(
                        select(PushSubscription.user_id).where(PushSubscription.id.in_(gone))
                    )
                )
                .values(stats_version=User.stats_version + 1)
                .execution_options(**_UNSYNCHRONIZED)
            )
            session.execute(
                delete(PushSubscription)
                .where(PushSubscription.id.in_(gone))
                .execution_options(**_UNSYNCHRONIZED)
            )

    def topic(self, message: Message) -> str:
        """The RFC 8030 Topic of a message: stable across retries, opaque to the service."""
        return topic_for(message.key, self._topic_secret)

    async def send(self, deliveries: Sequence[Outgoing[PushAddress]]) -> AsyncIterator[Result]:
        if not self._open:
            await self._sender.__aenter__()
            self._open = True
        ids = {}
        pushes = []
        # one per message and language, not per address
        payloads: dict[tuple[Message, str], tuple[bytes, str]] = {}
        for delivery in deliveries:
            message, address = delivery.message, delivery.address
            language = supported(address.language)
            built = payloads.get((message, language))
            if built is None:
                payload = reminder_payload(
                    occurrence_id=message.key,
                    reminder_id=message.reminder_id or message.key,
                    kind=message.kind,
                    navigate_url=message.link,
                    language=language,
                )
                built = payloads[message, language] = (payload, self.topic(message))
            key = delivery.delivery_id.hex
            ids[key] = delivery.delivery_id
            pushes.append(
                PushMessage(
                    key=key,
                    endpoint=address.endpoint,
                    p256dh=address.p256dh,
                    auth=address.auth,
                    payload=built[0],
                    ttl=message.ttl,
                    urgency=message.urgency,
                    topic=built[1],
                )
            )
        async for pushed in self._sender.stream(pushes):
            yield _result(ids[pushed.key], pushed)

    async def close(self) -> None:
        if self._open:
            await self._sender.__aexit__(None, None, None)
            self._open = False


def _result(delivery_id: uuid.UUID, pushed: PushResult) -> Result:
    if pushed.ok:
        return Result(delivery_id, Outcome.SENT, status=pushed.status)
    if pushed.gone:
        outcome = Outcome.GONE
    elif pushed.permanent:
        outcome = Outcome.FAILED
    else:
        outcome = Outcome.RETRY
    return Result(delivery_id, outcome, pushed.retry_after, pushed.status, pushed.error or "")
