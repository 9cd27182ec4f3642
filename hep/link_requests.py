"""Link requests: a therapist who adds an address that already has an account asks its owner
to let them join the care team; the patient accepts or declines in the app. A patient who
signed up alone is linked this way. However many accept one request at once, one link."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hep import audit
from hep.accounts import hash_token
from hep.care import export_section
from hep.care_team import join_team
from hep.clinics import membership
from hep.db import lock_names
from hep.errors import Conflict, NotFound
from hep.models import CareLink, Clinic, Invite, Role, User
from hep.translations import _

_OPEN = (Invite.used_at.is_(None), Invite.revoked_at.is_(None), Invite.declined_at.is_(None))


def request_link(
    session: Session,
    therapist: User,
    account: User,
    *,
    name: str,
    clinic_id: uuid.UUID,
    lifetime: dt.timedelta,
    now: dt.datetime,
) -> tuple[Invite, str]:
    """A link request from the therapist to the account (replacing one still open). An
    account that is not a patient's gets none, but the caller answers alike."""
    code = secrets.token_urlsafe(24)
    invite = Invite(
        patient_id=account.id,
        therapist_id=therapist.id,
        kind="link",
        clinic_id=clinic_id,
        name=name,
        code_hash=hash_token(code),
        created_at=now,
        expires_at=now + lifetime,
    )
    lock_names(session, [f"invite:{account.id}"])
    session.execute(
        update(Invite)
        .where(Invite.patient_id == account.id, Invite.therapist_id == therapist.id)
        .where(Invite.kind == "link", *_OPEN)
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    if account.role is Role.PATIENT:
        session.add(invite)
        session.flush()
        audit.record(
            session,
            "link_requested",
            actor=therapist,
            subject=account,
            subject_name=name,
            clinic_id=clinic_id,
            now=now,
        )
    return invite, code


def resend_link_request(
    session: Session,
    therapist: User,
    patient_id: uuid.UUID,
    *,
    lifetime: dt.timedelta,
    now: dt.datetime,
) -> tuple[Invite, str]:
    """A new link for the therapist's last unanswered request to this account."""
    last = session.scalar(
        select(Invite)
        .where(Invite.patient_id == patient_id, Invite.therapist_id == therapist.id)
        .where(Invite.kind == "link", Invite.used_at.is_(None), Invite.declined_at.is_(None))
        .order_by(Invite.created_at.desc())
        .limit(1)
    )
    if last is None or last.clinic_id is None:
        raise NotFound()
    account = session.get_one(User, patient_id)
    return request_link(
        session,
        therapist,
        account,
        name=last.name,
        clinic_id=last.clinic_id,
        lifetime=lifetime,
        now=now,
    )


@dataclass(frozen=True)
class LinkRequestView:
    invite: Invite
    therapist_name: str
    clinic_name: str


def open_requests(session: Session, patient: User, now: dt.datetime) -> list[LinkRequestView]:
    """The requests waiting for the patient's answer, newest first."""
    rows = session.execute(
        select(Invite, User.name, Clinic.name)
        .join(User, User.id == Invite.therapist_id)
        .outerjoin(Clinic, Clinic.id == Invite.clinic_id)
        .where(Invite.patient_id == patient.id, Invite.kind == "link", *_OPEN)
        .where(Invite.expires_at > now)
        .order_by(Invite.created_at.desc())
    ).all()
    return [LinkRequestView(invite, name, clinic or "") for invite, name, clinic in rows]


def _answer(
    session: Session, patient: User, request_id: uuid.UUID, now: dt.datetime, **values: object
) -> Invite:
    """Mark an open request answered; only one answer of a request ever lands."""
    answered = session.execute(
        update(Invite)
        .where(Invite.id == request_id, Invite.patient_id == patient.id, Invite.kind == "link")
        .where(*_OPEN, Invite.expires_at > now)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if answered.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound(_("This request is unknown, answered or expired."))
    return session.get_one(Invite, request_id, populate_existing=True)


def accept(session: Session, patient: User, request_id: uuid.UUID, now: dt.datetime) -> CareLink:
    """The therapist joins the patient's team, under the clinic they asked from."""
    invite = _answer(session, patient, request_id, now, used_at=now)
    therapist = session.get_one(User, invite.therapist_id)
    if invite.clinic_id is None or membership(session, invite.clinic_id, therapist.id) is None:
        raise Conflict(_("This therapist no longer works in the clinic they asked from."))
    return join_team(session, patient, therapist, invite.clinic_id, by=patient, now=now)


def decline(session: Session, patient: User, request_id: uuid.UUID, now: dt.datetime) -> None:
    invite = _answer(session, patient, request_id, now, declined_at=now)
    therapist = session.get_one(User, invite.therapist_id)
    audit.record(
        session,
        "link_request_declined",
        actor=patient,
        subject=therapist,
        clinic_id=invite.clinic_id,
        now=now,
    )


@export_section
def _export_requests(session: Session, patient: User) -> tuple[str, Any]:
    rows = session.execute(
        select(Invite, User.name)
        .join(User, User.id == Invite.therapist_id)
        .where(Invite.patient_id == patient.id, Invite.kind == "link")
        .order_by(Invite.created_at)
    ).all()
    return "link_requests", [
        {
            "therapist": name,
            "created_at": invite.created_at.isoformat(),
            "accepted_at": invite.used_at.isoformat() if invite.used_at else None,
            "declined_at": invite.declined_at.isoformat() if invite.declined_at else None,
        }
        for invite, name in rows
    ]
