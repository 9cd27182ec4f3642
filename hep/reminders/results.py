"""Recording delivery results as they come back: small transactions while a batch is still in
flight (every `record_every` results or `record_seconds`), so a killed dispatcher re-sends
only what was unanswered, not its whole batch. An answer counts an attempt; retries back off
(honouring Retry-After); what an answer says about an address goes to its channel."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from hep.channels import Channel, Outcome, Outgoing, Result
from hep.db import immediate_transactions
from hep.metrics import meters
from hep.models import Delivery
from hep.reminders.journal import Journal, Orphan
from hep.reminders.passes import DispatchSettings, TickReport

log = logging.getLogger("hep.dispatch")

MAX_BACKOFF_SECONDS = 3600.0
RECOVER_CHUNK = 1000
"""Journal entries recorded per transaction (a whole pass's journal can hold tens of
thousands; SQLite takes at most 32,766 parameters a statement)."""


def backoff(attempts: int) -> float:
    """Seconds before another attempt after `attempts` answered ones, with jitter."""
    base: float = min(MAX_BACKOFF_SECONDS, 30.0 * 2 ** (attempts - 1))
    return base * random.uniform(0.8, 1.2)


class _Sending(NamedTuple):
    channel: str
    address_id: uuid.UUID | None
    attempts: int  # answered before this one
    due: dt.datetime | None = None  # the occurrence's time, for the dispatch lag


@dataclass
class _Writes:
    """One transaction's worth of results, as SQL wants them."""

    sent: dict[int | None, list[uuid.UUID]] = field(default_factory=lambda: defaultdict(list))
    rows: list[dict[str, Any]] = field(default_factory=list)
    working: dict[str, set[uuid.UUID]] = field(default_factory=lambda: defaultdict(set))
    gone: dict[str, set[uuid.UUID]] = field(default_factory=lambda: defaultdict(set))


