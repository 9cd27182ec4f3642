"""Typed SQLAlchemy models, split by domain; importing this registers every table."""

from hep.models.accounts import AuthSession, LoginFailure, Role, User
from hep.models.care import AccessLogEntry, AccessLogPending, CareLink, Invite
from hep.models.checkins import CheckIn, CheckInEdit, PainEntry
from hep.models.habits import Habit
from hep.models.library import Exercise
from hep.models.media import Media
from hep.models.mail import AttentionAlert, EmailVerification, OutgoingMail
from hep.models.programs import Program, ProgramItem, ProgramTemplate, ProgramVersion
from hep.models.reminders import (
    Delivery,
    NotificationSettings,
    Occurrence,
    PushSubscription,
    Reminder,
)
from hep.models.snapshots import AdherenceSnapshot, ScoreCheckpoint

__all__ = [
    "AccessLogEntry",
    "AccessLogPending",
    "AdherenceSnapshot",
    "AttentionAlert",
    "AuthSession",
    "CareLink",
    "CheckIn",
    "CheckInEdit",
    "Delivery",
    "EmailVerification",
    "Exercise",
    "Habit",
    "Invite",
    "LoginFailure",
    "Media",
    "NotificationSettings",
    "Occurrence",
    "OutgoingMail",
    "PainEntry",
    "Program",
    "ProgramItem",
    "ProgramTemplate",
    "ProgramVersion",
    "PushSubscription",
    "Reminder",
    "Role",
    "ScoreCheckpoint",
    "User",
]
