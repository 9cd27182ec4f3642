"""Clinics: founding one (a solo therapist's is made without extra steps), members and their
roles, therapists invited by link, and who may manage what. A clinic with members always keeps
at least one admin. Site admins manage every clinic but read no health data."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from hep import audit
from hep.accounts import create_user, hash_token, normalize_email, set_active
from hep.db import insert_first, lock_names
from hep.errors import Conflict, Forbidden, Invalid, NotFound
from hep.models import Clinic, ClinicInvite, ClinicMember, ClinicRole, Role, User
from hep.passwords import Hasher


def member_clinics(user_id: uuid.UUID) -> Select[uuid.UUID]:
    """The ids of a user's clinics, as a subquery (what their colleagues share with them)."""
    return select(ClinicMember.clinic_id).where(ClinicMember.user_id == user_id)


def found_clinic(
    session: Session, name: str, now: dt.datetime, *, founder: User | None, actor: User
) -> Clinic:
    """A new clinic; its founder (a therapist) is its first admin."""
    clinic = Clinic(name=name.strip(), created_at=now)
    session.add(clinic)
    session.flush()
    if founder is not None:
        if founder.role is not Role.THERAPIST:
            raise Forbidden("Only therapists are members of clinics.")
        session.add(
            ClinicMember(
                clinic_id=clinic.id, user_id=founder.id, role=ClinicRole.ADMIN, joined_at=now
            )
        )
        session.flush()
    audit.record(session, "clinic_created", actor=actor, clinic_id=clinic.id, now=now)
    return clinic


def own_clinic(session: Session, therapist: User, now: dt.datetime) -> Clinic:
    """A solo therapist's practice: a clinic of one, named after them, with them as admin."""
    return found_clinic(session, therapist.name, now, founder=therapist, actor=therapist)


def clinics_of(session: Session, user: User) -> Sequence[tuple[Clinic, ClinicRole]]:
    rows = session.execute(
        select(Clinic, ClinicMember.role)
        .join(ClinicMember, ClinicMember.clinic_id == Clinic.id)
        .where(ClinicMember.user_id == user.id)
        .order_by(Clinic.name, Clinic.id)
    ).all()
    return [(clinic, role) for clinic, role in rows]


def membership(session: Session, clinic_id: uuid.UUID, user_id: uuid.UUID) -> ClinicMember | None:
    return session.get(ClinicMember, (clinic_id, user_id))


def care_clinic(
    session: Session, therapist: User, clinic_id: uuid.UUID | None, now: dt.datetime
) -> Clinic:
    """The clinic a therapist cares for a patient under: the one named (theirs), their only
    one, or, when they have none, a new one of their own."""
    lock_names(session, [f"clinics-of:{therapist.id}"])  # two first patients: one clinic
    mine = clinics_of(session, therapist)
    if clinic_id is not None:
        for clinic, _ in mine:
            if clinic.id == clinic_id:
                return clinic
        raise Invalid.field("clinic_id", "You are not a member of this clinic.")
    if len(mine) == 1:
        return mine[0][0]
    if not mine:
        return own_clinic(session, therapist, now)
    raise Invalid.field("clinic_id", "You work in several clinics: say which one.")


def visible_clinic(session: Session, user: User, clinic_id: uuid.UUID) -> Clinic:
    """A clinic the user is a member of, or any for a site admin; else NotFound."""
    clinic = session.get(Clinic, clinic_id)
    if clinic is None or (
        user.role is not Role.ADMIN and membership(session, clinic_id, user.id) is None
    ):
        raise NotFound()
    return clinic


def is_clinic_admin(session: Session, user: User, clinic_id: uuid.UUID | None) -> bool:
    found = membership(session, clinic_id, user.id) if clinic_id else None
    return found is not None and found.role is ClinicRole.ADMIN


def managed_clinic(session: Session, user: User, clinic_id: uuid.UUID) -> Clinic:
    """A clinic the user may manage: its admins and site admins. Other members get 403."""
    clinic = visible_clinic(session, user, clinic_id)
    if user.role is not Role.ADMIN and not is_clinic_admin(session, user, clinic_id):
        raise Forbidden("Only the clinic's admins can do this.")
    return clinic


def led_clinic(session: Session, user: User, clinic_id: uuid.UUID) -> Clinic:
    """A clinic whose admin the user is (the caseload: health data, so not site admins)."""
    clinic = session.get(Clinic, clinic_id)
    if clinic is None or membership(session, clinic_id, user.id) is None:
        raise NotFound()
    if not is_clinic_admin(session, user, clinic_id):
        raise Forbidden("Only the clinic's admins can do this.")
    return clinic


@dataclass(frozen=True)
class ClinicView:
    clinic: Clinic
    my_role: ClinicRole | None
    members: int


