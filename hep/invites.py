"""Invites: a therapist adds a patient (a new account with an invite link to set its
password, or a link request to an account that exists), re-sends the link, and the patient
previews and accepts it."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hep import audit
from hep.accounts import check_new_password, create_user, hash_token, normalize_email
from hep.care import patient_of
from hep.clinics import care_clinic
from hep.db import lock_names
from hep.errors import Conflict, NotFound
from hep.languages import supported
from hep.models import Invite, Role, User
from hep.passwords import Hasher
from hep.timezones import require_timezone
from hep.translations import _


@dataclass(frozen=True)
class Added:
    """What a therapist learns from adding a patient, the same whether or not the address
    had an account: the id to find them by, the name and address as typed, and a link."""

    patient_id: uuid.UUID
    name: str
    email: str
    timezone: str
    created_at: dt.datetime
    invite: Invite
    code: str


def add_patient(
    session: Session,
    therapist: User,
    *,
    email: str,
    name: str,
    timezone: str,
    clinic_id: uuid.UUID | None = None,
    hasher: Hasher,
    invite_lifetime: dt.timedelta,
    now: dt.datetime,
) -> Added:
    """A new address: a patient account without a password, on the therapist's team (under
    their clinic), and an invite to set the password. An address that has an account: a link
    request its owner accepts or declines in the app (hep.link_requests). The answer is the
    same either way, so it never tells whether an account exists."""
    from hep.care_team import active_link, join_team
    from hep.link_requests import request_link

    clinic = care_clinic(session, therapist, clinic_id, now)
    email = normalize_email(email)
    require_timezone(timezone)
    existing = session.scalar(select(User).where(User.email == email))
    if existing is None:
        patient = create_user(
            session,
            email=email,
            name=name,
            role=Role.PATIENT,
            timezone=timezone,
            password=None,
            hasher=hasher,
            now=now,
            address_free=True,
            # what the invite mail is written in, until the patient's phone says otherwise
            language=therapist.language,
        )
        join_team(session, patient, therapist, clinic.id, by=therapist, now=now, new=True)
        invite, code = _new_invite(
            session, therapist, patient, invite_lifetime, now, clinic_id=clinic.id
        )
        audit.record(
            session, "patient_added", actor=therapist, subject=patient, clinic_id=clinic.id, now=now
        )
        return Added(patient.id, patient.name, email, timezone, now, invite, code)
    if active_link(session, therapist.id, existing.id) is not None:
        raise Conflict(_("This patient is on your list already."), {"email": [_("Already yours.")]})
    invite, code = request_link(
        session,
        therapist,
        existing,
        name=name.strip(),
        clinic_id=clinic.id,
        lifetime=invite_lifetime,
        now=now,
    )
    return Added(existing.id, name.strip(), email, timezone, now, invite, code)


def _new_invite(
    session: Session,
    therapist: User,
    patient: User,
    lifetime: dt.timedelta,
    now: dt.datetime,
    *,
    clinic_id: uuid.UUID | None,
) -> tuple[Invite, str]:
    # a re-sent invite replaces the old one: only the newest link works, however many are
    # sent at once (each revokes the one before it)
    lock_names(session, [f"invite:{patient.id}"])
    session.execute(
        update(Invite)
        .where(Invite.patient_id == patient.id, Invite.kind == "account")
        .where(Invite.used_at.is_(None), Invite.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    code = secrets.token_urlsafe(24)
    invite = Invite(
        patient_id=patient.id,
        therapist_id=therapist.id,
        clinic_id=clinic_id,
        name=patient.name,
        code_hash=hash_token(code),
        created_at=now,
        expires_at=now + lifetime,
    )
    session.add(invite)
    session.flush()
    return invite, code


def resend_invite(
    session: Session,
    therapist: User,
    patient_id: uuid.UUID,
    *,
    invite_lifetime: dt.timedelta,
    now: dt.datetime,
) -> tuple[Invite, str]:
    """A new link for a patient the therapist added (the old one stops working): an invite,
    or a link request still waiting for its answer."""
    from hep.link_requests import resend_link_request

    try:
        patient = patient_of(session, therapist, patient_id)
    except NotFound:
        return resend_link_request(
            session, therapist, patient_id, lifetime=invite_lifetime, now=now
        )
    if patient.password_hash is not None:
        raise Conflict(_("This patient has already accepted an invite."))
    previous = session.scalar(
        select(Invite)
        .where(Invite.patient_id == patient.id, Invite.kind == "account")
        .order_by(Invite.created_at.desc())
        .limit(1)
    )
    clinic_id = previous.clinic_id if previous else None
    return _new_invite(session, therapist, patient, invite_lifetime, now, clinic_id=clinic_id)


def _open_invite(session: Session, code: str, now: dt.datetime) -> Invite:
    invite = session.scalar(select(Invite).where(Invite.code_hash == hash_token(code)))
    if (
        invite is None
        or invite.used_at is not None
        or invite.revoked_at is not None
        or invite.expires_at <= now
    ):
        raise NotFound(_("This invite link is unknown, used or expired. Ask for a new one."))
    return invite


def preview_invite(session: Session, code: str, now: dt.datetime) -> tuple[Invite, User, User]:
    invite = _open_invite(session, code, now)
    patient = session.get_one(User, invite.patient_id)
    therapist = session.get_one(User, invite.therapist_id)
    return invite, patient, therapist


def accept_invite(
    session: Session,
    code: str,
    *,
    password: str,
    timezone: str | None,
    hasher: Hasher,
    now: dt.datetime,
    language: str | None = None,
) -> User:
    """Set the invited patient's password (and timezone and language: their phone's, not the
    therapist's they had until now); the code is spent. A link request's code sets nothing:
    its account exists, and answers in the app once signed in."""
    invite = _open_invite(session, code, now)
    if invite.kind != "account":
        raise Conflict(_("This email has an account: sign in and answer the request in the app."))
    patient = session.get_one(User, invite.patient_id)
    check_new_password(password, email=patient.email)
    if timezone is not None:
        patient.timezone = require_timezone(timezone)
    if language is not None:
        patient.language = supported(language)
    # conditional update: two racing accepts of one code cannot both win
    spent = session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound(_("This invite link is unknown, used or expired. Ask for a new one."))
    patient.password_hash = hasher.hash(password)
    session.flush()
    audit.record(session, "password_set", actor=patient, subject=patient, now=now)
    return patient
