"""The dispatcher: claim due reminders in batches, decide each occurrence at send time, then
push the resulting deliveries concurrently and record every answer.

Claim, commit, then send: a claim is a lease (claimed_until) so a killed dispatcher's work
returns to the pool; decisions and the advance of next_fire_at commit together, so an
occurrence is decided once; deliveries are unique per (occurrence, subscription)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import logging
import os
import random
import time
import uuid
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, cast
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import and_, bindparam, delete, insert, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from hep.adherence import DayLog, Subject, load_logs, load_subjects
from hep.db import immediate_transactions
from hep.models import (
    Delivery,
    Habit,
    NotificationSettings,
    Occurrence,
    PushSubscription,
    Reminder,
    User,
)
from hep.push.endpoints import EndpointPolicy
from hep.push.keys import VapidKeys, load_vapid_keys
from hep.push.payload import reminder_payload, topic_for
from hep.push.sender import PushMessage, PushResult, PushSender
from hep.push.subscriptions import policy_from_config
from hep.reminders.rules import program_days, quiet_hours, rule_of, targeted_items
from hep.reminders.schedule import Rule, in_quiet_hours, next_occurrence, within_days
from hep.timezones import zone

log = logging.getLogger("hep.dispatch")

MAX_MISSED_RECORDED = 50  # per reminder per tick, so a long outage stays bounded
PAYLOAD_KINDS = {"program": "program", "habit": "habit", "none": "general"}
GC_YOUNG_THRESHOLD = 50_000


@dataclass(frozen=True)
class DispatchSettings:
    grace: dt.timedelta
    base_url: str
    vapid: VapidKeys
    subject: str
    policy: EndpointPolicy
    lease: dt.timedelta = dt.timedelta(minutes=2)
    batch: int = 500
    send_batch: int = 2000
    max_attempts: int = 5
    timeout: float = 10.0
    max_in_flight: int = 256

    @classmethod
    def from_app(cls, app: Flask, **overrides: Any) -> DispatchSettings:
        return cls.from_config(app.config, **overrides)

    @classmethod
    def from_config(cls, cfg: Mapping[str, Any], **overrides: Any) -> DispatchSettings:
        """From the app's settings (a worker process has them without a Flask app)."""
        values: dict[str, Any] = {
            "grace": dt.timedelta(minutes=cfg["REMINDER_GRACE_MINUTES"]),
            "base_url": cfg["BASE_URL"].rstrip("/"),
            "vapid": load_vapid_keys(cfg["VAPID_PRIVATE_KEY"]),
            "subject": cfg["VAPID_SUBJECT"],
            "policy": policy_from_config(cfg),
        }
        values.update(overrides)
        return cls(**values)

    @property
    def topic_secret(self) -> bytes:
        return self.vapid.derived_secret(b"push topic")


@dataclass
class TickReport:
    """What one pass did (picklable: worker processes send theirs to the scheduler)."""

    decided: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    sent: int = 0
    failed: int = 0
    retried: int = 0
    gone: int = 0

    def add(self, other: TickReport) -> None:
        self.decided += other.decided
        self.outcomes.update(other.outcomes)
        self.sent += other.sent
        self.failed += other.failed
        self.retried += other.retried
        self.gone += other.gone


# --- claiming --------------------------------------------------------------------------------


