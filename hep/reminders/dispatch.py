"""The dispatcher's pass, by stages: claim due reminders (hep.reminders.claims), decide each
occurrence at send time (hep.reminders.decisions, .batches), send the deliveries through their
channels (hep.channels) and record each answer as it comes back (hep.reminders.results); then
the same for deliveries due for another attempt.

Claim, commit, then send: claims are leases, so a killed dispatcher's work returns to the pool;
decisions and the advance of next_fire_at commit together, so an occurrence is decided once;
deliveries are unique per (occurrence, channel, address); answers are committed in small
transactions while the rest are in flight, and a journal notes each message as it leaves, so
a crash re-sends only what had not left (hep.reminders.journal)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import logging
import uuid
from collections import defaultdict, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy.orm import Session, sessionmaker

from hep.channels import Channel, Outgoing, Watched
from hep.metrics import meters
from hep.reminders.batches import Ready, decide_batch
from hep.reminders.claims import ClaimedDelivery, claim_deliveries, claim_reminders
from hep.reminders.decisions import message_for
from hep.reminders.digests import recheck
from hep.reminders.journal import Journal, orphans
from hep.reminders.passes import DispatchSettings, TickReport
from hep.reminders.results import Recorder

log = logging.getLogger("hep.dispatch")

GC_YOUNG_THRESHOLD = 50_000
DEPTH = 2
"""Batches in flight at once: the next is decided (or claimed) while earlier ones are on the
wire, so the pipe does not drain between batches and memory stays bounded."""

Stop = Callable[[], bool]


class _Batch(NamedTuple):
    """What a claim hands to sending: the deliveries by channel, the attempts each had
    answered before, and those that will not be sent."""

    ready: Ready
    attempts: dict[uuid.UUID, int]
    unsendable: list[tuple[uuid.UUID, str]]


def _never() -> bool:
    return False


class _Claimed:
    """Deliveries claimed for another attempt, made ready to send: their addresses looked up
    again, those that cannot be sent any more set apart."""

    def __init__(
        self,
        session: Session,
        claimed: Sequence[ClaimedDelivery],
        channels: Mapping[str, Channel[Any]],
        now: dt.datetime,
        base_url: str,
    ) -> None:
        self.ready: Ready = defaultdict(list)
        self.attempts = {d.id: d.attempts for d in claimed}
        self.unsendable: list[tuple[uuid.UUID, str]] = []
        wanted: dict[str, set[uuid.UUID]] = defaultdict(set)
        for delivery in claimed:
            if delivery.address_id is not None:
                wanted[delivery.channel].add(delivery.address_id)
        found = {kind: channels[kind].addresses_by_id(session, ids) for kind, ids in wanted.items()}
        for delivery in claimed:
            address = found.get(delivery.channel, {}).get(delivery.address_id)  # type: ignore[arg-type]
            if address is None:
                self.unsendable.append((delivery.id, "address removed"))
            elif now >= delivery.expires_at:
                self.unsendable.append((delivery.id, "expired before sending"))
            else:
                message = message_for(
                    delivery.occurrence_id,
                    delivery.reminder_id,
                    delivery.target_kind,
                    delivery.expires_at,
                    now,
                    base_url,
                    delivery.fire_at,
                )
                self.ready[delivery.channel].append(Outgoing(delivery.id, address, message))


class _Pass:
    """One pass's stages. Database work runs in a thread: messages in flight keep being
    answered and sent while it waits (for SQLite's one write lock, when several dispatchers
    share it) or works."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        now: dt.datetime,
        settings: DispatchSettings,
        report: TickReport,
        channels: Sequence[Channel[Any]],
        journal: Journal | None,
    ) -> None:
        self.factory, self.now, self.settings, self.report = factory, now, settings, report
        self.channels = {channel.kind: channel for channel in channels}
        self.recorder = Recorder(factory, self.channels, now, settings, report, journal)
        self.in_flight: deque[asyncio.Task[None]] = deque()

    def recover(self) -> None:
        """Finish the record of dispatchers on this host that died mid-pass."""
        if self.settings.journal is None:
            return
        try:
            for orphan in orphans(Path(self.settings.journal)):
                self.recorder.recover(orphan)
        except OSError as exc:  # the folder, not the database: their leases still run out
            why = exc.strerror or type(exc).__name__
            log.warning("dispatch journals in %s unreadable: %s", self.settings.journal, why)

    def decide_next(self) -> _Batch | None:
        """Claim and decide the next batch of due reminders; None when none is left."""
        with self.factory() as session:
            ids = claim_reminders(session, self.now, self.settings)
            if not ids:
                return None
            channels = list(self.channels.values())
            ready = decide_batch(session, ids, self.now, self.settings, channels, self.report)
            return _Batch(ready, {}, [])

    def claim_next(self) -> _Batch | None:
        """Claim the next batch of deliveries due for an attempt; None when none is left."""
        with self.factory() as session:
            claimed = claim_deliveries(session, self.now, self.settings, list(self.channels))
            if not claimed:
                return None
            # a digest's reminders are decided again as it goes out
            claimed = recheck(session, claimed, self.now, self.settings)
            found = _Claimed(session, claimed, self.channels, self.now, self.settings.base_url)
            session.commit()
        return _Batch(found.ready, found.attempts, found.unsendable)

    async def send(self, batch: _Batch) -> None:
        """Start sending a batch; then wait while more than DEPTH - 1 batches are ahead."""
        if batch.unsendable:
            self.recorder.unsendable(batch.unsendable)
        if any(batch.ready.values()):
            for kind, outgoing in batch.ready.items():
                self.recorder.expect(kind, outgoing, batch.attempts)
            self.in_flight.append(asyncio.create_task(self._send_batch(batch.ready)))
        await self.drain(DEPTH - 1)

    async def _send_batch(self, ready: Ready) -> None:
        await asyncio.gather(*(self._send(kind, outgoing) for kind, outgoing in ready.items()))

    async def _send(self, kind: str, outgoing: list[Outgoing[Any]]) -> None:
        add = self.recorder.add
        async for result in self.channels[kind].send(outgoing):
            await add(result)

    async def drain(self, keep: int = 0) -> None:
        while len(self.in_flight) > keep:
            await self.in_flight.popleft()


