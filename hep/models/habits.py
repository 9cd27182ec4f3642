"""Habits: the lifestyle work around a program (movement, hydration, sleep, stress, posture)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hep.db import Base, UTCDateTime, new_id

HABIT_KINDS = ("movement", "hydration", "sleep", "stress", "posture", "custom")


class Habit(Base):
    __tablename__ = "habits"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    suggested_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    # numeric habits have a target: at_least 8 glasses, at_most 3 long sitting bouts
    target: Mapped[float | None] = mapped_column(Float)
    direction: Mapped[str | None] = mapped_column(String(8))  # "at_least" | "at_most"
    unit: Mapped[str] = mapped_column(String(24), default="")
    weekdays: Mapped[int] = mapped_column(Integer, default=0b1111111)
    per_week: Mapped[int | None] = mapped_column(Integer)  # "n times per week" instead of weekdays
    start_date: Mapped[dt.date | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_habits_owner_id", "owner_id"),)