def _member_counts(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    rows = session.execute(
        select(ClinicMember.clinic_id, func.count())
        .where(ClinicMember.clinic_id.in_(ids))
        .group_by(ClinicMember.clinic_id)
    ).all()
    return {clinic_id: int(count) for clinic_id, count in rows}


def list_clinics(
    session: Session, user: User, *, text: str | None, limit: int, offset: int
) -> list[ClinicView]:
    """A therapist's clinics; every clinic for a site admin (searchable by name)."""
    if user.role is Role.ADMIN:
        query = select(Clinic)
        if text:
            query = query.where(Clinic.name.ilike(f"%{_escape(text)}%", escape="\\"))
        found = session.scalars(query.order_by(Clinic.name, Clinic.id).limit(limit).offset(offset))
        pairs: Sequence[tuple[Clinic, ClinicRole | None]] = [(c, None) for c in found]
    else:
        pairs = list(clinics_of(session, user))[offset : offset + limit]
    counts = _member_counts(session, [c.id for c, _ in pairs])
    return [ClinicView(c, role, counts.get(c.id, 0)) for c, role in pairs]


def clinic_view(session: Session, user: User, clinic_id: uuid.UUID) -> ClinicView:
    clinic = visible_clinic(session, user, clinic_id)
    mine = membership(session, clinic_id, user.id)
    counts = _member_counts(session, [clinic.id])
    return ClinicView(clinic, mine.role if mine else None, counts.get(clinic.id, 0))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def rename_clinic(
    session: Session, actor: User, clinic_id: uuid.UUID, name: str, now: dt.datetime
) -> Clinic:
    clinic = managed_clinic(session, actor, clinic_id)
    before = clinic.name
    clinic.name = name.strip()
    session.flush()
    audit.record(
        session,
        "clinic_renamed",
        actor=actor,
        clinic_id=clinic.id,
        detail=f"{before} -> {clinic.name}",
        now=now,
    )
    return clinic


# --- members -------------------------------------------------------------------------------


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
        pattern = f"%{_escape(text)}%"
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
        raise Conflict("A clinic keeps at least one admin: make another member admin first.")


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
            raise Forbidden("This therapist works in other clinics too: ask a site admin.")
        if user.id == actor.id:
            raise Conflict("You cannot disable your own account.")
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
        raise Forbidden("This therapist works in other clinics too: ask a site admin.")
    return session.get_one(User, user_id)


def remove_member(
    session: Session, actor: User, clinic_id: uuid.UUID, user_id: uuid.UUID, now: dt.datetime
) -> None:
    """A clinic admin (or site admin) removes a member, or a member leaves. Their access to
    the patients they care for under this clinic ends at once."""
    from hep.care_team import end_clinic_links  # the care team asks clinics who is a member

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


# --- invites -------------------------------------------------------------------------------

_GONE = "This invite link is unknown, used or expired. Ask for a new one."


def _new_clinic_invite(
    session: Session,
    actor: User,
    clinic_id: uuid.UUID,
    email: str,
    role: ClinicRole,
    lifetime: dt.timedelta,
    now: dt.datetime,
) -> tuple[ClinicInvite, str]:
    # only the newest link for an address works, however many are sent at once
    lock_names(session, [f"clinic-invite:{clinic_id}:{email}"])
    session.execute(
        update(ClinicInvite)
        .where(ClinicInvite.clinic_id == clinic_id, ClinicInvite.email == email)
        .where(ClinicInvite.used_at.is_(None), ClinicInvite.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    code = secrets.token_urlsafe(24)
    invite = ClinicInvite(
        clinic_id=clinic_id,
        email=email,
        role=role,
        invited_by=actor.id,
        code_hash=hash_token(code),
        created_at=now,
        expires_at=now + lifetime,
    )
    session.add(invite)
    session.flush()
    audit.record(
        session,
        "clinic_invite_sent",
        actor=actor,
        clinic_id=clinic_id,
        detail=f"as {role.value}",
        now=now,
    )
    return invite, code


def invite_therapist(
    session: Session,
    actor: User,
    clinic_id: uuid.UUID,
    *,
    email: str,
    role: ClinicRole,
    lifetime: dt.timedelta,
    now: dt.datetime,
) -> tuple[ClinicInvite, str]:
    """A link for a therapist to join the clinic (single use, expiring). Returns (row, code)."""
    managed_clinic(session, actor, clinic_id)
    return _new_clinic_invite(
        session, actor, clinic_id, normalize_email(email), role, lifetime, now
    )


def _clinic_invite(
    session: Session, actor: User, clinic_id: uuid.UUID, invite_id: uuid.UUID
) -> ClinicInvite:
    managed_clinic(session, actor, clinic_id)
    invite = session.get(ClinicInvite, invite_id)
    if invite is None or invite.clinic_id != clinic_id or invite.used_at is not None:
        raise NotFound()
    return invite


def resend_clinic_invite(
    session: Session,
    actor: User,
    clinic_id: uuid.UUID,
    invite_id: uuid.UUID,
    *,
    lifetime: dt.timedelta,
    now: dt.datetime,
) -> tuple[ClinicInvite, str]:
    """A new link for the same address and role; the old one stops working."""
    old = _clinic_invite(session, actor, clinic_id, invite_id)
    return _new_clinic_invite(session, actor, clinic_id, old.email, old.role, lifetime, now)


def revoke_clinic_invite(
    session: Session, actor: User, clinic_id: uuid.UUID, invite_id: uuid.UUID, now: dt.datetime
) -> None:
    invite = _clinic_invite(session, actor, clinic_id, invite_id)
    if invite.revoked_at is None:
        invite.revoked_at = now
        audit.record(session, "clinic_invite_revoked", actor=actor, clinic_id=clinic_id, now=now)
    session.flush()


def open_clinic_invites(
    session: Session, actor: User, clinic_id: uuid.UUID, now: dt.datetime
) -> Sequence[ClinicInvite]:
    managed_clinic(session, actor, clinic_id)
    return session.scalars(
        select(ClinicInvite)
        .where(ClinicInvite.clinic_id == clinic_id, ClinicInvite.used_at.is_(None))
        .where(ClinicInvite.revoked_at.is_(None), ClinicInvite.expires_at > now)
        .order_by(ClinicInvite.created_at.desc())
    ).all()


def _open_clinic_invite(session: Session, code: str, now: dt.datetime) -> ClinicInvite:
    invite = session.scalar(select(ClinicInvite).where(ClinicInvite.code_hash == hash_token(code)))
    if (
        invite is None
        or invite.used_at is not None
        or invite.revoked_at is not None
        or invite.expires_at <= now
    ):
        raise NotFound(_GONE)
    return invite


def preview_clinic_invite(
    session: Session, code: str, now: dt.datetime
) -> tuple[ClinicInvite, Clinic, str]:
    """An open invite, its clinic and who sent it (their name, or "")."""
    invite = _open_clinic_invite(session, code, now)
    inviter = session.get(User, invite.invited_by) if invite.invited_by else None
    return invite, session.get_one(Clinic, invite.clinic_id), inviter.name if inviter else ""


def accept_clinic_invite(
    session: Session,
    code: str,
    *,
    user: User | None,
    name: str | None,
    password: str | None,
    timezone: str,
    hasher: Hasher,
    now: dt.datetime,
) -> tuple[User, Clinic, bool]:
    """Join the clinic: signed in as a therapist (an existing account), or with a name and a
    password for a new therapist account with the invited address. The code is spent once,
    however many accept it at once. Returns (therapist, clinic, whether the account is new)."""
    invite = _open_clinic_invite(session, code, now)
    created = False
    if user is not None:
        if user.role is not Role.THERAPIST:
            raise Forbidden("Sign in as a therapist to join a clinic.")
    else:
        if not name or not password:
            raise Invalid(
                "Sign in to join with your account, or give a name and a password.",
                {"name": ["Needed for a new account."], "password": ["Needed for a new account."]},
            )
        taken = session.scalar(select(User.id).where(User.email == invite.email))
        if taken is not None:
            raise Conflict("This email has an account: sign in, then open the link again.")
        user = create_user(
            session,
            email=invite.email,
            name=name,
            role=Role.THERAPIST,
            timezone=timezone,
            password=password,
            hasher=hasher,
            now=now,
        )
        created = True
    spent = session.execute(
        update(ClinicInvite)
        .where(ClinicInvite.id == invite.id, ClinicInvite.used_at.is_(None))
        .values(used_at=now, used_by=user.id)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound(_GONE)
    clinic = session.get_one(Clinic, invite.clinic_id)
    member = membership(session, clinic.id, user.id)
    if member is None:
        joined = ClinicMember(clinic_id=clinic.id, user_id=user.id, role=invite.role, joined_at=now)
        if not insert_first(session, joined):
            raise Conflict("You are a member of this clinic already.")
    elif invite.role is ClinicRole.ADMIN:
        member.role = ClinicRole.ADMIN
    if created:  # made through this clinic's invite: the clinic's log shows it
        audit.record(
            session, "account_created", actor=user, subject=user, clinic_id=clinic.id, now=now
        )
    audit.record(session, "clinic_member_joined", actor=user, clinic_id=clinic.id, now=now)
    session.flush()
    return user, clinic, created


def leave_all_clinics(session: Session, therapist: User, now: dt.datetime) -> None:
    """Before a therapist's account goes: a clinic they are the only admin of gets the
    longest-serving other member as admin; a clinic of theirs alone goes with them."""
    for clinic, role in clinics_of(session, therapist):
        lock_names(session, [f"clinic:{clinic.id}"])
        others = session.scalars(
            select(ClinicMember)
            .where(ClinicMember.clinic_id == clinic.id, ClinicMember.user_id != therapist.id)
            .order_by(ClinicMember.joined_at, ClinicMember.user_id)
        ).all()
        if not others:
            session.delete(clinic)
            continue
        if role is ClinicRole.ADMIN and not any(m.role is ClinicRole.ADMIN for m in others):
            successor = others[0]
            successor.role = ClinicRole.ADMIN
            audit.record(
                session,
                "clinic_role_changed",
                actor=therapist,
                subject=session.get_one(User, successor.user_id),
                clinic_id=clinic.id,
                detail="therapist -> admin (the last admin left)",
                now=now,
            )
    session.flush()
