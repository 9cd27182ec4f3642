"""Reminders as rows: the rule, the next instant it fires, and every decision taken on it."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from hep.db import Base, UTCDateTime, new_id

# what became of one occurrence; everything but "sent" is a decision not to push
OUTCOMES = (
    "sent",
    "grouped",  # shown in another reminder's push of the same moment
    "done",  # skip-if-done: already logged today
    "not_due",  # a program reminder on a day nothing of it is due (not started, ended, weekday)
    "paused",
    "quiet",
    "capped",
    "missed",  # found later than the grace window (downtime)
    "no_subscription",
)


class Reminder(Base):
    __tablename__ = "reminders"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    proposed_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    label: Mapped[str] = mapped_column(String(120), default="")
    target_kind: Mapped[str] = mapped_column(String(8))  # "habit" | "program" | "none"
    habit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("habits.id", ondelete="CASCADE"))
    program_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE")
    )
    item_keys: Mapped[list[str] | None] = mapped_column(JSON)  # part of a program, or all
    rule_type: Mapped[str] = mapped_column(String(8))  # "times" | "interval"
    times: Mapped[list[str]] = mapped_column(JSON, default=list)  # ["08:00", "18:30"]
    weekdays: Mapped[int] = mapped_column(Integer, default=0b1111111)  # bit 0 = Monday
    every_minutes: Mapped[int | None] = mapped_column(Integer)
    window_start: Mapped[str | None] = mapped_column(String(5))
    window_end: Mapped[str | None] = mapped_column(String(5))
    skip_if_done: Mapped[bool] = mapped_column(Boolean, default=True)
    paused_until: Mapped[dt.date | None] = mapped_column(Date)
    pause_reason: Mapped[str] = mapped_column(String(200), default="")
    next_fire_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # a dispatcher's lease; a killed dispatcher's claims expire and return to the pool
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        # the dispatch tick: reminders due now (next_fire_at <= now), oldest first
        Index("ix_reminders_next_fire_at", "next_fire_at"),
        Index("ix_reminders_owner_id", "owner_id"),
    )


# what an account has until its owner changes it: stored for new accounts, and what an
# account without a row is answered and decided by (quiet at night, a few pushes a day)
DEFAULT_QUIET_START = "22:00"
DEFAULT_QUIET_END = "07:00"
DEFAULT_DAILY_CAP = 8
DEFAULT_DIGEST_TIMES = "08:00,18:00"
MAX_DIGEST_TIMES = 4  # email reminders come together at most this many times a day


class NotificationSettings(Base):
    """Per user: quiet hours (local, may wrap midnight) and a daily cap of pushes."""

    __tablename__ = "notification_settings"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    quiet_start: Mapped[str | None] = mapped_column(String(5))
    quiet_end: Mapped[str | None] = mapped_column(String(5))
    daily_cap: Mapped[int] = mapped_column(Integer, default=DEFAULT_DAILY_CAP)
    # email reminders: off, always, or fallback (while no push subscription works), mailed
    # together at these local times ("HH:MM,HH:MM"; hep.reminders.digests)
    email_reminders: Mapped[str] = mapped_column(String(8), default="off", server_default="off")
    email_digest_times: Mapped[str] = mapped_column(
        String(24), default=DEFAULT_DIGEST_TIMES, server_default=DEFAULT_DIGEST_TIMES
    )
    # "You have a new message" by email too (hep.notices)
    email_notices: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # a therapist's attention alerts: a push as a patient enters the list, and/or one email a
    # day at alert_time (local), the next of which is alert_digest_at (the alerts tick)
    alert_push: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    alert_email: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    alert_time: Mapped[str] = mapped_column(String(5), default="08:00", server_default="08:00")
    alert_digest_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    @classmethod
    def first_for(cls, user_id: uuid.UUID) -> NotificationSettings:
        """The row an account starts with: the defaults."""
        return cls(
            user_id=user_id,
            quiet_start=DEFAULT_QUIET_START,
            quiet_end=DEFAULT_QUIET_END,
            daily_cap=DEFAULT_DAILY_CAP,
        )


class PushSubscription(Base):
    __tablename__ = "push_subscriptions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    endpoint: Mapped[str] = mapped_column(Text)
    p256dh: Mapped[str] = mapped_column(String(100))
    auth: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    last_success_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        # an endpoint belongs to one user: re-registering by another never steals it
        UniqueConstraint("endpoint", name="uq_push_subscriptions_endpoint"),
        Index("ix_push_subscriptions_user_id", "user_id"),
    )


class Occurrence(Base):
    """One firing of one reminder and what was decided about it."""

    __tablename__ = "reminder_occurrences"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    reminder_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reminders.id", ondelete="CASCADE"))
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    fire_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    local_date: Mapped[dt.date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(16))
    # the occurrence whose push carried this one (grouping), else itself
    push_id: Mapped[uuid.UUID | None] = mapped_column()
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("reminder_id", "fire_at", name="uq_reminder_occurrences_fire"),
        # the daily cap and the history view: an owner's occurrences by day
        Index("ix_reminder_occurrences_owner_id_local_date", "owner_id", "local_date"),
    )


class Delivery(Base):
    """One message of one occurrence to one address on one channel (a push subscription, an
    email address): how nothing is lost or sent twice."""

    __tablename__ = "deliveries"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    occurrence_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("reminder_occurrences.id", ondelete="CASCADE")
    )
    channel: Mapped[str] = mapped_column(String(8))  # "push" | "email" (hep.channels)
    # the channel's address row (no foreign key: each channel has its own table, and a
    # delivery outlives its address); null only for deliveries made before channels whose
    # subscription was already removed
    address_id: Mapped[uuid.UUID | None] = mapped_column()
    # pending | sending | sent | failed | gone | dropped (a digest found it done meanwhile)
    status: Mapped[str] = mapped_column(String(8))
    # answers recorded (a claim a killed dispatcher never answered does not count)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    status_code: Mapped[int | None] = mapped_column(Integer)  # HTTP status, SMTP reply code
    last_error: Mapped[str] = mapped_column(String(300), default="")
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("occurrence_id", "channel", "address_id", name="uq_deliveries_once"),
        # the send tick: pending deliveries whose attempt is due
        Index("ix_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
    )
