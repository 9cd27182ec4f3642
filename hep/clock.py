"""The one place that reads the wall clock."""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    """Aware UTC now; edges (requests, ticks, commands) call this once per unit of work."""
    return dt.datetime.now(dt.UTC)
