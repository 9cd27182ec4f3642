"""Accounts: sign-up, sign-in with rate limiting, server-side sessions, profile changes."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from hep import audit
from hep.db import insert_first, lock_names
from hep.errors import Conflict, Invalid, NotFound, Throttled, Unauthorized
from hep.languages import DEFAULT as DEFAULT_LANGUAGE
from hep.languages import supported
from hep.models import AuthSession, LoginFailure, NotificationSettings, Role, SignInLink, User
from hep.passwords import Hasher, password_problem
from hep.timezones import require_timezone
from hep.translations import _

# a cookie session slides forward on use, but its row is rewritten at most this often
_TOUCH_EVERY = dt.timedelta(hours=1)


@dataclass(frozen=True)
class LoginLimits:
    per_account: int
    per_address: int
    window: dt.timedelta


@dataclass(frozen=True)
class SessionLifetimes:
    cookie: dt.timedelta
    token: dt.timedelta


def normalize_email(email: str) -> str:
    return email.strip().lower()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_new_password(password: str, *, field: str = "password", email: str = "") -> None:
    problem = password_problem(password, context=(email, email.split("@")[0]))
    if problem:
        raise Invalid.field(field, problem)


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: Role,
    timezone: str,
    password: str | None,
    hasher: Hasher,
    now: dt.datetime,
    address_free: bool = False,
    language: str = DEFAULT_LANGUAGE,
) -> User:
    """Create an account; password None leaves it waiting for an invite to be accepted.
    `address_free`: the caller has just seen no account with this address (a racing one is
    still caught)."""
    email = normalize_email(email)
    require_timezone(timezone)
    if password is not None:
        check_new_password(password, email=email)
    taken = Conflict(
        _("An account with this email already exists."), {"email": [_("Already used.")]}
    )
    if not address_free and session.scalar(select(User.id).where(User.email == email)):
        raise taken
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        timezone=timezone,
        language=supported(language),
        password_hash=hasher.hash(password) if password is not None else None,
        is_active=True,
        created_at=now,
    )
    if not insert_first(session, user):  # a racing sign-up with this email won
        raise taken
    session.add(NotificationSettings.first_for(user.id))
    return user


def _failures_since(
    session: Session, key: str, since: dt.datetime
) -> tuple[int, dt.datetime | None]:
    count, oldest = session.execute(
        select(func.count(), func.min(LoginFailure.at)).where(
            LoginFailure.key == key, LoginFailure.at > since
        )
    ).one()
    return int(count), oldest


@dataclass(frozen=True)
class SignInAttempt:
    """An attempt counted as a failure until its password proves right."""

    user: User | None
    keys: tuple[str, ...]


def begin_sign_in(
    session: Session, *, email: str, address: str, limits: LoginLimits, now: dt.datetime
) -> SignInAttempt:
    """The first half of a sign-in: 429 when the account or the client address is at its limit
    of failures in the window; otherwise the attempt is recorded as a failure before any
    password is checked. Counting and recording run one attempt at a time per key
    (`lock_names`), and the caller commits before `finish_sign_in`, so however many arrive at
    once across workers, at most `limit` of them reach the password check."""
    email = normalize_email(email)
    keys = {
        f"account:{hash_token(email)}": limits.per_account,
        f"address:{address}": limits.per_address,
    }
    lock_names(session, keys)
    since = now - limits.window
    for key, limit in keys.items():
        count, oldest = _failures_since(session, key, since)
        if count >= limit and oldest is not None:
            retry_after = max(1, int((oldest + limits.window - now).total_seconds()) + 1)
            raise Throttled(_("Too many failed sign-in attempts; try again later."), retry_after)
    session.add_all(LoginFailure(key=key, at=now) for key in keys)
    user = session.scalar(select(User).where(User.email == email))
    session.flush()
    return SignInAttempt(user, tuple(keys))


def finish_sign_in(
    session: Session, attempt: SignInAttempt, *, password: str, hasher: Hasher
) -> User:
    """Check the password of an attempt `begin_sign_in` recorded (and its caller committed).
    Unknown email and wrong password fail alike, and the recorded failure stays; a success
    clears the failures of the account and the address."""
    user = attempt.user
    ok = hasher.verify(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        raise Unauthorized(_("Email or password is wrong."))
    session.execute(delete(LoginFailure).where(LoginFailure.key.in_(attempt.keys)))
    return user


def start_session(
    session: Session, user: User, *, kind: str, lifetimes: SessionLifetimes, now: dt.datetime
) -> tuple[AuthSession, str]:
    """A new opaque token for the user; only its hash is stored. Returns (row, token)."""
    token = secrets.token_urlsafe(32)
    lifetime = lifetimes.cookie if kind == "cookie" else lifetimes.token
    row = AuthSession(
        user_id=user.id,
        token_hash=hash_token(token),
        kind=kind,
        created_at=now,
        last_used_at=now,
        expires_at=now + lifetime,
    )
    session.add(row)
    session.flush()
    return row, token


def resolve_token(
    session: Session, token: str, *, lifetimes: SessionLifetimes, now: dt.datetime
) -> tuple[AuthSession, User] | Literal["expired", "unknown"]:
    """The live session and active user for a token; else why not: "expired" (it was a
    session, and its time ran out) or "unknown" (never one, signed out, or disabled)."""
    if not token or len(token) > 200:
        return "unknown"
    found = session.execute(
        select(AuthSession, User)
        .join(User, User.id == AuthSession.user_id)
        .where(AuthSession.token_hash == hash_token(token))
    ).first()
    if found is None:
        return "unknown"
    auth_session, user = found
    if not user.is_active:
        return "unknown"
    if auth_session.expires_at <= now:
        return "expired"
    if auth_session.kind == "cookie" and now - auth_session.last_used_at > _TOUCH_EVERY:
        auth_session.last_used_at = now
        auth_session.expires_at = now + lifetimes.cookie
    return auth_session, user


def end_session(session: Session, auth_session_id: uuid.UUID) -> None:
    session.execute(delete(AuthSession).where(AuthSession.id == auth_session_id))


def end_all_sessions(
    session: Session, user_id: uuid.UUID, *, keep: uuid.UUID | None = None
) -> None:
    query = delete(AuthSession).where(AuthSession.user_id == user_id)
    if keep is not None:
        query = query.where(AuthSession.id != keep)
    session.execute(query)


def update_profile(
    session: Session,
    user: User,
    *,
    changes: dict[str, str],
    current_session_id: uuid.UUID | None,
    hasher: Hasher,
    now: dt.datetime,
) -> User:
    """Change name, timezone, language or password; a new password needs the current one and
    ends every other session of the user; a new timezone moves the user's future reminders."""
    if "name" in changes:
        user.name = changes["name"].strip()
    if "language" in changes:
        user.language = supported(changes["language"])
    if "timezone" in changes and changes["timezone"] != user.timezone:
        from hep.reminders.rules import reschedule_all

        old = user.timezone
        user.timezone = require_timezone(changes["timezone"])
        reschedule_all(session, user, old, now)
    if "password" in changes:
        if not hasher.verify(user.password_hash, changes.get("current_password", "")):
            raise Invalid.field("current_password", _("The current password is wrong."))
        check_new_password(changes["password"], email=user.email)
        user.password_hash = hasher.hash(changes["password"])
        end_all_sessions(session, user.id, keep=current_session_id)
        audit.record(session, "password_changed", actor=user, subject=user, now=now)
    session.flush()
    return user


