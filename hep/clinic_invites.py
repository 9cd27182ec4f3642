"""Clinic invites: single-use, expiring links that let a therapist join a clinic, with the
account they have or a new one; re-sent (the old link stops working) or withdrawn."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hep import audit
from hep.accounts import create_user, hash_token, normalize_email
from hep.clinics import managed_clinic, membership
from hep.db import insert_first, lock_names
from hep.errors import Conflict, Forbidden, Invalid, NotFound
from hep.languages import DEFAULT as DEFAULT_LANGUAGE
from hep.models import Clinic, ClinicInvite, ClinicMember, ClinicRole, Role, User
from hep.passwords import Hasher
from hep.translations import _

_GONE = _("This invite link is unknown, used or expired. Ask for a new one.")


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
    language: str = DEFAULT_LANGUAGE,
) -> tuple[User, Clinic, bool]:
    """Join the clinic: signed in as a therapist (an existing account), or with a name and a
    password for a new therapist account with the invited address. The code is spent once,
    however many accept it at once. Returns (therapist, clinic, whether the account is new)."""
    invite = _open_clinic_invite(session, code, now)
    created = False
    if user is not None:
        if user.role is not Role.THERAPIST:
            raise Forbidden(_("Sign in as a therapist to join a clinic."))
    else:
        if not name or not password:
            raise Invalid(
                _("Sign in to join with your account, or give a name and a password."),
                {
                    "name": [_("Needed for a new account.")],
                    "password": [_("Needed for a new account.")],
                },
            )
        taken = session.scalar(select(User.id).where(User.email == invite.email))
        if taken is not None:
            raise Conflict(_("This email has an account: sign in, then open the link again."))
        user = create_user(
            session,
            email=invite.email,
            name=name,
            role=Role.THERAPIST,
            timezone=timezone,
            password=password,
            hasher=hasher,
            now=now,
            language=language,
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
            raise Conflict(_("You are a member of this clinic already."))
    elif invite.role is ClinicRole.ADMIN:
        member.role = ClinicRole.ADMIN
    if created:  # made through this clinic's invite: the clinic's log shows it
        audit.record(
            session, "account_created", actor=user, subject=user, clinic_id=clinic.id, now=now
        )
    audit.record(session, "clinic_member_joined", actor=user, clinic_id=clinic.id, now=now)
    session.flush()
    return user, clinic, created
