"""Typed SQLAlchemy models, split by domain; importing this registers every table."""

from hep.models.accounts import AuthSession, LoginFailure, Role, SignInLink, User
from hep.models.audit import AuditEntry
from hep.models.calendars import CalendarFeed
from hep.models.care import AccessLogEntry, AccessLogPending, CareLink, Discharge, Invite
from hep.models.checkins import CheckIn, CheckInEdit, PainEntry
from hep.models.clinics import Clinic, ClinicInvite, ClinicMember, ClinicRole
from hep.models.habits import Habit
from hep.models.library import Exercise
from hep.models.mail import AttentionAlert, EmailVerification, OutgoingMail
from hep.models.media import Media
from hep.models.messages import Message, MessageRead
from hep.models.programs import (
    Program,
    ProgramItem,
    ProgramTemplate,
    ProgramTemplateVersion,
    ProgramVersion,
)
from hep.models.questionnaires import MeasurePlan, MeasureResponse, Questionnaire
from hep.models.reminders import (
    Delivery,
    NotificationSettings,
    Occurrence,
    PushSubscription,
    Reminder,
)
from hep.models.retention import RETENTION_INDEXES
from hep.models.reviews import WeeklyReview, WeeklyReviewSchedule
from hep.models.safety import Acknowledgement, ClinicCareRules, PatientCareRules, Pause
from hep.models.scheduler import SchedulerHeartbeat
from hep.models.snapshots import AdherenceSnapshot, ScoreCheckpoint
from hep.models.steps import StepProposal

__all__ = [
    "RETENTION_INDEXES",
    "AccessLogEntry",
    "AccessLogPending",
    "Acknowledgement",
    "AdherenceSnapshot",
    "AttentionAlert",
    "AuditEntry",
    "AuthSession",
    "CalendarFeed",
    "CareLink",
    "CheckIn",
    "CheckInEdit",
    "Clinic",
    "ClinicCareRules",
    "ClinicInvite",
    "ClinicMember",
    "ClinicRole",
    "Delivery",
    "Discharge",
    "EmailVerification",
    "Exercise",
    "Habit",
    "Invite",
    "LoginFailure",
    "MeasurePlan",
    "MeasureResponse",
    "Media",
    "Message",
    "MessageRead",
    "NotificationSettings",
    "Occurrence",
    "OutgoingMail",
    "PainEntry",
    "PatientCareRules",
    "Pause",
    "Program",
    "ProgramItem",
    "ProgramTemplate",
    "ProgramTemplateVersion",
    "ProgramVersion",
    "PushSubscription",
    "Questionnaire",
    "Reminder",
    "Role",
    "SchedulerHeartbeat",
    "ScoreCheckpoint",
    "SignInLink",
    "StepProposal",
    "User",
    "WeeklyReview",
    "WeeklyReviewSchedule",
]
