"""Calendar feeds: a patient's private iCalendar address, by a secret token."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from hep.db import Base, UTCDateTime


class CalendarFeed(Base):
    """One per user: the hash of the token in their feed's address (the token is shown once,
    when made; a new one replaces it, and deleting the row revokes it) and whether events
    may name what they are about (off: generic titles only)."""

    __tablename__ = "calendar_feeds"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    details: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