def set_active(session: Session, user: User, active: bool) -> User:
    """Disable or enable an account; disabling ends all its sessions at once."""
    user.is_active = active
    if not active:
        end_all_sessions(session, user.id)
    session.flush()
    return user


# --- sign-in links -------------------------------------------------------------------------

_LINK_GONE = _("This sign-in link is unknown, used or expired. Ask for a new one.")


def issue_sign_in_link(
    session: Session,
    user: User,
    *,
    issued_by: User,
    lifetime: dt.timedelta,
    now: dt.datetime,
    clinic_id: uuid.UUID | None = None,
) -> tuple[SignInLink, str]:
    """A fresh link for a locked-out user to set a new password (single use, expiring); the
    previous one stops working. Returns (row, code)."""
    lock_names(session, [f"sign-in-link:{user.id}"])
    session.execute(
        update(SignInLink)
        .where(SignInLink.user_id == user.id, SignInLink.used_at.is_(None))
        .where(SignInLink.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    code = secrets.token_urlsafe(24)
    link = SignInLink(
        user_id=user.id,
        issued_by=issued_by.id,
        code_hash=hash_token(code),
        created_at=now,
        expires_at=now + lifetime,
    )
    session.add(link)
    session.flush()
    audit.record(
        session,
        "sign_in_link_issued",
        actor=issued_by,
        subject=user,
        clinic_id=clinic_id,
        now=now,
    )
    return link, code


def open_sign_in_link(session: Session, code: str, now: dt.datetime) -> tuple[SignInLink, User]:
    link = session.scalar(select(SignInLink).where(SignInLink.code_hash == hash_token(code)))
    if link is None or link.used_at or link.revoked_at or link.expires_at <= now:
        raise NotFound(_LINK_GONE)
    user = session.get_one(User, link.user_id)
    if not user.is_active:
        raise NotFound(_LINK_GONE)
    return link, user


def use_sign_in_link(
    session: Session,
    code: str,
    *,
    password: str,
    hasher: Hasher,
    now: dt.datetime,
) -> User:
    """Set a new password with the link (spent once, however many use it at once); every
    other session of the user ends (a lost phone is signed out)."""
    link, user = open_sign_in_link(session, code, now)
    check_new_password(password, email=user.email)
    spent = session.execute(
        update(SignInLink)
        .where(SignInLink.id == link.id, SignInLink.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound(_LINK_GONE)
    user.password_hash = hasher.hash(password)
    end_all_sessions(session, user.id)
    session.flush()
    audit.record(session, "password_set", actor=user, subject=user, now=now)
    return user
