"""The care team: the therapists of one patient, exactly one of them the lead, each under a
clinic. Therapists join (added by the patient's invite, a link request or a colleague), hand
the lead over, leave or are removed; the patient sees the team and can remove anyone. Access
ends at once: every check reads the active links. Every change is kept (links end, they are
not deleted) and shown in the patient's access log and in the audit log."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.orm import Session

from hep import audit
from hep.clinics import is_clinic_admin, membership
from hep.db import insert_first, lock_names
from hep.errors import Conflict, Forbidden, Invalid, NotFound
from hep.models import AccessLogEntry, CareLink, Clinic, Role, User
from hep.translations import _

ACTIVE = CareLink.ended_at.is_(None)

# why a link ended, as the patient's access log says it
END_REASONS = {
    "left": "left your care team",
    "removed_by_patient": "was removed from your care team by you",
    "removed_by_clinic": "was removed from your care team by the clinic",
    "left_clinic": "left the clinic, and your care team with it",
    "account_deleted": "closed their account and left your care team",
}


def lock_teams(session: Session, patient_ids: Iterable[uuid.UUID]) -> None:
    """Team changes of one patient run one at a time (the lead rule reads, then writes)."""
    lock_names(session, [f"team:{pid}" for pid in patient_ids])


def active_link(
    session: Session, therapist_id: uuid.UUID, patient_id: uuid.UUID
) -> CareLink | None:
    return session.scalar(
        select(CareLink).where(
            CareLink.therapist_id == therapist_id, CareLink.patient_id == patient_id, ACTIVE
        )
    )


def _lead(session: Session, patient_id: uuid.UUID) -> CareLink | None:
    return session.scalar(
        select(CareLink).where(CareLink.patient_id == patient_id, ACTIVE, CareLink.is_lead)
    )


def _tell_patient(
    session: Session, patient_id: uuid.UUID, therapist: User, what: str, now: dt.datetime
) -> None:
    """An access change in the patient's access log, beside the reads."""
    row = {
        "patient_id": patient_id,
        "actor_id": therapist.id,
        "actor_name": therapist.name,
        "action": what[:64],
        "at": now,
    }
    session.execute(insert(cast(Table, AccessLogEntry.__table__)), [row])


def join_team(
    session: Session,
    patient: User,
    therapist: User,
    clinic_id: uuid.UUID | None,
    *,
    by: User,
    now: dt.datetime,
    new: bool = False,
) -> CareLink:
    """Put a therapist on the patient's team under a clinic; with no lead yet, they lead.
    `new`: the patient was made in this transaction, so nobody else is on the team."""
    if therapist.role is not Role.THERAPIST or patient.role is not Role.PATIENT:
        raise Invalid.field("therapist_id", _("Only a therapist can join a patient's care team."))
    link = CareLink(
        therapist_id=therapist.id,
        patient_id=patient.id,
        clinic_id=clinic_id,
        is_lead=True,
        created_at=now,
        added_by=by.id,
    )
    if new:
        session.add(link)
        session.flush()
    else:
        lock_teams(session, [patient.id])
        taken = Conflict(_("This therapist is on the patient's care team already."))
        if active_link(session, therapist.id, patient.id) is not None:
            raise taken
        link.is_lead = _lead(session, patient.id) is None
        if not insert_first(session, link):  # a racing join of the same pair won
            raise taken
    _tell_patient(session, patient.id, therapist, "joined your care team", now)
    audit.record(
        session,
        "care_access_granted",
        actor=by,
        subject=patient,
        clinic_id=clinic_id,
        detail=f"to {therapist.name}" + (" as lead" if link.is_lead else ""),
        now=now,
    )
    return link