class Recorder:
    """Results of one pass, written as they come back. Used from the pass's event loop: `add`
    each result; `flush` and `close` write (in a thread, one transaction at a time, while
    sending goes on). Updates only deliveries still leased to this pass (`claimed_until`)."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        channels: Mapping[str, Channel[Any]],
        now: dt.datetime,
        settings: DispatchSettings,
        report: TickReport,
        journal: Journal | None = None,
    ) -> None:
        self._factory, self._channels, self._now = factory, channels, now
        self._settings, self._report, self._journal = settings, report, journal
        self._leased = now + settings.lease
        self._sending: dict[uuid.UUID, _Sending] = {}
        self._results: list[Result] = []
        self._unsendable: list[tuple[uuid.UUID, str]] = []
        self._lock = asyncio.Lock()
        self._timer: asyncio.TimerHandle | None = None
        self._timed: set[asyncio.Task[None]] = set()
        self._started = time.monotonic()

    def expect(
        self, channel: str, outgoing: Iterable[Outgoing[Any]], attempts: Mapping[uuid.UUID, int]
    ) -> None:
        """Deliveries about to be sent on `channel`, with the attempts answered before."""
        # a message lives until its occurrence's grace ends: its time is that end less the
        # grace (whole seconds: the TTL's own precision)
        due_base = self._now - self._settings.grace
        for item in outgoing:
            self._sending[item.delivery_id] = _Sending(
                channel,
                item.address.id,
                attempts.get(item.delivery_id, 0),
                due_base + dt.timedelta(seconds=item.message.ttl),
            )

    def unsendable(self, failures: Sequence[tuple[uuid.UUID, str]]) -> None:
        """Deliveries that will not be sent (their address was removed, they expired)."""
        self._unsendable.extend(failures)
        self._report.failed += len(failures)
        self._soon()

    async def add(self, result: Result) -> None:
        if self._journal is not None:
            self._journal.answered(result)
        self._results.append(result)
        if len(self._results) >= self._settings.record_every:
            await self.flush()
        else:
            self._soon()

    def _soon(self) -> None:
        if self._timer is None:
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(self._settings.record_seconds, self._flush_later)

    def _flush_later(self) -> None:
        self._timer = None
        task = asyncio.get_running_loop().create_task(self.flush())
        self._timed.add(task)
        task.add_done_callback(self._timed.discard)

    async def flush(self) -> None:
        """Write what has come back so far (waits for a write already under way)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        async with self._lock:
            results, self._results = self._results, []
            unsendable, self._unsendable = self._unsendable, []
            if results or unsendable:
                writes = self._classify(results, unsendable)
                await asyncio.to_thread(self._write, writes, self._leased)

    async def close(self) -> None:
        """Write everything left; raises what a timed write raised."""
        await self.flush()
        if self._timed:
            await asyncio.gather(*self._timed)

    def recover(self, orphan: Orphan) -> None:
        """Record what a dead dispatcher's journal says, for its deliveries still leased to
        its pass (whatever it committed itself, or another dispatcher took over, is left)."""
        ids = list(orphan.results)
        for start in range(0, len(ids), RECOVER_CHUNK):
            with self._factory() as session:
                rows = session.execute(
                    select(
                        Delivery.id, Delivery.channel, Delivery.address_id, Delivery.attempts
                    ).where(
                        Delivery.id.in_(ids[start : start + RECOVER_CHUNK]),
                        Delivery.status == "sending",
                        Delivery.claimed_until == orphan.leased,
                    )
                ).all()
                session.commit()
            known = [row for row in rows if row.channel in self._channels]
            for delivery_id, channel, address_id, attempts in known:
                self._sending[delivery_id] = _Sending(channel, address_id, attempts)
            if known:
                writes = self._classify([orphan.results[row.id] for row in known], [])
                self._write(writes, orphan.leased)

    def _classify(
        self, results: Sequence[Result], unsendable: Sequence[tuple[uuid.UUID, str]]
    ) -> _Writes:
        writes = _Writes()
        report, now = self._report, self._now
        answered: Counter[tuple[str, str]] = Counter()
        # the pass's `now` moved on by the time it has run: when these answers came back
        arrived = now + dt.timedelta(seconds=time.monotonic() - self._started)
        lags: list[tuple[str, float]] = []
        for delivery_id, reason in unsendable:
            writes.rows.append(self._row(delivery_id, "failed", None, reason, None, 0))
        for result in results:
            sending = self._sending.pop(result.delivery_id, None)
            if sending is None:  # a second answer for one delivery: a channel's bug
                log.error("dispatch: an answer for a delivery not sent (%s)", result.delivery_id)
                continue
            attempts = sending.attempts + 1
            if result.outcome is Outcome.SENT:
                writes.sent[result.status].append(result.delivery_id)
                if sending.address_id is not None:
                    writes.working[sending.channel].add(sending.address_id)
                report.sent += 1
                answered[(sending.channel, "sent")] += 1
                if sending.due is not None:
                    lags.append((sending.channel, (arrived - sending.due).total_seconds()))
                continue
            retry_at = None
            if result.outcome is Outcome.GONE:
                status = "gone"
                if sending.address_id is not None:
                    writes.gone[sending.channel].add(sending.address_id)
                report.gone += 1
            elif result.outcome is Outcome.FAILED or attempts >= self._settings.max_attempts:
                status = "failed"
                report.failed += 1
            else:
                status = "pending"
                wait = result.retry_after if result.retry_after else backoff(attempts)
                retry_at = now + dt.timedelta(seconds=wait)
                report.retried += 1
            writes.rows.append(
                self._row(result.delivery_id, status, result.status, result.detail, retry_at, 1)
            )
            answered[(sending.channel, "retry" if status == "pending" else status)] += 1
        meters.count_answers(answered, lags)
        return writes

    @staticmethod
    def _row(
        delivery_id: uuid.UUID,
        status: str,
        code: int | None,
        detail: str,
        retry_at: dt.datetime | None,
        answered: int,
    ) -> dict[str, Any]:
        return {
            "b_id": delivery_id,
            "b_status": status,
            "b_code": code,
            "b_error": detail[:300],
            "b_next": retry_at,
            "b_answered": answered,
        }

    def _write(self, writes: _Writes, leased: dt.datetime) -> None:
        now = self._now
        mine = (Delivery.claimed_until == leased,)
        done = {"claimed_until": None, "updated_at": now}
        with self._factory() as session, immediate_transactions():
            connection = session.connection()
            # the common case, accepted messages: one UPDATE per answer code, not one per row
            for code, ids in writes.sent.items():
                connection.execute(
                    update(Delivery)
                    .where(Delivery.id.in_(ids), *mine)
                    .values(
                        status="sent",
                        status_code=code,
                        attempts=Delivery.attempts + 1,
                        last_error="",
                        **done,
                    )
                )
            if writes.rows:
                connection.execute(
                    update(Delivery)
                    .where(Delivery.id == bindparam("b_id"), *mine)
                    .values(
                        status=bindparam("b_status"),
                        status_code=bindparam("b_code"),
                        last_error=bindparam("b_error"),
                        next_attempt_at=func.coalesce(
                            bindparam("b_next", type_=Delivery.next_attempt_at.type),
                            Delivery.next_attempt_at,
                        ),
                        attempts=Delivery.attempts + bindparam("b_answered"),
                        **done,
                    ),
                    writes.rows,
                )
            for kind in writes.working.keys() | writes.gone.keys():
                self._channels[kind].settle(
                    session, writes.working.get(kind, set()), writes.gone.get(kind, set()), now
                )
            session.commit()
