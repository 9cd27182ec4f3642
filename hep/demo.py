"""Demo data for trying hep locally: a therapist and a patient with known sign-ins."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from hep.accounts import create_user
from hep.models import CareLink, Role, User
from hep.passwords import Hasher

THERAPIST_EMAIL = "therapist@demo.hep"
PATIENT_EMAIL = "patient@demo.hep"


@dataclass(frozen=True)
class DemoAccounts:
    therapist: User
    patient: User
    password: str


def _ensure_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: Role,
    password: str,
    hasher: Hasher,
    now: dt.datetime,
) -> User:
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        return create_user(
            session,
            email=email,
            name=name,
            role=role,
            timezone="Europe/Berlin",
            password=password,
            hasher=hasher,
            now=now,
        )
    # re-running the demo hands out a fresh password instead of duplicating accounts
    user.password_hash = hasher.hash(password)
    user.is_active = True
    return user


def load_demo(session: Session, *, hasher: Hasher, now: dt.datetime) -> DemoAccounts:
    """Create (or refresh) the demo therapist and patient; idempotent. Flushes, never commits."""
    password = "demo-" + secrets.token_urlsafe(9)
    therapist = _ensure_user(
        session,
        email=THERAPIST_EMAIL,
        name="Dana Demo",
        role=Role.THERAPIST,
        password=password,
        hasher=hasher,
        now=now,
    )
    patient = _ensure_user(
        session,
        email=PATIENT_EMAIL,
        name="Pat Demo",
        role=Role.PATIENT,
        password=password,
        hasher=hasher,
        now=now,
    )
    session.flush()
    linked = session.scalar(
        select(CareLink.id).where(
            CareLink.therapist_id == therapist.id, CareLink.patient_id == patient.id
        )
    )
    if linked is None:
        session.add(CareLink(therapist_id=therapist.id, patient_id=patient.id, created_at=now))
    for extend in DEMO_EXTENSIONS:
        extend(session, therapist, patient, now)
    session.flush()
    return DemoAccounts(therapist, patient, password)


# later capabilities (programs, habits, reminders) add their demo rows here
DEMO_EXTENSIONS: list = []
