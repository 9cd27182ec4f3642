"""Weekly check-ins: the patient's look back at a week (figures, barriers, confidence) and
the day and time each patient is asked."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hep.db import Base, UTCDateTime, new_id
from hep.models.checkins import SKIP_REASONS

# what got in the way: a skipped session's reasons (same codes, same meaning) and motivation
BARRIERS = ("no_time", "pain", "forgot", "motivation", "unsure_how", "away", "unwell", "other")
assert set(SKIP_REASONS) <= set(BARRIERS)

DEFAULT_WEEKDAY = 7  # Sunday (ISO: Monday is 1)
DEFAULT_TIME = "19:00"


class WeeklyReviewSchedule(Base):
    """When a patient is asked about their week (local weekday and time), and the reminder
    that asks (null once they removed it). Made on first use."""

    __tablename__ = "weekly_review_schedules"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    weekday: Mapped[int] = mapped_column(Integer, default=DEFAULT_WEEKDAY)
    time: Mapped[str] = mapped_column(String(5), default=DEFAULT_TIME)
    reminder_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("reminders.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class WeeklyReview(Base):
    """One week's check-in: the 7 local days ending on `week_end`. The plan and what the logs
    held are the server's figures when it was answered; `sessions_done` and `habits_met` are
    the patient's own count (prefilled from the logs)."""

    __tablename__ = "weekly_reviews"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    week_end: Mapped[dt.date] = mapped_column(Date)
    sessions_planned: Mapped[int] = mapped_column(Integer)
    sessions_logged: Mapped[float] = mapped_column(Float)
    sessions_done: Mapped[int] = mapped_column(Integer)
    habits_planned: Mapped[int] = mapped_column(Integer)
    habits_logged: Mapped[int] = mapped_column(Integer)
    habits_met: Mapped[int] = mapped_column(Integer)
    barriers: Mapped[list[str]] = mapped_column(JSON, default=list)
    barrier_note: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    # one per week (the idempotent PUT's key); also a patient's reviews over a range
    __table_args__ = (UniqueConstraint("owner_id", "week_end", name="uq_weekly_reviews_week"),)
