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
import random
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from flask import Flask
from sqlalchemy import and_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from hep.adherence import DayLog, load_logs
from hep.db import Database, immediate_transactions
from hep.models import (
    Delivery,
    Habit,
    NotificationSettings,
    Occurrence,
    Program,
    ProgramItem,
    ProgramVersion,
    PushSubscription,
    Reminder,
    User,
)
from hep.push.endpoints import EndpointPolicy
from hep.push.keys import VapidKeys, load_vapid_keys
from hep.push.payload import reminder_payload, topic_for
from hep.push.sender import PushMessage, PushResult, PushSender
from hep.push.subscriptions import policy_from_config
from hep.reminders.rules import quiet_hours, rule_of
from hep.reminders.schedule import in_quiet_hours, next_occurrence
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
        cfg = app.config
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
    decided: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    sent: int = 0
    failed: int = 0
    retried: int = 0
    gone: int = 0


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


@dataclass
class _Context:
    """Everything the decisions of one batch need, loaded in a fixed number of queries."""

    owners: dict[uuid.UUID, User]
    settings: dict[uuid.UUID, NotificationSettings]
    subscriptions: dict[uuid.UUID, list[PushSubscription]]
    sent_today: dict[tuple[uuid.UUID, dt.date], int]
    logs: dict[uuid.UUID, dict[tuple[uuid.UUID, dt.date], DayLog]]
    habits: dict[uuid.UUID, Habit]
    program_items: dict[uuid.UUID, list[ProgramItem]]


def _load_context(session: Session, reminders: Sequence[Reminder], now: dt.datetime) -> _Context:
    owner_ids = list({r.owner_id for r in reminders})
    owners = {u.id: u for u in session.scalars(select(User).where(User.id.in_(owner_ids)))}
    days = {owner: now.astimezone(zone(u.timezone)).date() for owner, u in owners.items()}
    lo, hi = min(days.values()) - dt.timedelta(days=1), max(days.values())
    subscriptions: dict[uuid.UUID, list[PushSubscription]] = defaultdict(list)
    for sub in session.scalars(
        select(PushSubscription).where(PushSubscription.user_id.in_(owner_ids))
    ):
        subscriptions[sub.user_id].append(sub)
    sent_today = {
        (owner, day): count
        for owner, day, count in session.execute(
            select(Occurrence.owner_id, Occurrence.local_date, func.count())
            .where(
                Occurrence.owner_id.in_(owner_ids),
                Occurrence.local_date.between(lo, hi),
                Occurrence.outcome == "sent",
            )
            .group_by(Occurrence.owner_id, Occurrence.local_date)
        )
    }
    targeted = [r for r in reminders if r.skip_if_done and r.target_kind != "none"]
    logs = load_logs(session, [r.owner_id for r in targeted], lo, hi) if targeted else {}
    habit_ids = [r.habit_id for r in targeted if r.habit_id]
    habits = {h.id: h for h in session.scalars(select(Habit).where(Habit.id.in_(habit_ids)))}
    program_ids = [r.program_id for r in targeted if r.program_id]
    program_items: dict[uuid.UUID, list[ProgramItem]] = defaultdict(list)
    if program_ids:
        for program_id, item in session.execute(
            select(Program.id, ProgramItem)
            .join(
                ProgramVersion,
                and_(
                    ProgramVersion.program_id == Program.id,
                    ProgramVersion.version == Program.current_version,
                ),
            )
            .join(ProgramItem, ProgramItem.version_id == ProgramVersion.id)
            .where(Program.id.in_(program_ids))
        ):
            program_items[program_id].append(item)
    settings = {
        s.user_id: s
        for s in session.scalars(
            select(NotificationSettings).where(NotificationSettings.user_id.in_(owner_ids))
        )
    }
    return _Context(owners, settings, subscriptions, sent_today, logs, habits, program_items)


def already_done(reminder: Reminder, ctx: _Context, day: dt.date) -> bool:
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
        wanted = set(reminder.item_keys or [])
        due = [
            item
            for item in ctx.program_items.get(reminder.program_id, [])
            if item.weekdays & (1 << day.weekday()) and (not wanted or str(item.item_key) in wanted)
        ]
        if not due:
            return True  # nothing of it is due today
        for item in due:
            entry = logs.get((item.item_key, day))
            if entry is None or not (entry.skipped or entry.done >= item.times_per_day):
                return False
        return True
    return False


def _decide(reminder: Reminder, ctx: _Context, fire_at: dt.datetime) -> str:
    owner = ctx.owners[reminder.owner_id]
    tz = zone(owner.timezone)
    day = fire_at.astimezone(tz).date()
    if not owner.is_active:
        return "paused"
    if reminder.paused_until is not None and day <= reminder.paused_until:
        return "paused"
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
) -> None:
    """Decide every occurrence of the claimed reminders up to now; record them, create the
    deliveries, advance next_fire_at and release the claims, all in one commit."""
    # one IMMEDIATE transaction on SQLite: it reads, then writes
    with immediate_transactions():
        _decide_batch(session, ids, now, settings, report)


