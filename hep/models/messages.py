"""Messages between a patient and their care team: one thread per patient, and how far
each reader has read it."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from hep.db import Base, UTCDateTime


class Message(Base):
    """Plain text, never markup. `client_id` is the writer's UUID (a retry finds the same
    message); the author's name stays after their account is gone."""

    __tablename__ = "messages"

    # the thread's order, and what "read up to" counts by
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    client_id: Mapped[uuid.UUID] = mapped_column()
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(120))
    from_patient: Mapped[bool] = mapped_column(Boolean)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # when the patient was told of it ("You have a new message"); null: not yet
    notified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("author_id", "client_id", name="uq_messages_author_client"),
        Index("ix_messages_patient_id_id", "patient_id", "id"),
        # the rate limit: an author's recent messages
        Index("ix_messages_author_id_created_at", "author_id", "created_at"),
        # the notice tick: messages whose patient has not been told yet
        Index(
            "ix_messages_to_notify",
            "created_at",
            sqlite_where=text("notified_at IS NULL"),
            postgresql_where=text("notified_at IS NULL"),
        ),
    )


class MessageRead(Base):
    """How far one reader (the patient, or one therapist of the team) has read a thread."""

    __tablename__ = "message_reads"

    patient_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    reader_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    last_read_id: Mapped[int] = mapped_column(Integer)
    read_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
