"""Care team: therapist-patient links, invites, and the access log patients can read."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hep.db import Base, UTCDateTime, new_id


class CareLink(Base):
    __tablename__ = "care_links"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    therapist_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("therapist_id", "patient_id", name="uq_care_links_pair"),
        Index("ix_care_links_patient_id", "patient_id"),
    )


class Invite(Base):
    """A single-use, expiring code that lets an invited patient set a password."""

    __tablename__ = "invites"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    therapist_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_invites_patient_id", "patient_id"),)


class AccessLogEntry(Base):
    """Append-only: a therapist read a patient's data. Holds no health values."""

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    # GET /api/me/access-log lists a patient's entries newest first
    __table_args__ = (Index("ix_access_log_patient_id_at", "patient_id", "at"),)


class AccessLogPending(Base):
    """One read of many patients at once (a page of the therapist's list), waiting to be spread
    into per-patient access_log rows. A read writes one row here, not one scattered index entry
    per patient; the scheduler and the patient's own look at the log spread it."""

    __tablename__ = "access_log_pending"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # patient ids as strings; a patient deleted meanwhile is dropped when spread
    patient_ids: Mapped[list[Any]] = mapped_column(JSON)