def _decide_batch(
    session: Session,
    ids: Sequence[uuid.UUID],
    now: dt.datetime,
    settings: DispatchSettings,
    report: TickReport,
) -> None:
    reminders = list(session.scalars(select(Reminder).where(Reminder.id.in_(ids))))
    if not reminders:
        return
    ctx = _load_context(session, reminders, now)
    occurrences: list[dict[str, Any]] = []
    deliveries: list[dict[str, Any]] = []
    advanced: list[dict[str, Any]] = []
    # pushes already made for these owners at these moments (an earlier batch) take the rest
    pushes: dict[tuple[uuid.UUID, dt.datetime], uuid.UUID] = {
        (owner, fire_at): push_id
        for owner, fire_at, push_id in session.execute(
            select(Occurrence.owner_id, Occurrence.fire_at, Occurrence.id).where(
                Occurrence.owner_id.in_(list(ctx.owners)),
                Occurrence.outcome == "sent",
                Occurrence.fire_at.in_({r.next_fire_at for r in reminders if r.next_fire_at}),
            )
        )
    }
    for reminder in sorted(reminders, key=lambda r: (r.owner_id, r.next_fire_at or now)):
        owner = ctx.owners[reminder.owner_id]
        tz = zone(owner.timezone)
        rule = rule_of(reminder)
        fire_at = reminder.next_fire_at
        missed = 0
        while fire_at is not None and fire_at <= now:
            day = fire_at.astimezone(tz).date()
            occurrence_id = uuid.uuid4()
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
                    for sub in ctx.subscriptions[owner.id]:
                        deliveries.append(
                            {
                                "id": uuid.uuid4(),
                                "occurrence_id": occurrence_id,
                                "subscription_id": sub.id,
                                "status": "pending",
                                "attempts": 0,
                                "last_error": "",
                                "next_attempt_at": now,
                                "expires_at": fire_at + settings.grace,
                                "created_at": now,
                                "updated_at": now,
                            }
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
            fire_at = next_occurrence(rule, tz, after)
        advanced.append({"b_id": reminder.id, "b_next": fire_at})
        report.decided += 1
    # Core executemany on the session's connection: the ORM's bulk paths cost more Python
    # per row than the database spends on it
    connection = session.connection()
    if occurrences:
        connection.execute(insert(Occurrence), occurrences)
    if deliveries:
        connection.execute(insert(Delivery), deliveries)
    connection.execute(
        update(Reminder)
        .where(Reminder.id == bindparam("b_id"))
        .values(next_fire_at=bindparam("b_next"), claimed_until=None),
        advanced,
    )
    session.commit()


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


async def _send_all(
    factory: sessionmaker[Session],
    now: dt.datetime,
    settings: DispatchSettings,
    report: TickReport,
) -> None:
    async with PushSender(
        settings.vapid,
        subject=settings.subject,
        policy=settings.policy,
        timeout=settings.timeout,
        max_in_flight=settings.max_in_flight,
    ) as sender:
        # two batches at a time: the next batch is claimed and queued behind the one in
        # flight, so the pipe does not drain while a batch's last answers come back
        previous: _SendBatch | None = None
        while True:
            with factory() as session:
                claimed = claim_deliveries(session, now, settings)
            current: _SendBatch | None = None
            if claimed:
                messages, finished = build_messages(claimed, now, settings)
                sending = asyncio.create_task(sender.send_many(messages))
                current = _SendBatch(sending, claimed, finished)
            if previous is not None:
                results = await previous.sending
                with factory() as session:
                    record_results(
                        session, previous.claimed, results, previous.finished, now, settings, report
                    )
            if current is None:
                return
            previous = current


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
    factory: sessionmaker[Session], now: dt.datetime, settings: DispatchSettings
) -> TickReport:
    """One full pass: decide everything due, then send every delivery due. Idempotent."""
    with _young_collections_every(GC_YOUNG_THRESHOLD):
        return _run_once(factory, now, settings)


def _run_once(
    factory: sessionmaker[Session], now: dt.datetime, settings: DispatchSettings
) -> TickReport:
    report = TickReport()
    while True:
        with factory() as session:
            ids = claim_reminders(session, now, settings)
            if not ids:
                break
            decide_batch(session, ids, now, settings, report)
    asyncio.run(_send_all(factory, now, settings, report))
    return report


def dispatch_tick(app: Flask, now: dt.datetime) -> None:
    """The scheduler's tick (every few seconds)."""
    if not app.config["VAPID_PRIVATE_KEY"]:
        log.warning("no VAPID key: run `hep init`; reminders are not dispatched")
        return
    report = run_once(Database.sessionmaker(app), now, DispatchSettings.from_app(app))
    if report.decided or report.sent or report.failed:
        log.info(
            "dispatch: %d reminders decided %s; %d sent, %d retried, %d failed, %d gone",
            report.decided,
            dict(report.outcomes),
            report.sent,
            report.retried,
            report.failed,
            report.gone,
        )


TICKS = [("dispatch", 5, dispatch_tick)]
