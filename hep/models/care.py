"""Care team: therapist-patient links, invites, discharges, and the access log patients can
read."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column

from hep.db import Base, UTCDateTime, new_id


class CareLink(Base):
    """A therapist on a patient's care team, under one of the therapist's clinics. Ending
    access keeps the row (ended_at, by whom, why): the team's history. An active team has
    exactly one lead (the partial unique index holds at most one; hep.care_team passes the
    lead on whenever the lead's access ends)."""

    __tablename__ = "care_links"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    therapist_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    clinic_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("clinics.id", ondelete="SET NULL")
    )
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    added_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    ended_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # left | removed_by_patient | removed_by_clinic | left_clinic | account_deleted
    end_reason: Mapped[str] = mapped_column(String(24), default="", server_default="")

    __table_args__ = (
        # every access check: a therapist's active link to a patient (one at a time)
        Index(
            "uq_care_links_active_pair",
            "therapist_id",
            "patient_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
        Index(
            "uq_care_links_one_lead",
            "patient_id",
            unique=True,
            sqlite_where=text("is_lead AND ended_at IS NULL"),
            postgresql_where=text("is_lead AND ended_at IS NULL"),
        ),
        Index("ix_care_links_patient_id", "patient_id"),
        # a clinic's caseload
        Index("ix_care_links_clinic_id_patient_id", "clinic_id", "patient_id"),
    )


class Invite(Base):
    """A single-use, expiring code a therapist sends. kind "account": an added patient sets a
    password with it. kind "link": a link request to an existing account, which its owner
    accepts or declines in the app (hep.link_requests)."""

    __tablename__ = "invites"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    therapist_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8), default="account", server_default="account")
    # the clinic the therapist cares under once accepted
    clinic_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("clinics.id", ondelete="SET NULL")
    )
    # the name the therapist typed (a link request never shows the account's own name)
    name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    declined_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

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


class Discharge(Base):
    """A patient's discharge by the care team, with its note, and the re-admission that ends
    it. At most one is open per patient. `ended_programs` (program id -> the end date it had)
    is what re-admission restores."""

    __tablename__ = "discharges"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    discharged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    discharged_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    discharged_by_name: Mapped[str] = mapped_column(String(120))
    note: Mapped[str] = mapped_column(Text, default="")
    ended_programs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    readmitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    readmitted_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    readmitted_by_name: Mapped[str] = mapped_column(String(120), default="", server_default="")

    __table_args__ = (
        # the patient lists' discharged filter: a patient's open discharge
        Index(
            "uq_discharges_open",
            "patient_id",
            unique=True,
            sqlite_where=text("readmitted_at IS NULL"),
            postgresql_where=text("readmitted_at IS NULL"),
        ),
        Index("ix_discharges_patient_id_discharged_at", "patient_id", "discharged_at"),
    )
