"""Email reminder digests: an email delivery is held until the patient's next digest time (a
few chosen local times a day, moved out of quiet hours), so the reminders of the hours between
go out together in one mail. When a digest is due, each occurrence it would mention is asked
again whether it is still worth telling (`decisions.unwanted`: done, paused, no longer due);
those that are not are dropped, and a digest with nothing left sends nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session, aliased

from hep.errors import Invalid
from hep.metrics import meters
from hep.models import Delivery, NotificationSettings, Occurrence, Reminder, User
from hep.models.reminders import DEFAULT_DIGEST_TIMES
from hep.reminders.claims import ClaimedDelivery
from hep.reminders.decisions import DUE_COLUMNS, Context, Due, Owner, unwanted
from hep.reminders.passes import DispatchSettings
from hep.reminders.schedule import (
    TimesRule,
    next_occurrence,
    parse_time,
    quiet_hours,
    quiet_hours_end,
)
from hep.timezones import zone
from hep.translations import _

DIGEST_CHANNELS = frozenset({"email"})
"""Channels whose deliveries wait for the owner's digest times."""
_INSTANT = dt.timedelta(microseconds=1)


def digest_times(stored: str | None) -> tuple[dt.time, ...]:
    """The stored "HH:MM,HH:MM" as sorted times (the defaults when none is stored)."""
    times = {parse_time(t) for t in (stored or DEFAULT_DIGEST_TIMES).split(",") if t}
    return tuple(sorted(times or map(parse_time, DEFAULT_DIGEST_TIMES.split(","))))


def stored_times(times: Iterable[dt.time]) -> str:
    return ",".join(sorted({t.strftime("%H:%M") for t in times}))


def next_digest(times: Sequence[dt.time], quiet: Any, tz: Any, fire_at: dt.datetime) -> dt.datetime:
    """The first digest moment at or after `fire_at` (aware UTC). One that falls in quiet
    hours (`hep.reminders.schedule.QuietHours`, or None) waits for their end, so several
    digest times in the night make one mail in the morning, never more mails."""
    at = next_occurrence(TimesRule.of(times), tz, fire_at - _INSTANT)
    return quiet_hours_end(quiet, tz, at) if quiet is not None else at


class Digests:
    """When a batch's email deliveries go: each owner's digest times, read once per batch
    for the owners a digest channel reaches."""

    def __init__(self, session: Session, ctx: Context) -> None:
        self._ctx = ctx
        owners = [
            owner
            for owner, reach in ctx.reach.items()
            if any(kind in DIGEST_CHANNELS for kind, _second in reach)
        ]
        self._times: dict[uuid.UUID, tuple[dt.time, ...]] = {}
        if owners:
            rows = session.execute(
                select(NotificationSettings.user_id, NotificationSettings.email_digest_times).where(
                    NotificationSettings.user_id.in_(owners)
                )
            )
            self._times = {user_id: digest_times(stored) for user_id, stored in rows}

    def hold(
        self, row: dict[str, Any], owner_id: uuid.UUID, fire_at: dt.datetime, grace: dt.timedelta
    ) -> None:
        """Make a new delivery row wait for the owner's next digest: pending until then
        (the pass's claim of due deliveries sends it, in this pass if that moment has come),
        and useful until the grace window after it."""
        owner = self._ctx.owners[owner_id]
        quiet = quiet_hours(self._ctx.settings.get(owner_id))
        times = self._times.get(owner_id) or digest_times(None)
        at = next_digest(times, quiet, zone(owner.timezone), fire_at)
        row.update(status="pending", next_attempt_at=at, claimed_until=None, expires_at=at + grace)


def choose_times(
    session: Session,
    user_id: uuid.UUID,
    timezone: str,
    settings: NotificationSettings,
    times: Sequence[dt.time],
    now: dt.datetime,
) -> None:
    """A patient's new digest times (each once; the schema bounds how many). Email reminders
    already waiting for a digest move to the new times (none earlier than now). Flushes."""
    if len(set(times)) != len(times):
        raise Invalid.field("email_digest_times", _("Email times: each time once."))
    settings.email_digest_times = stored_times(times)
    quiet = quiet_hours(settings)
    tz = zone(timezone)
    waiting = session.execute(
        select(Delivery.id, Delivery.next_attempt_at, Delivery.expires_at, Occurrence.fire_at)
        .join(Occurrence, Occurrence.id == Delivery.occurrence_id)
        .where(
            Occurrence.owner_id == user_id,
            Delivery.channel.in_(DIGEST_CHANNELS),
            Delivery.status == "pending",
            Delivery.attempts == 0,
        )
    ).all()
    for delivery_id, was, expires_at, fire_at in waiting:
        at = max(next_digest(digest_times(settings.email_digest_times), quiet, tz, fire_at), now)
        session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id, Delivery.status == "pending")
            .values(next_attempt_at=at, expires_at=expires_at + (at - was), updated_at=now)
            .execution_options(synchronize_session=False)
        )
    session.flush()


class _Member(NamedTuple):
    """An occurrence a held delivery would tell of: the one it was made for (the carrier)
    and those grouped into it."""

    carrier: uuid.UUID
    id: uuid.UUID
    reminder_id: uuid.UUID
    fire_at: dt.datetime
    local_date: dt.date


