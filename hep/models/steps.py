"""Progression and regression: hep's proposals to move a program item on or back a step."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column

from hep.db import Base, UTCDateTime, new_id

DIRECTIONS = ("progress", "regress")
PROPOSAL_STATES = ("open", "applied", "dismissed", "superseded")


class StepProposal(Base):
    """hep proposes that a program item take its next (progress) or previous (regress) step,
    with the sessions that led to it. Applied (a new program version), dismissed, or
    superseded by a change of the program; at most one open per item."""

    __tablename__ = "step_proposals"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    program_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    item_key: Mapped[uuid.UUID] = mapped_column()
    direction: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(10), default="open")
    # the program version it was worked out from, and the step it proposes (exercise and dose)
    from_version: Mapped[int] = mapped_column(Integer)
    step: Mapped[dict[str, Any]] = mapped_column(JSON)
    # the sessions behind it and the figures the criteria looked at
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    words: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_by_name: Mapped[str] = mapped_column(String(120), default="")
    applied_version: Mapped[int | None] = mapped_column(Integer)
    auto: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    note: Mapped[str] = mapped_column(String(300), default="")

    __table_args__ = (
        # no proposal repeats while one is open: one open per program item
        Index(
            "uq_step_proposals_open",
            "program_id",
            "item_key",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        # a patient's proposals (their therapist's view, their snapshot, what changed)
        Index("ix_step_proposals_patient_id_created_at", "patient_id", "created_at"),
        Index("ix_step_proposals_program_id", "program_id"),
    )
