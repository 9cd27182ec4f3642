"""Claiming: leases on due reminders and on deliveries due for an attempt. A lease
(`claimed_until`) lets several dispatchers share the work (`FOR UPDATE SKIP LOCKED` on
PostgreSQL, conditional updates under SQLite's one writer) and returns a killed one's work to
the pool when it runs out."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from typing import NamedTuple

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from hep.db import immediate_transactions
from hep.models import Delivery, Occurrence, Reminder
from hep.reminders.passes import DispatchSettings


def claim_reminders(
    session: Session, now: dt.datetime, settings: DispatchSettings
) -> list[uuid.UUID]:
    """Lease up to a batch of due reminders; commits."""
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


class ClaimedDelivery(NamedTuple):
    """A leased delivery and what sending it again needs: one row of the claim query (no ORM
    objects: loading three entities per delivery cost more than the push itself)."""

    id: uuid.UUID
    channel: str
    address_id: uuid.UUID | None
    attempts: int
    expires_at: dt.datetime
    occurrence_id: uuid.UUID
    reminder_id: uuid.UUID
    target_kind: str | None
    fire_at: dt.datetime


def claim_deliveries(
    session: Session, now: dt.datetime, settings: DispatchSettings, channels: Collection[str]
) -> list[ClaimedDelivery]:
    """Lease up to a send batch of deliveries on these channels due for an attempt: retries,
    and ones a killed dispatcher left leased (that attempt was never answered, so it is not
    counted: `attempts` counts answers). Commits."""
    due = (
        select(Delivery.id)
        .where(
            Delivery.channel.in_(channels),
            or_(
                and_(Delivery.status == "pending", Delivery.next_attempt_at <= now),
                and_(Delivery.status == "sending", Delivery.claimed_until < now),
            ),
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
                .values(status="sending", claimed_until=now + settings.lease, updated_at=now)
                .returning(Delivery.id)
            )
        )
        session.commit()
    if not ids:
        return []
    rows = session.execute(
        select(
            Delivery.id,
            Delivery.channel,
            Delivery.address_id,
            Delivery.attempts,
            Delivery.expires_at,
            Occurrence.id,
            Occurrence.reminder_id,
            Reminder.target_kind,
            Occurrence.fire_at,
        )
        .select_from(Delivery)
        .join(Occurrence, Occurrence.id == Delivery.occurrence_id)
        .outerjoin(Reminder, Reminder.id == Occurrence.reminder_id)
        .where(Delivery.id.in_(ids))
    ).all()
    session.commit()
    return [ClaimedDelivery._make(row) for row in rows]
