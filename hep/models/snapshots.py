"""Adherence snapshots: a patient's figures as of one local day and one data version."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hep.db import Base, UTCDateTime


class AdherenceSnapshot(Base):
    """What the therapist's list and the adherence screens read; recomputed when stale.

    Fresh while `basis` equals the patient's users.stats_version and `valid_until` (the next
    local midnight) is in the future."""

    __tablename__ = "adherence_snapshots"

    patient_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    basis: Mapped[int] = mapped_column(Integer)
    # what this hep computes into a snapshot (hep.snapshots.FORMAT): one an older hep wrote
    # is stale, so columns added since are never read empty
    format: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    as_of: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    percent_7_days: Mapped[float | None] = mapped_column(Float)
    percent_prev_7_days: Mapped[float | None] = mapped_column(Float)
    pain_trend: Mapped[str] = mapped_column(String(8))
    last_activity_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # the pause in force on as_of (hep.pauses), and the latest acknowledgement of alerts
    pause_mode: Mapped[str | None] = mapped_column(String(10))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # since when each attention reason holds (null: it does not), hep.attention.REASONS
    not_logging_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    pain_rising_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    adherence_falling_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    low_adherence_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    high_pain_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    exercise_pain_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    too_hard_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    pain_skips_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    unreachable_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    flare_up_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    step_back_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    progress_ready_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # the full adherence document (as served), filled the first time someone opens it
    document: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ScoreCheckpoint(Base):
    """Where each of a patient's strength and streak walks stood at the start of `day`, so a
    recompute walks only the weeks since (hep.adherence). Valid while the prescription is the
    one `fingerprint` names; a check-in written for a day before `day` deletes it."""

    __tablename__ = "score_checkpoints"

    patient_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[dt.date] = mapped_column(Date)
    fingerprint: Mapped[str] = mapped_column(String(64))
    # subject id -> [strength (unrounded), current streak, best streak]
    walks: Mapped[dict[str, Any]] = mapped_column(JSON)