async def _run(
    factory: sessionmaker[Session],
    now: dt.datetime,
    settings: DispatchSettings,
    report: TickReport,
    stop: Stop,
) -> None:
    journal = None
    if settings.journal is not None:
        try:
            journal = Journal(Path(settings.journal), now, now + settings.lease)
        except OSError as exc:
            # the pass goes on without: a crash would re-send what was in flight
            why = exc.strerror or type(exc).__name__
            log.warning("dispatch journal unavailable in %s: %s", settings.journal, why)
    channels = [channel.open() for channel in settings.channels]
    for channel in channels:
        if journal is not None and isinstance(channel, Watched):
            channel.watch(journal.left)
    stages = _Pass(factory, now, settings, report, channels, journal)
    finished = False
    try:
        await asyncio.to_thread(stages.recover)
        # due reminders: each batch goes out as soon as its decisions commit; then deliveries
        # due for an attempt: retries, and any a killed dispatcher left leased
        for step in (stages.decide_next, stages.claim_next):
            while not stop() and (batch := await asyncio.to_thread(step)) is not None:
                await stages.send(batch)
        finished = True
    finally:
        # what is in flight is answered and recorded even when stopping (bounded by timeouts)
        try:
            await stages.drain()
            await stages.recorder.close()
        except BaseException:
            finished = False
            raise
        finally:
            for channel in channels:
                await channel.close()
            if journal is not None:
                journal.close(keep=not finished)


@contextlib.contextmanager
def _young_collections_every(allocations: int) -> Iterator[None]:
    """A pass allocates millions of short-lived objects; at CPython's default (a young
    collection every 700 allocations) the full collections this triggers walk the process's
    long-lived objects and took a quarter of the dispatcher's CPU."""
    previous = gc.get_threshold()
    gc.set_threshold(allocations, *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def run_once(
    factory: sessionmaker[Session],
    now: dt.datetime,
    settings: DispatchSettings,
    stop: Stop = _never,
) -> TickReport:
    """One full pass: decide everything due and send what that decides, then send every other
    delivery due for an attempt. Idempotent; several may run at once (claims are leases).
    `stop()` turning true ends the pass early: no new batch is claimed, and what is in flight
    is still recorded."""
    report = TickReport()
    try:
        with _young_collections_every(GC_YOUNG_THRESHOLD):
            asyncio.run(_run(factory, now, settings, report, stop))
    except Exception:
        meters.dispatch_passes.labels("failed").inc()
        raise
    meters.count_pass(report.outcomes)
    return report


def log_report(report: TickReport, processes: int = 1) -> None:
    """One line for a pass that did something."""
    if report.decided or report.sent or report.failed or report.retried:
        log.info(
            "dispatch: %d reminders decided %s; %d sent, %d retried, %d failed, %d gone%s",
            report.decided,
            dict(report.outcomes),
            report.sent,
            report.retried,
            report.failed,
            report.gone,
            f" ({processes} processes)" if processes > 1 else "",
        )
