"""Typed SQLAlchemy models, split by domain; importing this registers every table."""

from hep.models.accounts import AuthSession, LoginFailure, Role, User
from hep.models.care import AccessLogEntry, CareLink, Invite

__all__ = [
    "AccessLogEntry",
    "AuthSession",
    "CareLink",
    "Invite",
    "LoginFailure",
    "Role",
    "User",
]