def claim_reminders(
    session: Session, now: dt.datetime, settings: DispatchSettings
) -> list[uuid.UUID]:
    """Lease up to a batch of due reminders; commits. Safe with several dispatchers."""
    due = (
        select(Reminder.id)
        .where(
            Reminder.next_fire_at <= now,
            or_(Reminder.claimed_until.is_(None), Reminder.claimed_until < now),
        )
        .order_by(Reminder.next_fire_at)
        .limit(settings.batch)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    with immediate_transactions():
        ids = list(
            session.scalars(
                update(Reminder)
                .where(Reminder.id.in_(due))
                .values(claimed_until=now + settings.lease)
                .returning(Reminder.id)
            )
        )
        session.commit()
    return ids


# --- deciding --------------------------------------------------------------------------------


class _Due(NamedTuple):
    """A claimed reminder: the columns deciding it needs (a row, not an ORM object)."""

    id: uuid.UUID
    owner_id: uuid.UUID
    target_kind: str
    habit_id: uuid.UUID | None
    program_id: uuid.UUID | None
    item_keys: list[str] | None
    rule_type: str
    times: list[str]
    weekdays: int
    every_minutes: int | None
    window_start: str | None
    window_end: str | None
    skip_if_done: bool
    paused_until: dt.date | None
    next_fire_at: dt.datetime | None


_DUE_COLUMNS = [getattr(Reminder, name) for name in _Due._fields]


class _Schedules:
    """rule_of and next_occurrence (pure) remembered for one batch: reminders due at the same
    moment often share a rule and a zone (every "08:00 daily" in Europe/Berlin)."""

    def __init__(self) -> None:
        self._rules: dict[tuple[Any, ...], Rule] = {}
        self._next: dict[tuple[Rule, str, dt.datetime], dt.datetime] = {}

    def rule(self, reminder: _Due) -> Rule:
        key = (
            reminder.rule_type,
            tuple(reminder.times or ()),
            reminder.weekdays,
            reminder.every_minutes,
            reminder.window_start,
            reminder.window_end,
        )
        rule = self._rules.get(key)
        if rule is None:
            # rule_of reads only these columns, which a _Due row has under the same names
            rule = self._rules[key] = rule_of(cast(Reminder, reminder))
        return rule

    def next(self, rule: Rule, tz: ZoneInfo, after: dt.datetime) -> dt.datetime:
        key = (rule, tz.key, after)
        found = self._next.get(key)
        if found is None:
            found = self._next[key] = next_occurrence(rule, tz, after)
        return found


class _Owner(NamedTuple):
    id: uuid.UUID
    timezone: str
    is_active: bool


class _Subscription(NamedTuple):
    id: uuid.UUID
    user_id: uuid.UUID
    endpoint: str
    p256dh: str
    auth: str


@dataclass
class _Context:
    """Everything the decisions of one batch need, loaded in a fixed number of queries (plain
    rows, not ORM objects, where a batch has one per reminder)."""

    owners: dict[uuid.UUID, _Owner]
    settings: dict[uuid.UUID, NotificationSettings]
    subscriptions: dict[uuid.UUID, list[_Subscription]]
    sent_today: dict[tuple[uuid.UUID, dt.date], int]
    # pushes already made for these owners at these moments (an earlier batch) take the rest
    pushes: dict[tuple[uuid.UUID, dt.datetime], uuid.UUID]
    logs: dict[uuid.UUID, dict[tuple[uuid.UUID, dt.date], DayLog]]
    habits: dict[uuid.UUID, Habit]
    # the items each program reminder is about (Subject.due_on says when one is due)
    program_items: dict[uuid.UUID, list[Subject]]


def _load_context(
    session: Session, reminders: Sequence[_Due], now: dt.datetime, grace: dt.timedelta
) -> _Context:
    owner_ids = list({r.owner_id for r in reminders})
    # Two dispatchers deciding the same owner at once would each miss the other's pushes (cap,
    # grouping): on PostgreSQL the owners' rows are locked, in id order so no two passes
    # deadlock, and the reads below see what an earlier pass committed. (SQLite: the
    # transaction is IMMEDIATE already; FOR UPDATE is not rendered there.)
    owners = {
        row.id: row
        for row in map(
            _Owner._make,
            session.execute(
                select(User.id, User.timezone, User.is_active)
                .where(User.id.in_(owner_ids))
                .order_by(User.id)
                .with_for_update(key_share=True)
            ),
        )
    }
    # the local days of every occurrence this batch may send: nothing older than the grace
    # window is sent, so its day is the earliest whose pushes (cap) and logs (skip) matter
    earliest = max(min(r.next_fire_at or now for r in reminders), now - grace)
    lo = min(earliest.astimezone(zone(u.timezone)).date() for u in owners.values())
    hi = max(now.astimezone(zone(u.timezone)).date() for u in owners.values())
    subscriptions: dict[uuid.UUID, list[_Subscription]] = defaultdict(list)
    for sub in map(
        _Subscription._make,
        session.execute(
            select(
                PushSubscription.id,
                PushSubscription.user_id,
                PushSubscription.endpoint,
                PushSubscription.p256dh,
                PushSubscription.auth,
            ).where(PushSubscription.user_id.in_(owner_ids))
        ),
    ):
        subscriptions[sub.user_id].append(sub)
    # one read of these owners' recent pushes serves both the daily cap and the grouping
    moments = {r.next_fire_at for r in reminders if r.next_fire_at}
    sent_today: dict[tuple[uuid.UUID, dt.date], int] = defaultdict(int)
    pushes: dict[tuple[uuid.UUID, dt.datetime], uuid.UUID] = {}
    for owner, day, fire_at, occurrence_id in session.execute(
        select(Occurrence.owner_id, Occurrence.local_date, Occurrence.fire_at, Occurrence.id).where(
            Occurrence.owner_id.in_(owner_ids),
            Occurrence.local_date.between(lo, hi),
            Occurrence.outcome == "sent",
        )
    ):
        sent_today[(owner, day)] += 1
        if fire_at in moments:
            pushes[(owner, fire_at)] = occurrence_id
    targeted = [r for r in reminders if r.skip_if_done and r.target_kind != "none"]
    logs = load_logs(session, [r.owner_id for r in targeted], lo, hi) if targeted else {}
    habit_ids = [r.habit_id for r in targeted if r.habit_id]
    habits = (
        {h.id: h for h in session.scalars(select(Habit).where(Habit.id.in_(habit_ids)))}
        if habit_ids
        else {}
    )
    # every program reminder, skip-if-done or not: none fires on a day nothing of it is due
    prescribed = {r.owner_id for r in reminders if r.program_id}
    subjects = (
        load_subjects(session, list(prescribed), {o: owners[o].timezone for o in prescribed})
        if prescribed
        else {}
    )
    program_items = {
        r.id: targeted_items(subjects.get(r.owner_id, []), r.program_id, r.item_keys)
        for r in reminders
        if r.program_id
    }
    settings = {
        s.user_id: s
        for s in session.scalars(
            select(NotificationSettings).where(NotificationSettings.user_id.in_(owner_ids))
        )
    }
    return _Context(
        owners, settings, subscriptions, sent_today, pushes, logs, habits, program_items
    )


def due_items(reminder: _Due, ctx: _Context, day: dt.date) -> list[tuple[Subject, int]]:
    """What of a program reminder's items is due on the day, with its sessions: as Today."""
    due = ((item, item.due_on(day)) for item in ctx.program_items.get(reminder.id, []))
    return [(item, sessions) for item, sessions in due if sessions]


def already_done(reminder: _Due, ctx: _Context, day: dt.date) -> bool:
    """Skip-if-done, decided now: is what this reminder is about already logged for the day?"""
    logs = ctx.logs.get(reminder.owner_id, {})
    if reminder.habit_id is not None:
        habit = ctx.habits.get(reminder.habit_id)
        entry = logs.get((reminder.habit_id, day))
        if habit is None or entry is None:
            return False
        if entry.skipped:
            return True
        if habit.target is not None and habit.direction == "at_least" and entry.has_value:
            return entry.total_value >= habit.target
        return entry.done >= 1 and habit.direction != "at_most"
    if reminder.program_id is not None:
        for item, sessions in due_items(reminder, ctx, day):
            entry = logs.get((item.id, day))
            if entry is None or not (entry.skipped or entry.done >= sessions):
                return False
        return True
    return False


def _decide(reminder: _Due, ctx: _Context, fire_at: dt.datetime) -> str:
    owner = ctx.owners[reminder.owner_id]
    tz = zone(owner.timezone)
    day = fire_at.astimezone(tz).date()
    if not owner.is_active:
        return "paused"
    if reminder.paused_until is not None and day <= reminder.paused_until:
        return "paused"
    if reminder.program_id is not None and not due_items(reminder, ctx, day):
        return "not_due"  # not started, ended, or nothing of it on this weekday
    if reminder.skip_if_done and already_done(reminder, ctx, day):
        return "done"
    settings = ctx.settings.get(owner.id)
    quiet = quiet_hours(settings)
    if quiet is not None and in_quiet_hours(quiet, tz, fire_at):
        return "quiet"
    cap = settings.daily_cap if settings is not None else 8
    if ctx.sent_today.get((owner.id, day), 0) >= cap:
        return "capped"
    if not ctx.subscriptions.get(owner.id):
        return "no_subscription"
    return "sent"


def decide_batch(
    session: Session,
    ids: Sequence[uuid.UUID],
    now: dt.datetime,
    settings: DispatchSettings,
    report: TickReport,
) -> list[Claimed]:
    """Decide every occurrence of the claimed reminders up to now; record them, create the
    deliveries, advance next_fire_at and release the claims, all in one commit.

    The deliveries are created leased to the caller (status 'sending', first attempt counted)
    and returned ready to send, so the pass that decided them sends them without claiming them
    again; if it never does (killed), the lease expires and any dispatcher sends them."""
    # one IMMEDIATE transaction on SQLite: it reads, then writes
    with immediate_transactions():
        return _decide_batch(session, ids, now, settings, report)


def _time_ordered_id() -> uuid.UUID:
    """A UUIDv7 (RFC 9562: 48-bit Unix milliseconds, then 74 random bits). Occurrences and
    deliveries are written in bulk; with time-ordered keys their primary-key (and unique)
    index inserts land on the newest index pages instead of dirtying a random page per row."""
    value = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(os.urandom(10))
    value = value & ~(0xF << 76) | 0x7 << 76  # version 7
    value = value & ~(0x3 << 62) | 0x2 << 62  # RFC 9562 variant
    return uuid.UUID(int=value)


def _decide_batch(
    session: Session,
    ids: Sequence[uuid.UUID],
    now: dt.datetime,
    settings: DispatchSettings,
    report: TickReport,
) -> list[Claimed]:
    reminders = [
        _Due._make(row)
        for row in session.execute(select(*_DUE_COLUMNS).where(Reminder.id.in_(ids)))
    ]
    if not reminders:
        session.commit()
        return []
    ctx = _load_context(session, reminders, now, settings.grace)
    # A pass that outlived its lease may have lost claims to another dispatcher, which decides
    # those reminders instead (two deciders would record one occurrence twice). The claims
    # still ours are locked from here to the commit; the owners are locked first, as above.
    leased = now + settings.lease
    ours = set(
        session.scalars(
            select(Reminder.id)
            .where(Reminder.id.in_(ids), Reminder.claimed_until == leased)
            .with_for_update(key_share=True)
        )
    )
    reminders = [r for r in reminders if r.id in ours]
    occurrences: list[dict[str, Any]] = []
    deliveries: list[dict[str, Any]] = []
    claimed: list[Claimed] = []
    advanced: list[dict[str, Any]] = []
    pushes = ctx.pushes
    schedules = _Schedules()
    for reminder in sorted(reminders, key=lambda r: (r.owner_id, r.next_fire_at or now)):
        owner = ctx.owners[reminder.owner_id]
        tz = zone(owner.timezone)
        rule = schedules.rule(reminder)
        fire_at = reminder.next_fire_at
        missed = 0
        while fire_at is not None and fire_at <= now:
            day = fire_at.astimezone(tz).date()
            occurrence_id = _time_ordered_id()
            if now - fire_at > settings.grace:
                outcome = "missed"
                missed += 1
            else:
                outcome = _decide(reminder, ctx, fire_at)
            push_id: uuid.UUID | None = None
            if outcome == "sent":
                group = (owner.id, fire_at)
                if group in pushes:
                    outcome, push_id = "grouped", pushes[group]
                else:
                    push_id = pushes[group] = occurrence_id
                    ctx.sent_today[(owner.id, day)] = ctx.sent_today.get((owner.id, day), 0) + 1
                    expires_at = fire_at + settings.grace
                    for sub in ctx.subscriptions[owner.id]:
                        delivery_id = _time_ordered_id()
                        deliveries.append(
                            {
                                "id": delivery_id,
                                "occurrence_id": occurrence_id,
                                "subscription_id": sub.id,
                                "status": "sending",
                                "attempts": 1,
                                "last_error": "",
                                "next_attempt_at": now,
                                "claimed_until": leased,
                                "expires_at": expires_at,
                                "created_at": now,
                                "updated_at": now,
                            }
                        )
                        claimed.append(
                            Claimed(
                                delivery_id,
                                1,
                                expires_at,
                                sub.id,
                                sub.endpoint,
                                sub.p256dh,
                                sub.auth,
                                occurrence_id,
                                reminder.id,
                                reminder.target_kind,
                            )
                        )
            if outcome != "missed" or missed <= MAX_MISSED_RECORDED:
                occurrences.append(
                    {
                        "id": occurrence_id,
                        "reminder_id": reminder.id,
                        "owner_id": owner.id,
                        "fire_at": fire_at,
                        "local_date": day,
                        "outcome": outcome,
                        "push_id": push_id,
                        "decided_at": now,
                    }
                )
            report.outcomes[outcome] += 1
            # after a long outage jump to the grace window instead of walking every slot
            after = fire_at if missed < MAX_MISSED_RECORDED else max(fire_at, now - settings.grace)
            fire_at = schedules.next(rule, tz, after)
        if reminder.program_id is not None and fire_at is not None:
            # asleep until its program starts; never again once it has ended
            days = program_days(ctx.program_items[reminder.id])
            fire_at = within_days(rule, tz, fire_at, *days) if days else None
        advanced.append({"b_id": reminder.id, "b_next": fire_at})
        report.decided += 1
    # Core executemany on the session's connection: the ORM's bulk paths cost more Python
    # per row than the database spends on it
    connection = session.connection()
    if occurrences:
        connection.execute(insert(Occurrence), occurrences)
    if deliveries:
        connection.execute(insert(Delivery), deliveries)
    if advanced:
        connection.execute(
            update(Reminder)
            .where(Reminder.id == bindparam("b_id"))
            .values(next_fire_at=bindparam("b_next"), claimed_until=None),
            advanced,
        )
    session.commit()
    return claimed


# --- sending ---------------------------------------------------------------------------------


class Claimed(NamedTuple):
    """A leased delivery and what sending it needs: one row of the claim query (no ORM
    objects: loading three entities per delivery cost more than the push itself)."""

    id: uuid.UUID
    attempts: int
    expires_at: dt.datetime
    subscription_id: uuid.UUID | None
    endpoint: str | None
    p256dh: str | None
    auth: str | None
    occurrence_id: uuid.UUID
    reminder_id: uuid.UUID
    target_kind: str | None


def claim_deliveries(
    session: Session, now: dt.datetime, settings: DispatchSettings
) -> list[Claimed]:
    """Lease a batch of deliveries due for an attempt (including ones a killed dispatcher
    left in 'sending' past their lease); commits."""
    due = (
        select(Delivery.id)
        .where(
            or_(
                and_(Delivery.status == "pending", Delivery.next_attempt_at <= now),
                and_(Delivery.status == "sending", Delivery.claimed_until < now),
            )
        )
        .order_by(Delivery.next_attempt_at)
        .limit(settings.send_batch)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    with immediate_transactions():
        ids = list(
            session.scalars(
                update(Delivery)
                .where(Delivery.id.in_(due))
                .values(
                    status="sending",
                    claimed_until=now + settings.lease,
                    attempts=Delivery.attempts + 1,
                    updated_at=now,
                )
                .returning(Delivery.id)
            )
        )
        session.commit()
    if not ids:
        return []
    rows = session.execute(
        select(
            Delivery.id,
            Delivery.attempts,
            Delivery.expires_at,
            PushSubscription.id,
            PushSubscription.endpoint,
            PushSubscription.p256dh,
            PushSubscription.auth,
            Occurrence.id,
            Occurrence.reminder_id,
            Reminder.target_kind,
        )
        .select_from(Delivery)
        .outerjoin(PushSubscription, PushSubscription.id == Delivery.subscription_id)
        .join(Occurrence, Occurrence.id == Delivery.occurrence_id)
        .outerjoin(Reminder, Reminder.id == Occurrence.reminder_id)
        .where(Delivery.id.in_(ids))
    ).all()
    session.commit()
    return [Claimed._make(row) for row in rows]


def _backoff(attempts: int) -> float:
    base: float = min(3600.0, 30.0 * 2 ** (attempts - 1))
    return base * random.uniform(0.8, 1.2)


def build_messages(
    claimed: Sequence[Claimed], now: dt.datetime, settings: DispatchSettings
) -> tuple[list[PushMessage], list[dict[str, Any]]]:
    """Messages to send, and updates for deliveries that cannot be sent any more."""
    messages, finished = [], []
    secret = settings.topic_secret
    for delivery in claimed:
        if delivery.endpoint is None or now >= delivery.expires_at:
            finished.append(
                {
                    "id": delivery.id,
                    "status": "failed",
                    "claimed_until": None,
                    "updated_at": now,
                    "last_error": "subscription removed"
                    if delivery.endpoint is None
                    else "expired before sending",
                }
            )
            continue
        assert delivery.p256dh is not None and delivery.auth is not None
        kind = PAYLOAD_KINDS.get(delivery.target_kind or "none", "general")
        occurrence = delivery.occurrence_id.hex
        payload = reminder_payload(
            occurrence_id=occurrence,
            reminder_id=delivery.reminder_id.hex,
            kind=kind,
            navigate_url=f"{settings.base_url}/#/check-in/{occurrence}",
        )
        ttl = max(60, int((delivery.expires_at - now).total_seconds()))
        messages.append(
            PushMessage(
                key=str(delivery.id),
                endpoint=delivery.endpoint,
                p256dh=delivery.p256dh,
                auth=delivery.auth,
                payload=payload,
                ttl=ttl,
                urgency="normal",
                topic=topic_for(occurrence, secret),
            )
        )
    return messages, finished


def record_results(
    session: Session,
    claimed: Sequence[Claimed],
    results: Sequence[PushResult],
    finished: list[dict[str, Any]],
    now: dt.datetime,
    settings: DispatchSettings,
    report: TickReport,
) -> None:
    by_key = {str(d.id): d for d in claimed}
    updates = list(finished)
    report.failed += len(finished)
    # the common case, accepted pushes, is one UPDATE per HTTP status instead of one per row
    accepted: dict[int | None, list[uuid.UUID]] = defaultdict(list)
    gone_subscriptions = set()
    delivered_subscriptions = set()
    for result in results:
        delivery = by_key[result.key]
        if result.ok:
            accepted[result.status].append(delivery.id)
            report.sent += 1
            if delivery.subscription_id is not None:
                delivered_subscriptions.add(delivery.subscription_id)
            continue
        row: dict[str, Any] = {
            "id": delivery.id,
            "http_status": result.status,
            "claimed_until": None,
            "updated_at": now,
            "last_error": (result.error or "")[:300],
        }
        if result.gone:
            row["status"] = "gone"
            report.gone += 1
            if delivery.subscription_id is not None:
                gone_subscriptions.add(delivery.subscription_id)
        elif result.permanent or delivery.attempts >= settings.max_attempts:
            row["status"] = "failed"
            report.failed += 1
            if result.status in (401, 403, 413):
                log.error("push %s refused with %s: %s", delivery.id, result.status, result.error)
        else:
            wait = result.retry_after if result.retry_after else _backoff(delivery.attempts)
            row["status"] = "pending"
            row["next_attempt_at"] = now + dt.timedelta(seconds=wait)
            report.retried += 1
        updates.append(row)
    # no session objects to keep in sync: evaluating IN (...) against them is O(n^2)
    unsynchronized = {"synchronize_session": False}
    with immediate_transactions():
        for status, ids in accepted.items():
            session.execute(
                update(Delivery)
                .where(Delivery.id.in_(ids))
                .values(
                    status="sent",
                    http_status=status,
                    claimed_until=None,
                    updated_at=now,
                    last_error="",
                )
                .execution_options(**unsynchronized)
            )
        if updates:
            session.execute(update(Delivery), updates)
        if delivered_subscriptions:
            session.execute(
                update(PushSubscription)
                .where(PushSubscription.id.in_(delivered_subscriptions))
                .values(last_success_at=now)
                .execution_options(**unsynchronized)
            )
        if gone_subscriptions:
            session.execute(
                delete(PushSubscription)
                .where(PushSubscription.id.in_(gone_subscriptions))
                .execution_options(**unsynchronized)
            )
        session.commit()


@dataclass
class _SendBatch:
    """A claimed batch whose pushes are in flight."""

    sending: asyncio.Task[list[PushResult]]
    claimed: list[Claimed]
    finished: list[dict[str, Any]]


Stop = Callable[[], bool]


def _never() -> bool:
    return False


class _Pipeline:
    """Batches in flight, at most `depth`: the next batch is decided (or claimed) and queued
    while earlier ones are on the wire, so the pipe does not drain between batches and memory
    stays bounded however many are due."""

    def __init__(
        self,
        sender: PushSender,
        factory: sessionmaker[Session],
        now: dt.datetime,
        settings: DispatchSettings,
        report: TickReport,
        depth: int = 2,
    ) -> None:
        self.sender, self.factory, self.now = sender, factory, now
        self.settings, self.report, self.depth = settings, report, depth
        self.in_flight: deque[_SendBatch] = deque()

    async def push(self, claimed: list[Claimed]) -> None:
        """Start sending `claimed`; then wait while more than depth - 1 batches are ahead."""
        if claimed:
            messages, finished = build_messages(claimed, self.now, self.settings)
            sending = asyncio.create_task(self.sender.send_many(messages))
            self.in_flight.append(_SendBatch(sending, claimed, finished))
        await self.drain(self.depth - 1)

    async def drain(self, keep: int = 0) -> None:
        while len(self.in_flight) > keep:
            batch = self.in_flight.popleft()
            results = await batch.sending
            await asyncio.to_thread(self._record, batch, results)

    def _record(self, batch: _SendBatch, results: list[PushResult]) -> None:
        with self.factory() as session:
            record_results(
                session,
                batch.claimed,
                results,
                batch.finished,
                self.now,
                self.settings,
                self.report,
            )

    # Database work runs in a thread: pushes in flight keep being answered and sent while it
    # waits (for SQLite's one write lock, when several dispatchers share it) or works.

    def decide_next(self) -> list[Claimed] | None:
        """Claim and decide the next batch of due reminders; None when none is left."""
        with self.factory() as session:
            ids = claim_reminders(session, self.now, self.settings)
            if not ids:
                return None
            return decide_batch(session, ids, self.now, self.settings, self.report)

    def claim_next(self) -> list[Claimed] | None:
        """Claim the next batch of deliveries due for an attempt; None when none is left."""
        with self.factory() as session:
            return claim_deliveries(session, self.now, self.settings) or None


async def _pass(
    factory: sessionmaker[Session],
    now: dt.datetime,
    settings: DispatchSettings,
    report: TickReport,
    stop: Stop,
) -> None:
    async with PushSender(
        settings.vapid,
        subject=settings.subject,
        policy=settings.policy,
        timeout=settings.timeout,
        max_in_flight=settings.max_in_flight,
    ) as sender:
        pipeline = _Pipeline(sender, factory, now, settings, report)
        try:
            # due reminders: each batch's pushes go out as soon as its decisions commit; then
            # deliveries due for an attempt: retries, and any a killed dispatcher left leased
            for step in (pipeline.decide_next, pipeline.claim_next):
                while not stop() and (claimed := await asyncio.to_thread(step)) is not None:
                    await pipeline.push(claimed)
        finally:
            # what is in flight is recorded even when stopping (bounded by the timeout)
            await pipeline.drain()


@contextlib.contextmanager
def _young_collections_every(allocations: int) -> Iterator[None]:
    """A tick allocates millions of short-lived objects; at CPython's default (a young
    collection every 700 allocations) the full collections this triggers walk the app's
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
    with _young_collections_every(GC_YOUNG_THRESHOLD):
        asyncio.run(_pass(factory, now, settings, report, stop))
    return report


def log_report(report: TickReport, processes: int = 1) -> None:
    """One line for a tick that did something."""
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
