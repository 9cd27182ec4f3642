"""Pain-aware care: pauses of the whole account, acknowledgements of attention alerts, and
the thresholds behind the attention list (clinic-wide defaults, per-patient overrides)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from hep.db import Base, UTCDateTime, new_id

PAUSE_MODES = ("flare_up", "unwell", "away", "busy")
"""flare_up: only items kept during a flare-up are due; unwell, away: nothing is due;
busy: only items marked as the minimum dose are due (hep.pauses)."""


class Pause(Base):
    """A pause of the whole account over local days [first_day, last_day] (open-ended while
    last_day is null). Pauses of one patient never overlap: a new one ends the one before.
    Ending a pause early keeps the row (its last day moves, ended_at says when)."""

    __tablename__ = "pauses"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    mode: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(String(300), default="")
    first_day: Mapped[dt.date] = mapped_column(Date)
    last_day: Mapped[dt.date | None] = mapped_column(Date)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    started_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    # a patient's pauses, for Today, the due rule and adherence
    __table_args__ = (Index("ix_pauses_patient_id_first_day", "patient_id", "first_day"),)


class Acknowledgement(Base):
    """A therapist saw a patient's attention reasons and says what they did: the patient
    leaves the top of the list until something new happens (hep.attention). Kept as the
    patient's alert history."""

    __tablename__ = "acknowledgements"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    therapist_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    therapist_name: Mapped[str] = mapped_column(String(120))
    note: Mapped[str] = mapped_column(Text, default="")
    # the reasons shown when it was acknowledged
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    # a patient's latest acknowledgement (snapshots) and their history
    __table_args__ = (Index("ix_acknowledgements_patient_id_at", "patient_id", "at"),)


class ClinicCareRules(Base):
    """A clinic's defaults for its patients' attention thresholds (only those it sets; hep's
    own for the rest), and the words shown to a patient who logs high pain."""

    __tablename__ = "clinic_care_rules"

    clinic_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("clinics.id", ondelete="CASCADE"), primary_key=True
    )
    rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    pain_advice: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class PatientCareRules(Base):
    """One patient's overrides of the thresholds, set by a therapist of the team, and whether
    hep may apply progressions and regressions by itself."""

    __tablename__ = "patient_care_rules"

    patient_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    auto_progress: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    auto_regress: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
