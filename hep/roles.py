"""Site administration of accounts: finding them, their site role (therapist, patient, admin)
and whether they may sign in. Site admins manage accounts and clinics but read no health
data; the last active admin always stays."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from hep import audit
from hep.accounts import create_user, set_active
from hep.care_team import ACTIVE
from hep.clinics import clinics_of, own_clinic
from hep.db import lock_names
from hep.errors import Conflict, NotFound
from hep.models import CareLink, Role, User
from hep.passwords import Hasher
from hep.translations import _


def find_accounts(
    session: Session,
    *,
    text: str | None,
    role: Role | None,
    active: bool | None,
    limit: int,
    offset: int,
) -> Sequence[User]:
    """Accounts by name or email (a part of either), role and state; oldest first."""
    query = select(User)
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(User.name.ilike(pattern, escape="\\"), User.email.ilike(pattern, escape="\\"))
        )
    if role is not None:
        query = query.where(User.role == role)
    if active is not None:
        query = query.where(User.is_active.is_(active))
    return session.scalars(
        query.order_by(User.created_at, User.id).limit(limit).offset(offset)
    ).all()


def account(session: Session, user_id: uuid.UUID) -> User:
    found = session.get(User, user_id)
    if found is None:
        raise NotFound()
    return found


def create_account(
    session: Session,
    admin: User | None,
    *,
    email: str,
    name: str,
    role: Role,
    timezone: str,
    password: str,
    hasher: Hasher,
    now: dt.datetime,
) -> User:
    """An account made by a site admin (None: on the command line); a therapist gets a
    clinic of their own."""
    user = create_user(
        session,
        email=email,
        name=name,
        role=role,
        timezone=timezone,
        password=password,
        hasher=hasher,
        now=now,
    )
    by = admin.name if admin else "hep command"
    audit.record(session, "account_created", actor=admin, actor_name=by, subject=user, now=now)
    if role is Role.THERAPIST:
        own_clinic(session, user, now)
    return user


def _other_active_admins(session: Session, user: User) -> int:
    lock_names(session, ["site-admins"])
    return int(
        session.scalar(
            select(func.count()).where(
                User.role == Role.ADMIN, User.is_active.is_(True), User.id != user.id
            )
        )
        or 0
    )


def change_account(
    session: Session,
    admin: User,
    user_id: uuid.UUID,
    *,
    active: bool | None,
    role: Role | None,
    now: dt.datetime,
) -> User:
    """Disable or enable an account (disabling ends its sessions and its pushes), or change
    its site role between therapist and admin. A patient stays a patient; a therapist becomes
    an admin only without patients and clinics (an admin reads no health data); an admin
    becoming a therapist gets a clinic of their own."""
    user = account(session, user_id)
    if role is not None and role is not user.role:
        if Role.PATIENT in (role, user.role):
            raise Conflict(_("A patient's account stays a patient's; create a new account."))
        if user.role is Role.ADMIN and _other_active_admins(session, user) == 0:
            raise Conflict(_("The last admin stays an admin: make another admin first."))
        if role is Role.ADMIN:
            cares = session.scalar(
                select(CareLink.id).where(CareLink.therapist_id == user.id, ACTIVE)
            )
            if cares is not None or clinics_of(session, user):
                raise Conflict(
                    _(
                        "An admin reads no health data: hand this therapist's patients over and "
                        "remove them from their clinics first."
                    )
                )
        before = user.role
        user.role = role
        session.flush()
        if role is Role.THERAPIST:
            own_clinic(session, user, now)
        audit.record(
            session,
            "role_changed",
            actor=admin,
            subject=user,
            detail=f"{before.value} -> {role.value}",
            now=now,
        )
    if active is not None and active != user.is_active:
        if not active and user.role is Role.ADMIN and _other_active_admins(session, user) == 0:
            raise Conflict(_("The last admin cannot be disabled."))
        set_active(session, user, active)
        action = "account_enabled" if active else "account_disabled"
        audit.record(session, action, actor=admin, subject=user, now=now)
    session.flush()
    return user
