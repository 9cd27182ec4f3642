"""Check-ins (the adherence log), their edit trail, and the daily pain diary."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hep.db import Base, UTCDateTime, new_id

STATES = ("done", "partial", "skipped")
SOURCES = ("app", "notification", "offline")
SKIP_REASONS = ("pain", "no_time", "forgot", "unwell", "away", "unsure_how", "other")


class CheckIn(Base):
    """One logged session of a program item, or one day's entry for a habit.

    `client_id` is the phone's UUID: unique per owner, so a retry finds the same row and another
    user's id never touches it. A deleted check-in keeps its row as a tombstone so a late replay
    cannot bring it back."""

    __tablename__ = "check_ins"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    client_id: Mapped[uuid.UUID] = mapped_column()
    item_key: Mapped[uuid.UUID | None] = mapped_column()
    habit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("habits.id", ondelete="CASCADE"))
    local_date: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(8))
    value: Mapped[float | None] = mapped_column(Float)
    skip_reason: Mapped[str | None] = mapped_column(String(16))
    pain: Mapped[int | None] = mapped_column(Integer)
    difficulty: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(16), default="app")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("owner_id", "client_id", name="uq_check_ins_owner_client"),
        # today and adherence: one owner's check-ins over a date range
        Index("ix_check_ins_owner_id_local_date", "owner_id", "local_date"),
        # the patient list's "last activity": newest check-in per owner, one index probe each
        Index("ix_check_ins_owner_id_updated_at", "owner_id", "updated_at"),
    )


class CheckInEdit(Base):
    """Append-only trail: what a check-in was before and after each change."""

    __tablename__ = "check_in_edits"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    check_in_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("check_ins.id", ondelete="CASCADE"))
    editor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(8))  # "create" | "edit" | "delete"
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_check_in_edits_check_in_id", "check_in_id"),)


class PainEntry(Base):
    """The daily pain diary: one entry per patient and local date (PUT replaces it)."""

    __tablename__ = "pain_entries"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    local_date: Mapped[dt.date] = mapped_column(Date)
    score: Mapped[int] = mapped_column(Integer)
    regions: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("owner_id", "local_date", name="uq_pain_entries_day"),)
