"""The audit log: administrative actions and security events, append-only, no health data."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hep.db import Base, UTCDateTime


class AuditEntry(Base):
    """One action or event: who (by id and name at the time), what, to whom, in which clinic.

    No foreign keys: an entry outlives the accounts and clinics it names, and the database
    refuses every UPDATE and DELETE of it (triggers made by the migration)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    action: Mapped[str] = mapped_column(String(48))
    actor_id: Mapped[uuid.UUID | None] = mapped_column()
    actor_name: Mapped[str] = mapped_column(String(120), default="")
    subject_id: Mapped[uuid.UUID | None] = mapped_column()
    subject_name: Mapped[str] = mapped_column(String(120), default="")
    clinic_id: Mapped[uuid.UUID | None] = mapped_column()
    # what changed, in words without health data ("therapist -> admin", an address)
    detail: Mapped[str] = mapped_column(String(300), default="")

    __table_args__ = (
        # the site admin's log, newest first
        Index("ix_audit_log_at", "at"),
        # a clinic admin's log: their clinic's entries, newest first
        Index("ix_audit_log_clinic_id_at", "clinic_id", "at"),
        # a person's export: the entries naming them
        Index("ix_audit_log_actor_id", "actor_id"),
        Index("ix_audit_log_subject_id", "subject_id"),
    )
