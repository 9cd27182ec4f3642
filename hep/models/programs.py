"""Programs: a therapist's prescription for one patient, versioned; and reusable templates."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

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
)
from sqlalchemy.orm import Mapped, mapped_column

from hep.db import Base, UTCDateTime, new_id

ALL_WEEKDAYS = 0b1111111  # bit 0 = Monday … bit 6 = Sunday


class Program(Base):
    """The patient's durable link: its id never changes; edits add versions."""

    __tablename__ = "programs"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    therapist_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    # today / adherence / patient list: a patient's programs
    __table_args__ = (Index("ix_programs_patient_id", "patient_id"),)


class ProgramVersion(Base):
    __tablename__ = "program_versions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    program_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(120))
    notes: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    change_note: Mapped[str] = mapped_column(String(300), default="")
    # what a patient who logs high pain is told to do, in the therapist's words (else the
    # clinic's, else hep's: hep.guidance)
    pain_advice: Mapped[str] = mapped_column(Text, default="", server_default="")

    __table_args__ = (UniqueConstraint("program_id", "version", name="uq_program_versions_pv"),)


class ProgramItem(Base):
    """One exercise in one version. `item_key` stays the same across versions, so check-ins
    and adherence follow the exercise through edits."""

    __tablename__ = "program_items"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("program_versions.id", ondelete="CASCADE")
    )
    item_key: Mapped[uuid.UUID] = mapped_column()
    exercise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("exercises.id", ondelete="RESTRICT"))
    position: Mapped[int] = mapped_column(Integer)
    sets: Mapped[int] = mapped_column(Integer, default=1)
    reps: Mapped[int | None] = mapped_column(Integer)
    hold_seconds: Mapped[int | None] = mapped_column(Integer)
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    rest_seconds: Mapped[int | None] = mapped_column(Integer)
    side: Mapped[str] = mapped_column(String(8), default="both")
    load_note: Mapped[str] = mapped_column(String(120), default="")
    times_per_day: Mapped[int] = mapped_column(Integer, default=1)
    weekdays: Mapped[int] = mapped_column(Integer, default=ALL_WEEKDAYS)
    notes: Mapped[str] = mapped_column(Text, default="")
    # still due in a flare-up (a gentle subset) / in a busy week (the minimum dose)
    keep_in_flare: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    minimum_dose: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # the step after and before this one: {"exercise_id": <uuid or null: the same>, dose...}
    next_step: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    previous_step: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    # this item's progression and regression criteria where they differ from hep's
    step_rules: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))

    __table_args__ = (
        Index("ix_program_items_version_id", "version_id"),
        Index("ix_program_items_item_key", "item_key"),
    )


class ProgramTemplate(Base):
    """A therapist's reusable protocol: items without a patient, private or shared with a
    clinic; edits add versions like a program's."""

    __tablename__ = "program_templates"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    # null for a shared template whose author left: it stays the clinic's
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    clinic_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("clinics.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(120))
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_program_templates_owner_id", "owner_id"),
        # a clinic's shared templates
        Index("ix_program_templates_clinic_id", "clinic_id"),
    )


class ProgramTemplateVersion(Base):
    __tablename__ = "program_template_versions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    template_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("program_templates.id", ondelete="CASCADE")
    )
    version: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    # [{"exercise_id": "<uuid>", dose fields...}]
    items: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    change_note: Mapped[str] = mapped_column(String(300), default="")

    __table_args__ = (
        UniqueConstraint("template_id", "version", name="uq_program_template_versions_tv"),
    )
