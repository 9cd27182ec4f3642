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
    as_of: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    percent_7_days: Mapped[float | None] = mapped_column(Float)
    percent_prev_7_days: Mapped[float | None] = mapped_column(Float)
    pain_trend: Mapped[str] = mapped_column(String(8))
    last_activity_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
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