def end_link(
    session: Session, link: CareLink, *, reason: str, by: User | None, now: dt.datetime
) -> None:
    """End one therapist's access (the caller holds the team's lock). A lead's place passes
    to the longest-serving therapist left on the team."""
    therapist = session.get_one(User, link.therapist_id)
    patient = session.get_one(User, link.patient_id)
    was_lead = link.is_lead
    link.ended_at = now
    link.ended_by = by.id if by else None
    link.end_reason = reason
    link.is_lead = False
    session.flush()
    _tell_patient(session, patient.id, therapist, END_REASONS[reason], now)
    audit.record(
        session,
        "care_access_revoked",
        actor=by,
        actor_name=by.name if by else "",
        subject=patient,
        clinic_id=link.clinic_id,
        detail=f"{therapist.name}: {reason}",
        now=now,
    )
    if was_lead:
        successor = session.scalar(
            select(CareLink)
            .where(CareLink.patient_id == patient.id, ACTIVE)
            .order_by(CareLink.created_at, CareLink.id)
            .limit(1)
        )
        if successor is not None:
            _make_lead(session, successor, patient, by=by, now=now)


def _make_lead(
    session: Session, link: CareLink, patient: User, *, by: User | None, now: dt.datetime
) -> None:
    link.is_lead = True
    session.flush()
    therapist = session.get_one(User, link.therapist_id)
    _tell_patient(session, patient.id, therapist, "now leads your care team", now)
    audit.record(
        session,
        "care_lead_transferred",
        actor=by,
        actor_name=by.name if by else "",
        subject=patient,
        clinic_id=link.clinic_id,
        detail=f"to {therapist.name}",
        now=now,
    )


def _patient(session: Session, patient_id: uuid.UUID) -> User:
    return session.get_one(User, patient_id)


def add_colleague(
    session: Session,
    actor: User,
    patient_id: uuid.UUID,
    colleague_id: uuid.UUID,
    now: dt.datetime,
) -> CareLink:
    """A therapist on the team adds a therapist of the clinic they care under."""
    mine = active_link(session, actor.id, patient_id)
    if mine is None:
        raise NotFound()
    colleague = session.get(User, colleague_id)
    if (
        colleague is None
        or mine.clinic_id is None
        or membership(session, mine.clinic_id, colleague.id) is None
    ):
        raise Invalid.field("therapist_id", _("Not a therapist of your clinic."))
    return join_team(
        session, _patient(session, patient_id), colleague, mine.clinic_id, by=actor, now=now
    )


def transfer_lead(
    session: Session, actor: User, patient_id: uuid.UUID, to: uuid.UUID, now: dt.datetime
) -> None:
    """The lead hands the lead to another therapist on the team."""
    lock_teams(session, [patient_id])
    mine = active_link(session, actor.id, patient_id)
    if mine is None:
        raise NotFound()
    if not mine.is_lead:
        raise Forbidden(_("Only the lead can hand the lead over."))
    target = active_link(session, to, patient_id)
    if target is None:
        raise Invalid.field("therapist_id", _("Not on this patient's care team."))
    if target.id == mine.id:
        return
    mine.is_lead = False
    session.flush()  # at most one lead at any moment: the index checks every statement
    _make_lead(session, target, _patient(session, patient_id), by=actor, now=now)


def remove_from_team(
    session: Session, actor: User, patient_id: uuid.UUID, therapist_id: uuid.UUID, now: dt.datetime
) -> None:
    """A therapist leaves (their own id), or an admin of the clinic the therapist cares under
    removes them. Anyone else learns nothing (404)."""
    lock_teams(session, [patient_id])
    link = active_link(session, therapist_id, patient_id)
    if link is None:
        raise NotFound()
    if therapist_id == actor.id:
        reason = "left"
    elif is_clinic_admin(session, actor, link.clinic_id):
        reason = "removed_by_clinic"
    else:
        raise NotFound()
    end_link(session, link, reason=reason, by=actor, now=now)