def recheck(
    session: Session,
    claimed: Sequence[ClaimedDelivery],
    now: dt.datetime,
    settings: DispatchSettings,
) -> list[ClaimedDelivery]:
    """The claimed deliveries still worth sending. A digest channel's delivery is kept while
    any occurrence it tells of (its own, or one grouped into it) is still wanted, and then
    speaks of the first such (a grouped reminder counts once); otherwise it is dropped, and
    when no other channel carried its occurrence, the occurrences say why (done, paused,
    not_due). Flushes; the caller commits."""
    held = [d for d in claimed if d.channel in DIGEST_CHANNELS]
    if not held:
        return list(claimed)
    members = _members(session, {d.occurrence_id for d in held})
    ctx = _context(session, members, now, settings)
    wanted: dict[uuid.UUID, _Member] = {}
    why: dict[uuid.UUID, str] = {}  # each member's outcome, when it is not wanted
    for carrier, group in members.items():
        for member in group:
            due = ctx.due.get(member.reminder_id)
            outcome = "not_due" if due is None else unwanted(due, ctx.context, member.local_date)
            if outcome is None:
                wanted[carrier] = member
                break
            why[member.id] = outcome
    kept: list[ClaimedDelivery] = []
    dropped: dict[uuid.UUID, str] = {}
    for delivery in claimed:
        if delivery.channel not in DIGEST_CHANNELS:
            kept.append(delivery)
        elif (told := wanted.get(delivery.occurrence_id)) is not None:
            kept.append(
                delivery._replace(
                    occurrence_id=told.id,
                    reminder_id=told.reminder_id,
                    target_kind=ctx.due[told.reminder_id].target_kind,
                    fire_at=told.fire_at,
                )
            )
        else:
            dropped[delivery.id] = why.get(delivery.occurrence_id, "not_due")
    if dropped:
        _drop(session, held, dropped, members, why, now, now + settings.lease)
    return kept


def _members(session: Session, carriers: Collection[uuid.UUID]) -> dict[uuid.UUID, list[_Member]]:
    """Each carrier's occurrences, itself first: grouped ones share its owner and moment
    (read through the owner's occurrences of the day, which are indexed)."""
    carrier = aliased(Occurrence)
    rows = session.execute(
        select(
            carrier.id,
            Occurrence.id,
            Occurrence.reminder_id,
            Occurrence.fire_at,
            Occurrence.local_date,
        )
        .join(
            Occurrence,
            and_(
                Occurrence.owner_id == carrier.owner_id,
                Occurrence.local_date == carrier.local_date,
                Occurrence.push_id == carrier.id,
            ),
        )
        .where(carrier.id.in_(carriers))
    )
    found: dict[uuid.UUID, list[_Member]] = defaultdict(list)
    for member in map(_Member._make, rows):
        found[member.carrier].append(member)
    for group in found.values():
        group.sort(key=lambda m: (m.id != m.carrier, m.reminder_id))
    return found


class _Loaded(NamedTuple):
    due: dict[uuid.UUID, Due]
    context: Context


def _context(
    session: Session,
    members: dict[uuid.UUID, list[_Member]],
    now: dt.datetime,
    settings: DispatchSettings,
) -> _Loaded:
    """What deciding the members again needs, loaded as the dispatcher loads a batch (the
    days from the oldest member's on)."""
    from hep.reminders.batches import load_context

    everyone = [m for group in members.values() for m in group]
    due = {
        row.id: row
        for row in map(
            Due._make,
            session.execute(
                select(*DUE_COLUMNS).where(Reminder.id.in_({m.reminder_id for m in everyone}))
            ),
        )
    }
    owners = {
        row.id: row
        for row in map(
            Owner._make,
            session.execute(
                select(User.id, User.timezone, User.is_active).where(
                    User.id.in_({r.owner_id for r in due.values()})
                )
            ),
        )
    }
    reminders = [r for r in due.values() if r.owner_id in owners]
    if not reminders:
        return _Loaded({}, Context(owners, {}, {}, {}, {}, {}, {}, {}))
    since = min(m.local_date for m in everyone)
    context = load_context(session, reminders, owners, now, settings.grace, (), since=since)
    return _Loaded({r.id: r for r in reminders}, context)


def _drop(
    session: Session,
    held: Sequence[ClaimedDelivery],
    dropped: dict[uuid.UUID, str],
    members: dict[uuid.UUID, list[_Member]],
    why: dict[uuid.UUID, str],
    now: dt.datetime,
    leased: dt.datetime,
) -> None:
    by_outcome: dict[str, list[uuid.UUID]] = defaultdict(list)
    for delivery_id, outcome in dropped.items():
        by_outcome[outcome].append(delivery_id)
    for outcome, ids in by_outcome.items():
        session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids), Delivery.claimed_until == leased)
            .values(status="dropped", last_error=outcome, claimed_until=None, updated_at=now)
            .execution_options(synchronize_session=False)
        )
    # an occurrence no other delivery carries was, in the end, not sent: say why
    carriers = {d.occurrence_id for d in held if d.id in dropped}
    carried = set(
        session.scalars(
            select(Delivery.occurrence_id).where(
                Delivery.occurrence_id.in_(carriers), Delivery.status != "dropped"
            )
        )
    )
    outcomes: dict[str, list[uuid.UUID]] = defaultdict(list)
    for carrier in carriers - carried:
        for member in members.get(carrier, ()):
            if member.id in why:
                outcomes[why[member.id]].append(member.id)
    for outcome, ids in outcomes.items():
        session.execute(
            update(Occurrence)
            .where(Occurrence.id.in_(ids))
            .values(outcome=outcome)
            .execution_options(synchronize_session=False)
        )
    counted: Counter[tuple[str, str]] = Counter()
    for delivery in held:
        if delivery.id in dropped:
            counted[(delivery.channel, "dropped")] += 1
    meters.count_answers(counted, [])
