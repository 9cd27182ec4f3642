"""A claimed batch decided: its reminders locked and read, what deciding them needs loaded in
a fixed number of queries, and the decisions written in one commit (occurrences, the first
deliveries, next_fire_at, the claims released). The deliveries come back leased to the pass
that decided them, ready to send; if it never sends them (killed), their lease runs out and
any dispatcher does."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from hep.adherence import load_logs, load_subjects
from hep.channels import Address, Channel, Outgoing
from hep.db import immediate_transactions
from hep.models import Delivery, Habit, NotificationSettings, Occurrence, Reminder, User
from hep.pause_periods import load_periods
from hep.reminders.decisions import (
    DUE_COLUMNS,
    Context,
    Due,
    Owner,
    OwnerSettings,
    Schedules,
    message_for,
    occurrences_due,
    time_ordered_id,
)
from hep.reminders.digests import DIGEST_CHANNELS, Digests
from hep.reminders.passes import DispatchSettings, TickReport
from hep.reminders.prompts import ASKING, Asks, load_asks
from hep.reminders.schedule import program_days, targeted_items, within_days
from hep.timezones import zone

Ready = dict[str, list[Outgoing[Any]]]
"""Deliveries ready to send, by channel kind."""


def decide_batch(
    session: Session,
    ids: Sequence[uuid.UUID],
    now: dt.datetime,
    settings: DispatchSettings,
    channels: Sequence[Channel[Any]],
    report: TickReport,
) -> Ready:
    """Decide every occurrence of the claimed reminders up to now, in one transaction
    (IMMEDIATE on SQLite: it reads, then writes), and return the deliveries to send."""
    with immediate_transactions():
        return _decide_batch(session, ids, now, settings, channels, report)


def _lock(
    session: Session, ids: Sequence[uuid.UUID], leased: dt.datetime
) -> tuple[dict[uuid.UUID, Owner], list[Due]]:
    """The owners, then the reminders still claimed by this pass, locked until the commit
    and read under the lock.

    Owners: two dispatchers deciding the same owner at once would each miss the other's
    messages (cap, grouping); locked in id order, so no two passes deadlock, and reads after
    see what an earlier pass committed. Reminders: a pass that outlived its lease may have
    lost claims to another dispatcher (two deciders would record one occurrence twice), and
    a reminder edited while this pass decides must not get this pass's next_fire_at from
    the rule as it was: its columns are read by the locking statement itself, so an edit
    that committed first is what is decided, and a later one waits for this commit. (SQLite:
    the transaction is IMMEDIATE; FOR UPDATE is not rendered there.)"""
    owner_ids = set(
        session.scalars(
            select(Reminder.owner_id).where(Reminder.id.in_(ids), Reminder.claimed_until == leased)
        )
    )
    if not owner_ids:
        return {}, []
    owners = {
        row.id: row
        for row in map(
            Owner._make,
            session.execute(
                select(User.id, User.timezone, User.is_active)
                .where(User.id.in_(owner_ids))
                .order_by(User.id)
                .with_for_update(key_share=True)
            ),
        )
    }
    reminders = [
        Due._make(row)
        for row in session.execute(
            select(*DUE_COLUMNS)
            .where(Reminder.id.in_(ids), Reminder.claimed_until == leased)
            .order_by(Reminder.id)
            .with_for_update(key_share=True)
        )
    ]
    return owners, [r for r in reminders if r.owner_id in owners]


def load_context(
    session: Session,
    reminders: Sequence[Due],
    owners: dict[uuid.UUID, Owner],
    now: dt.datetime,
    grace: dt.timedelta,
    channels: Sequence[Channel[Any]],
    since: dt.date | None = None,
) -> Context:
    """Everything the batch's decisions need: plain rows, not ORM objects, where a batch has
    one per reminder. `since`: the first day that matters, when not the batch's own."""
    owner_ids = list(owners)
    # the local days of every occurrence this batch may send: nothing older than the grace
    # window is sent, so its day is the earliest whose messages (cap) and logs (skip) matter
    earliest = max(min(r.next_fire_at or now for r in reminders), now - grace)
    lo = since or min(earliest.astimezone(zone(u.timezone)).date() for u in owners.values())
    hi = max(now.astimezone(zone(u.timezone)).date() for u in owners.values())
    reach: dict[uuid.UUID, list[tuple[str, Address]]] = defaultdict(list)
    for channel in channels:
        for owner, addresses in channel.addresses(session, owner_ids).items():
            reach[owner].extend((channel.kind, address) for address in addresses)
    # one read of these owners' recent messages serves both the daily cap and the grouping
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
    targeted = [r for r in reminders if r.skip_if_done and r.target_kind in ("habit", "program")]
    logs = load_logs(session, [r.owner_id for r in targeted], lo, hi) if targeted else {}
    habit_ids = [r.habit_id for r in targeted if r.habit_id]
    habits = (
        {h.id: h for h in session.scalars(select(Habit).where(Habit.id.in_(habit_ids)))}
        if habit_ids
        else {}
    )
    # pauses of the whole account: unwell or away sends nothing, others keep some items
    pauses = load_periods(session, owner_ids)
    # every program reminder, skip-if-done or not: none fires on a day nothing of it is due
    prescribed = {r.owner_id for r in reminders if r.program_id}
    subjects = (
        load_subjects(
            session, list(prescribed), {o: owners[o].timezone for o in prescribed}, pauses
        )
        if prescribed
        else {}
    )
    program_items = {
        r.id: targeted_items(subjects.get(r.owner_id, []), r.program_id, r.item_keys)
        for r in reminders
        if r.program_id
    }
    settings = {
        row[0]: OwnerSettings(*row[1:])
        for row in session.execute(
            select(
                NotificationSettings.user_id,
                NotificationSettings.quiet_start,
                NotificationSettings.quiet_end,
                NotificationSettings.daily_cap,
            ).where(NotificationSettings.user_id.in_(owner_ids))
        )
    }
    asking = [(r.owner_id, r.target_kind) for r in reminders if r.target_kind in ASKING]
    asks = (
        load_asks(session, asking, {o: owners[o].timezone for o, _ in asking}, lo, hi)
        if asking
        else Asks()
    )
    return Context(
        owners, settings, reach, sent_today, pushes, logs, habits, program_items, asks, pauses
    )


