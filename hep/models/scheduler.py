"""Scheduler heartbeats: each scheduler process says it is alive, for readiness checks."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from hep.db import Base, UTCDateTime


class SchedulerHeartbeat(Base):
    """One scheduler process (host and process id) and the last time it ran its ticks."""

    __tablename__ = "scheduler_heartbeats"

    process: Mapped[str] = mapped_column(String(200), primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    beat_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
