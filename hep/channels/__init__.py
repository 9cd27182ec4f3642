"""Delivery channels (web push, email): the interface the dispatcher sends through.

The dispatcher decides an occurrence, asks every configured channel where the owner can be
reached (`Channel.addresses`), writes one delivery row per (occurrence, channel, address) and
hands the channel `Outgoing` items; the channel answers each with a `Result` as its answer
comes back, which the dispatcher records at once (so a crash re-sends only what was in flight).
Modelled on healthchecks' transports: one class per kind, outcomes instead of exceptions.

Adding a channel (email, say):
- a frozen, picklable settings class (`ChannelSettings`: dispatcher worker processes receive
  it) whose `open()` builds the channel for a pass, listed in `configured`;
- the channel: `kind`, its address rows (`addresses`, `addresses_by_id`), `settle` for what
  the results say about addresses, and `send`/`close`; and, if it can tell when a message
  has left, `watch` (`Watched`), which keeps a crash from sending it twice.

Where this differs from a first sketch, and why:
- `Message` carries no transport `topic`: a channel derives its collapse key from
  `Message.key` with a secret of its own (a push Topic must be opaque to the push service).
  Its `ttl` is counted from when the dispatcher hands it over (a retry gets what is left).
- `addresses_by_id` and `settle` are part of the interface because deliveries are retried
  from their rows (the address is looked up again; one removed since answers FAILED), and
  because what an answer means for an address (a subscription gone, a mailbox unknown) is
  the channel's business, not the dispatcher's.
- `send` is declared as a plain method returning an AsyncIterator, so an `async def` with
  `yield` (an async generator) implements it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Generic, Literal, Protocol, TypeVar, runtime_checkable

from sqlalchemy.orm import Session

Urgency = Literal["very-low", "low", "normal", "high"]
"""RFC 8030 §5.3; channels without such a notion may ignore it."""


class Outcome(StrEnum):
    """What became of one delivery attempt."""

    SENT = "sent"  # accepted (push service 2xx, mail server 250)
    GONE = "gone"  # the address no longer exists (push 404/410, mailbox unknown): drop it
    RETRY = "retry"  # try again later (5xx, 429, timeouts, refused connections)
    FAILED = "failed"  # permanent, address still valid (VAPID 401/403, 413, a bad key)


@dataclass(frozen=True, slots=True)
class Message:
    """What a decided occurrence wants said, on any channel. Opaque ids and a kind that picks
    generic wording: never health details (no exercise names, pain, diagnoses, names)."""

    kind: str
    """Which generic wording: "program", "habit" or "general" for a reminder."""
    key: str
    """Opaque id of what the message is about (a reminder occurrence's id, hex): the
    notification tag, the input of a push Topic, an email's Message-ID."""
    link: str
    """Where acting on it leads: a page of the app, with opaque ids only."""
    ttl: int
    """Seconds it stays useful from now (a push service keeps it this long, at least 60)."""
    reminder_id: str | None = None
    """Opaque id of the reminder, so the app can offer snooze."""
    urgency: Urgency = "normal"
    at: dt.datetime | None = None
    """When the occurrence fell due: a digest lists each reminder at its own time."""


class Address(Protocol):
    """Where one owner can be reached on one channel (a push subscription, an email address)."""

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def owner_id(self) -> uuid.UUID: ...


A = TypeVar("A", bound=Address)


@dataclass(frozen=True, slots=True)
class Outgoing(Generic[A]):
    """One delivery to send: its row's id, the address and the message."""

    delivery_id: uuid.UUID
    address: A
    message: Message


@dataclass(frozen=True, slots=True)
class Result:
    """The answer to one Outgoing. `retry_after`: seconds the other side asked us to wait
    (RETRY only; None: the dispatcher backs off). `status`: the channel's answer code (HTTP
    status, SMTP reply), None when none came. `detail`: short, for operators, and without
    user data (no addresses, payloads, names)."""

    delivery_id: uuid.UUID
    outcome: Outcome
    retry_after: float | None = None
    status: int | None = None
    detail: str = ""


class Channel(Protocol[A]):
    """One way of reaching people. Lives for one dispatcher pass (connections are reused
    within it); `send` may be called several times, concurrently, before `close`."""

    kind: ClassVar[str]
    """The delivery rows' `channel` value: "push", "email"."""

    def addresses(
        self, session: Session, owner_ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, list[A]]:
        """Where each of these owners should get a reminder now on this channel; owners it
        does not reach are absent. Reads only."""
        ...

    def addresses_by_id(self, session: Session, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, A]:
        """The addresses among `ids` that still exist (a retry looks its address up again)."""
        ...

    def settle(
        self,
        session: Session,
        sent: Collection[uuid.UUID],
        gone: Collection[uuid.UUID],
        now: dt.datetime,
    ) -> None:
        """Record what answers said about addresses (`sent` to: they work; `gone`: remove
        them). Flushes, never commits: the dispatcher commits with the deliveries' results."""
        ...

    def send(self, deliveries: Sequence[Outgoing[A]]) -> AsyncIterator[Result]:
        """Send every delivery; yield one Result each, in the order answers come back, and
        never raise for one delivery's failure. Bounded in time by the channel's timeouts."""
        ...

    async def close(self) -> None:
        """Release connections; called once, after the last `send` has finished."""
        ...


@runtime_checkable
class Watched(Protocol):
    """Optional for a channel: it can tell the moment a message has left (written to the
    network: the other side may have it, whatever happens here). The dispatcher journals
    that, so after a crash such a message counts as sent instead of going out twice; a
    channel without it has everything unanswered at a crash sent again."""

    def watch(self, left: Callable[[uuid.UUID], None]) -> None:
        """Call `left(delivery_id)` as each message leaves, from then on."""
        ...


class ChannelSettings(Protocol):
    """A channel's settings: immutable and picklable (worker processes receive them)."""

    kind: ClassVar[str]

    def open(self) -> Channel[Any]:
        """The channel for one pass. Called inside the pass's event loop; connections are
        made on the first `send`."""
        ...


def configured(config: Mapping[str, Any]) -> tuple[ChannelSettings, ...]:
    """The channels these settings (the app's config, or its plain copy in a worker) enable:
    web push with a VAPID key; email with a mail server (HEP_SMTP_HOST) too."""
    from hep.channels.email import EmailSettings
    from hep.channels.push import PushSettings

    found: list[ChannelSettings] = []
    if config.get("VAPID_PRIVATE_KEY"):
        found.append(PushSettings.from_config(config))
        email = EmailSettings.from_config(config)
        if email is not None:
            found.append(email)
    return tuple(found)