def _decide_batch(
    session: Session,
    ids: Sequence[uuid.UUID],
    now: dt.datetime,
    settings: DispatchSettings,
    channels: Sequence[Channel[Any]],
    report: TickReport,
) -> Ready:
    leased = now + settings.lease
    owners, reminders = _lock(session, ids, leased)
    if not reminders:
        session.commit()
        return {}
    ctx = load_context(session, reminders, owners, now, settings.grace, channels)
    occurrences: list[dict[str, Any]] = []
    deliveries: list[dict[str, Any]] = []
    ready: Ready = defaultdict(list)
    advanced: list[dict[str, Any]] = []
    schedules = Schedules()
    digests = Digests(session, ctx)
    for reminder in sorted(reminders, key=lambda r: (r.owner_id, r.next_fire_at or now)):
        decisions, fire_at = occurrences_due(reminder, ctx, now, settings.grace, schedules)
        for decision in decisions:
            report.outcomes[decision.outcome] += 1
            if not decision.recorded:
                continue
            occurrences.append(
                {
                    "id": decision.occurrence_id,
                    "reminder_id": reminder.id,
                    "owner_id": reminder.owner_id,
                    "fire_at": decision.fire_at,
                    "local_date": decision.day,
                    "outcome": decision.outcome,
                    "push_id": decision.push_id,
                    "decided_at": now,
                }
            )
            if decision.outcome != "sent":
                continue
            expires_at = decision.fire_at + settings.grace
            message = message_for(
                decision.occurrence_id,
                reminder.id,
                reminder.target_kind,
                expires_at,
                now,
                settings.base_url,
            )
            for kind, address in ctx.reach[reminder.owner_id]:
                delivery_id = time_ordered_id()
                row = {
                    "id": delivery_id,
                    "occurrence_id": decision.occurrence_id,
                    "channel": kind,
                    "address_id": address.id,
                    "status": "sending",
                    "attempts": 0,
                    "last_error": "",
                    "next_attempt_at": now,
                    "claimed_until": leased,
                    "expires_at": expires_at,
                    "created_at": now,
                    "updated_at": now,
                }
                deliveries.append(row)
                if kind in DIGEST_CHANNELS:
                    digests.hold(row, reminder.owner_id, decision.fire_at, settings.grace)
                else:
                    ready[kind].append(Outgoing(delivery_id, address, message))
        if reminder.program_id is not None and fire_at is not None:
            # asleep until its program starts; never again once it has ended
            tz = zone(ctx.owners[reminder.owner_id].timezone)
            days = program_days(ctx.program_items[reminder.id])
            rule = schedules.rule(reminder)
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
    connection.execute(
        update(Reminder)
        .where(Reminder.id == bindparam("b_id"))
        .values(next_fire_at=bindparam("b_next"), claimed_until=None),
        advanced,
    )
    session.commit()
    return ready
