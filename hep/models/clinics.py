"""Clinics: the practices therapists work in, their members and invites to join them."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hep.db import Base, UTCDateTime, new_id


class ClinicRole(enum.StrEnum):
    ADMIN = "admin"  # manages the clinic's people and sees its caseload
    THERAPIST = "therapist"


def _clinic_role() -> Enum:
    return Enum(
        ClinicRole, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]
    )


class Clinic(Base):
    """A practice: one therapist alone, or a group. Patients are cared for under a clinic."""

    __tablename__ = "clinics"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class ClinicMember(Base):
    """A therapist's place in a clinic. A clinic with members keeps at least one admin."""

    __tablename__ = "clinic_members"

    clinic_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("clinics.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[ClinicRole] = mapped_column(_clinic_role())
    joined_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    # a therapist's clinics (every visibility check of shared exercises and templates)
    __table_args__ = (Index("ix_clinic_members_user_id", "user_id"),)


class ClinicInvite(Base):
    """A single-use, expiring link that lets a therapist join a clinic (with an existing
    account or a new one). Only the code's hash is stored; a re-sent invite revokes this one."""

    __tablename__ = "clinic_invites"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    clinic_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[ClinicRole] = mapped_column(_clinic_role())
    invited_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    used_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    # a clinic's open invites
    __table_args__ = (Index("ix_clinic_invites_clinic_id", "clinic_id"),)