def patient_removes(
    session: Session, patient: User, therapist_id: uuid.UUID, now: dt.datetime
) -> None:
    """The patient takes a therapist off their team."""
    lock_teams(session, [patient.id])
    link = active_link(session, therapist_id, patient.id)
    if link is None:
        raise NotFound()
    end_link(session, link, reason="removed_by_patient", by=patient, now=now)


def end_links_of(
    session: Session,
    therapist: User,
    *,
    clinic_id: uuid.UUID | None,
    reason: str,
    by: User | None,
    now: dt.datetime,
) -> int:
    """End the therapist's active links (under one clinic, or all). Returns how many."""
    query = select(CareLink.patient_id).where(CareLink.therapist_id == therapist.id, ACTIVE)
    if clinic_id is not None:
        query = query.where(CareLink.clinic_id == clinic_id)
    patients = sorted(session.scalars(query))
    lock_teams(session, patients)
    ended = 0
    for patient_id in patients:
        link = active_link(session, therapist.id, patient_id)
        if link is not None and (clinic_id is None or link.clinic_id == clinic_id):
            end_link(session, link, reason=reason, by=by, now=now)
            ended += 1
    return ended


def end_clinic_links(
    session: Session, clinic_id: uuid.UUID, therapist: User, *, by: User, now: dt.datetime
) -> int:
    """A therapist left or was removed from a clinic: their access to the patients they care
    for under it ends."""
    return end_links_of(
        session, therapist, clinic_id=clinic_id, reason="left_clinic", by=by, now=now
    )


@dataclass(frozen=True)
class TeamMember:
    therapist_id: uuid.UUID | None
    name: str
    clinic_id: uuid.UUID | None
    clinic_name: str
    lead: bool
    since: dt.datetime
    ended_at: dt.datetime | None
    end_reason: str


def team(session: Session, patient_id: uuid.UUID, *, history: bool = False) -> list[TeamMember]:
    """The patient's team, the lead first; with `history`, every link ever, newest first."""
    query = (
        select(CareLink, User.name, Clinic.name)
        .join(User, User.id == CareLink.therapist_id)
        .outerjoin(Clinic, Clinic.id == CareLink.clinic_id)
        .where(CareLink.patient_id == patient_id)
    )
    if history:
        query = query.order_by(CareLink.created_at.desc(), CareLink.id)
    else:
        query = query.where(ACTIVE).order_by(
            CareLink.is_lead.desc(), CareLink.created_at, CareLink.id
        )
    return [
        TeamMember(
            link.therapist_id,
            name,
            link.clinic_id,
            clinic_name or "",
            link.is_lead,
            link.created_at,
            link.ended_at,
            link.end_reason,
        )
        for link, name, clinic_name in session.execute(query)
    ]


def team_export(session: Session, patient: User) -> list[dict[str, Any]]:
    return [
        {
            "therapist": m.name,
            "clinic": m.clinic_name,
            "lead": m.lead,
            "since": m.since.isoformat(),
            "ended_at": m.ended_at.isoformat() if m.ended_at else None,
            "end_reason": m.end_reason,
        }
        for m in team(session, patient.id, history=True)
    ]


# built once: the caseload asks it on every visit
_TEAMS = (
    select(CareLink.patient_id, User.id, User.name, CareLink.is_lead, CareLink.clinic_id)
    .join(User, User.id == CareLink.therapist_id)
    .where(CareLink.patient_id.in_(bindparam("patients", expanding=True)), ACTIVE)
    .order_by(CareLink.is_lead.desc(), User.name)
)


def team_ids(session: Session, patient_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
    """The active teams of several patients at once (one query, plain rows): patient ->
    rows of (therapist id, name, lead, clinic id)."""
    found: dict[uuid.UUID, list[Any]] = {pid: [] for pid in patient_ids}
    if not patient_ids:
        return found
    rows = session.connection().execute(_TEAMS, {"patients": list(patient_ids)})
    for patient_id, therapist_id, name, lead, clinic_id in rows:
        found[patient_id].append((therapist_id, name, lead, clinic_id))
    return found
