"""Accounts: users, their server-side sessions, and failed-login records."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import Boolean, Enum, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hep.db import Base, UTCDateTime, new_id


class Role(enum.StrEnum):
    THERAPIST = "therapist"
    PATIENT = "patient"
    ADMIN = "admin"


class User(Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # the language hep speaks to this person, in the app and in what it sends them (hep.languages)
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    # null until an invited patient sets a password
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # bumped by every write that can move a patient's adherence figures (hep.snapshots)
    stats_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # hep sends nothing but verification and reset mail to an address until it is verified;
    # a mail server's "no such mailbox" (550) unverifies it and says when
    email_verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    email_bounced_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def email_bounced(self) -> bool:
        return self.email_bounced_at is not None


class AuthSession(Base):
    """A sign-in: the PWA's cookie or an API client's bearer token; only its hash is stored."""

    __tablename__ = "auth_sessions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(8))  # "cookie" or "token"
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_auth_sessions_user_id", "user_id"),)


class LoginFailure(Base):
    """One failed login; counted per account and per address inside a window (all workers)."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(300))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    # used by the login rate limiter: count failures for a key since window start
    __table_args__ = (Index("ix_login_failures_key_at", "key", "at"),)


class SignInLink(Base):
    """A single-use, expiring link that lets a locked-out user set a new password and sign in,
    issued by their therapist or an admin. A new one revokes the one before."""

    __tablename__ = "sign_in_links"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    issued_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_sign_in_links_user_id", "user_id"),)
