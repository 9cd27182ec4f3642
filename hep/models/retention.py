"""Indexes the retention tick walks by: each pruned table's rows by the time they age from."""

from __future__ import annotations

from sqlalchemy import Index

from hep.models.accounts import AuthSession, LoginFailure
from hep.models.care import AccessLogEntry
from hep.models.reminders import Delivery, Occurrence

# hep.retention deletes, batch by batch, the rows older than their table's HEP_RETAIN_* period
RETENTION_INDEXES = (
    Index("ix_reminder_occurrences_decided_at", Occurrence.decided_at),
    Index("ix_deliveries_created_at", Delivery.created_at),
    Index("ix_auth_sessions_expires_at", AuthSession.expires_at),
    Index("ix_login_failures_at", LoginFailure.at),
    Index("ix_access_log_at", AccessLogEntry.at),
)
