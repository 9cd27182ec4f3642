"""A clinic's members: who they are, their roles (a clinic always keeps an admin), their
accounts as far as a clinic admin may touch them, and their removal, which ends their access
to the clinic's patients at once."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hep import audit
from hep.accounts import set_active
from hep.care_team import end_clinic_links
from hep.clinics import escape_like, managed_clinic, membership, visible_clinic
from hep.db import lock_names
from hep.errors import Conflict, Forbidden, NotFound
from hep.models import ClinicMember, ClinicRole, Role, User
from hep.translations import _


@dataclass(frozen=True)
class MemberView:
    user: User
    role: ClinicRole
    joined_at: dt.datetime
    other_clinics: int


def members(
    session: Session,
    actor: User,
    clinic_id: uuid.UUID,
    *,
    text: str | None,
    limit: int,
    offset: int,
) -> list[MemberView]:
    """A clinic's members by name (any member, or a site admin, may look)."""
    visible_clinic(session, actor, clinic_id)
    other = ClinicMember.__table__.alias("other")
    query = (
        select(
            User,
            ClinicMember,
            select(func.count())
            .select_from(other)
            .where(other.c.user_id == User.id, other.c.clinic_id != clinic_id)
            .scalar_subquery(),
        )
        .join(ClinicMember, ClinicMember.user_id == User.id)
        .where(ClinicMember.clinic_id == clinic_id)
    )
    if text:
        pattern = f"%{escape_like(text)}%"
        query = query.where(
            User.name.ilike(pattern, escape="\\") | User.email.ilike(pattern, escape="\\")
        )
    rows = session.execute(query.order_by(User.name, User.id).limit(limit).offset(offset)).all()
    return [MemberView(user, m.role, m.joined_at, int(others)) for user, m, others in rows]


def _member(session: Session, clinic_id: uuid.UUID, user_id: uuid.UUID) -> ClinicMember:
    found = membership(session, clinic_id, user_id)
    if found is None:
        raise NotFound()
    return found


def _admins(session: Session, clinic_id: uuid.UUID) -> int:
    return int(
        session.scalar(
            select(func.count()).where(
                ClinicMember.clinic_id == clinic_id, ClinicMember.role == ClinicRole.ADMIN
            )
        )
        or 0
    )


def _keep_an_admin(session: Session, member: ClinicMember, *, leaving: bool) -> None:
    """Refuse to take away the last admin of a clinic that still has other members."""
    if member.role is not ClinicRole.ADMIN or _admins(session, member.clinic_id) > 1:
        return
    others = session.scalar(
        select(func.count()).where(
            ClinicMember.clinic_id == member.clinic_id, ClinicMember.user_id != member.user_id
        )
    )
    if not leaving or others:
        raise Conflict(_("A clinic keeps at least one admin: make another member admin first."))


def change_member(
    session: Session,
    actor: User,
    clinic_id: uuid.UUID,
    user_id: uuid.UUID,
    *,
    role: ClinicRole | None,
    active: bool | None,
    now: dt.datetime,
) -> MemberView:
    """Change a member's clinic role, or disable or enable their account (a clinic admin only
    for members who belong to no other clinic)."""
    managed_clinic(session, actor, clinic_id)
    lock_names(session, [f"clinic:{clinic_id}"])
    member = _member(session, clinic_id, user_id)
    user = session.get_one(User, user_id)
    if role is not None and role is not member.role:
        if role is not ClinicRole.ADMIN:
            _keep_an_admin(session, member, leaving=False)
        before = member.role
        member.role = role
        audit.record(
            session,
            "clinic_role_changed",
            actor=actor,
            subject=user,
            clinic_id=clinic_id,
            detail=f"{before.value} -> {role.value}",
            now=now,
        )
    if active is not None and active != user.is_active:
        elsewhere = session.scalar(
            select(func.count()).where(
                ClinicMember.user_id == user_id, ClinicMember.clinic_id != clinic_id
            )
        )
        if actor.role is not Role.ADMIN and elsewhere:
            raise Forbidden(_("This therapist works in other clinics too: ask a site admin."))
        if user.id == actor.id:
            raise Conflict(_("You cannot disable your own account."))
        set_active(session, user, active)
        action = "account_enabled" if active else "account_disabled"
        audit.record(session, action, actor=actor, subject=user, clinic_id=clinic_id, now=now)
    session.flush()
    others = session.scalar(
        select(func.count()).where(
            ClinicMember.user_id == user_id, ClinicMember.clinic_id != clinic_id
        )
    )
    return MemberView(user, member.role, member.joined_at, int(others or 0))


def member_for_sign_in_link(
    session: Session, actor: User, clinic_id: uuid.UUID, user_id: uuid.UUID
) -> User:
    """A member a clinic admin may make a sign-in link for: one of no other clinic (a site
    admin: any member)."""
    managed_clinic(session, actor, clinic_id)
    _member(session, clinic_id, user_id)
    elsewhere = session.scalar(
        select(func.count()).where(
            ClinicMember.user_id == user_id, ClinicMember.clinic_id != clinic_id
        )
    )
    if actor.role is not Role.ADMIN and elsewhere:
        raise Forbidden(_("This therapist works in other clinics too: ask a site admin."))
    return session.get_one(User, user_id)


def remove_member(
    session: Session, actor: User, clinic_id: uuid.UUID, user_id: uuid.UUID, now: dt.datetime
) -> None:
    """A clinic admin (or site admin) removes a member, or a member leaves. Their access to
    the patients they care for under this clinic ends at once."""
    if user_id != actor.id:
        managed_clinic(session, actor, clinic_id)
    else:
        visible_clinic(session, actor, clinic_id)
    lock_names(session, [f"clinic:{clinic_id}"])
    member = _member(session, clinic_id, user_id)
    _keep_an_admin(session, member, leaving=True)
    user = session.get_one(User, user_id)
    end_clinic_links(session, clinic_id, user, by=actor, now=now)
    session.delete(member)
    session.flush()
    audit.record(
        session, "clinic_member_removed", actor=actor, subject=user, clinic_id=clinic_id, now=now
    )
