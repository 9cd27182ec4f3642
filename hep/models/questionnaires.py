"""Outcome measures: questionnaires therapists build, the plans that schedule a measure for
a patient (a baseline, then every few weeks), and the patient's answers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hep.db import Base, UTCDateTime, new_id

# psfs: Patient-Specific Functional Scale; nprs: the 0-10 numeric pain rating; custom: built
INSTRUMENTS = ("psfs", "nprs", "custom")
QUESTION_TYPES = ("scale", "single", "multiple", "text")


class Questionnaire(Base):
    """A therapist's own questionnaire. Its questions never change once built (answers name
    them by key); a changed one is a new questionnaire. Kept, without an owner, while a plan
    uses it after its author deleted their account."""

    __tablename__ = "questionnaires"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(120))
    instructions: Mapped[str] = mapped_column(Text, default="")
    # [{"key": "q1", "type": "scale", "text": ..., "required": true, ...}]
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_questionnaires_owner_id", "owner_id"),)


class MeasurePlan(Base):
    """A measure scheduled for a patient: due on `first_due` (the baseline), then every
    `every_weeks` weeks, until it is ended."""

    __tablename__ = "measure_plans"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    instrument: Mapped[str] = mapped_column(String(8))
    questionnaire_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("questionnaires.id", ondelete="RESTRICT")
    )
    every_weeks: Mapped[int] = mapped_column(Integer)
    first_due: Mapped[dt.date] = mapped_column(Date)
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_measure_plans_patient_id", "patient_id"),
        Index("ix_measure_plans_questionnaire_id", "questionnaire_id"),
    )


class MeasureResponse(Base):
    """The patient's answers for one due date of a plan, and their score (PSFS: the mean of
    the activities; pain: the rating; custom: the mean of its 0-10 scales, if any)."""

    __tablename__ = "measure_responses"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("measure_plans.id", ondelete="CASCADE"))
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    due_on: Mapped[dt.date] = mapped_column(Date)
    answered_on: Mapped[dt.date] = mapped_column(Date)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    score: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        # one answer per due date (the idempotent PUT's key)
        UniqueConstraint("plan_id", "due_on", name="uq_measure_responses_slot"),
        # a patient's scores over time (charts, the printable summary)
        Index("ix_measure_responses_patient_id_answered_on", "patient_id", "answered_on"),
    )
