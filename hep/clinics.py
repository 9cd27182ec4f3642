"""Clinics: founding one (a solo therapist's is made without extra steps), members and their
roles, therapists invited by link, and who may manage what. A clinic with members always keeps
at least one admin. Site admins manage every clinic but read no health data."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from hep import audit
from hep.db import lock_names
from hep.errors import Forbidden, Invalid, NotFound
from hep.models import Clinic, ClinicMember, ClinicRole, Role, User
from hep.translations import _


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
            raise Forbidden(_("Only therapists are members of clinics."))
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
        for clinic, _second in mine:
            if clinic.id == clinic_id:
                return clinic
        raise Invalid.field("clinic_id", _("You are not a member of this clinic."))
    if len(mine) == 1:
        return mine[0][0]
    if not mine:
        return own_clinic(session, therapist, now)
    raise Invalid.field("clinic_id", _("You work in several clinics: say which one."))


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
        raise Forbidden(_("Only the clinic's admins can do this."))
    return clinic


def led_clinic(session: Session, user: User, clinic_id: uuid.UUID) -> None:
    """Pass if the user is an admin of the clinic (the caseload: health data, so not site
    admins); NotFound for non-members, Forbidden for other members. One query."""
    found = membership(session, clinic_id, user.id)
    if found is None:
        raise NotFound()
    if found.role is not ClinicRole.ADMIN:
        raise Forbidden(_("Only the clinic's admins can do this."))


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
            query = query.where(Clinic.name.ilike(f"%{escape_like(text)}%", escape="\\"))
        found = session.scalars(query.order_by(Clinic.name, Clinic.id).limit(limit).offset(offset))
        pairs: Sequence[tuple[Clinic, ClinicRole | None]] = [(c, None) for c in found]
    else:
        pairs = list(clinics_of(session, user))[offset : offset + limit]
    counts = _member_counts(session, [c.id for c, _second in pairs])
    return [ClinicView(c, role, counts.get(c.id, 0)) for c, role in pairs]


def clinic_view(session: Session, user: User, clinic_id: uuid.UUID) -> ClinicView:
    clinic = visible_clinic(session, user, clinic_id)
    mine = membership(session, clinic_id, user.id)
    counts = _member_counts(session, [clinic.id])
    return ClinicView(clinic, mine.role if mine else None, counts.get(clinic.id, 0))


def escape_like(text: str) -> str:
    """Text matched literally inside a LIKE pattern (escape character: backslash)."""
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
