"""Email: address verifications, the outbox of account mail, and therapist attention alerts."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column

from hep.db import Base, UTCDateTime, new_id


class EmailVerification(Base):
    """A single-use, expiring link proving that its user reads `email`; only its hash is kept.
    A new one replaces the ones before."""

    __tablename__ = "email_verifications"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_email_verifications_user_id", "user_id"),)


class OutgoingMail(Base):
    """One account mail (verification, reset, invite, sign-in link) waiting for the mail
    tick, or what became of it. The message (its link included) is dropped once the mail
    server has taken it or it has failed for good."""

    __tablename__ = "outgoing_mail"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    recipient: Mapped[str] = mapped_column(String(254))
    message: Mapped[bytes | None] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(8))  # pending | sending | sent | failed | gone
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    smtp_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str] = mapped_column(String(120), default="")
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        # the mail tick: pending mail whose attempt is due
        Index("ix_outgoing_mail_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_outgoing_mail_user_id", "user_id"),
    )


class AttentionAlert(Base):
    """A patient entered a therapist's attention list for a reason (hep.attention.REASONS
    says which are told): noted once while the reason holds (the open row is unique), told
    by push and/or in the next daily email."""

    __tablename__ = "attention_alerts"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    therapist_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(24))
    noted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    cleared_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    pushed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    emailed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        # one open alert per therapist, patient and reason: how it is told only once
        Index(
            "uq_attention_alerts_open",
            "therapist_id",
            "patient_id",
            "reason",
            unique=True,
            sqlite_where=text("cleared_at IS NULL"),
            postgresql_where=text("cleared_at IS NULL"),
        ),
    )
