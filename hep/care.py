"""Care: which therapist may read which patient (the one ownership check), the access log of
those reads, and what a person takes with them: their export and the deletion of their
account. (Adding patients: hep.invites; the team itself: hep.care_team.)"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Table, delete, exists, func, insert, select
from sqlalchemy.orm import Session, aliased

from hep import audit
from hep.accounts import end_all_sessions
from hep.clinics import clinics_of, leave_all_clinics
from hep.errors import Invalid, NotFound
from hep.exports import SECTIONS
from hep.exports import export_section as export_section  # modules register through either
from hep.library import drop_unused_ownerless, release_exercises
from hep.models import AccessLogEntry, AccessLogPending, AuthSession, CareLink, Role, User
from hep.passwords import Hasher
from hep.translations import _


def patients_of(session: Session, therapist: User) -> Sequence[User]:
    return session.scalars(
        select(User)
        .join(CareLink, CareLink.patient_id == User.id)
        .where(CareLink.therapist_id == therapist.id, CareLink.ended_at.is_(None))
        .order_by(User.name, User.id)
    ).all()


def patient_of(session: Session, therapist: User, patient_id: uuid.UUID) -> User:
    """The therapist's own patient, or NotFound: the one place care-team ownership is checked.
    Only an active link counts, so access ends the moment a link does (sessions included)."""
    patient = session.scalar(
        select(User)
        .join(CareLink, CareLink.patient_id == User.id)
        .where(CareLink.therapist_id == therapist.id, User.id == patient_id)
        .where(CareLink.ended_at.is_(None))
    )
    if patient is None:
        raise NotFound()
    return patient


def therapists_of(session: Session, patient: User) -> Sequence[User]:
    return session.scalars(
        select(User)
        .join(CareLink, CareLink.therapist_id == User.id)
        .where(CareLink.patient_id == patient.id, CareLink.ended_at.is_(None))
        .order_by(User.name)
    ).all()


def log_access(
    session: Session,
    therapist: User,
    patient_ids: Iterable[uuid.UUID],
    action: str,
    now: dt.datetime,
) -> None:
    """Log a therapist's read of these patients' data (no health values). One patient: a row
    of the log. Many (a page of the list): one pending row naming them all, spread into the log
    by `settle_access_log` before anyone reads it."""
    ids = list(patient_ids)
    who = {"actor_id": therapist.id, "actor_name": therapist.name, "action": action, "at": now}
    if len(ids) == 1:
        session.execute(
            insert(cast(Table, AccessLogEntry.__table__)), [who | {"patient_id": ids[0]}]
        )
    elif ids:
        row = who | {"patient_ids": [str(pid) for pid in ids]}
        session.execute(insert(cast(Table, AccessLogPending.__table__)), [row])


SETTLE_BATCH = 500


def settle_access_log(session: Session, batch: int = SETTLE_BATCH) -> int:
    """Spread up to `batch` pending reads into per-patient log rows, oldest first, in one
    transaction with their removal (a DELETE ... RETURNING, so two settlers never both spread
    one read). Patients deleted meanwhile are left out. Returns how many reads were spread."""
    pending = cast(Table, AccessLogPending.__table__)
    claimed = session.execute(
        delete(pending)
        .where(pending.c.id.in_(select(pending.c.id).order_by(pending.c.id).limit(batch)))
        .returning(
            pending.c.id,
            pending.c.actor_id,
            pending.c.actor_name,
            pending.c.action,
            pending.c.at,
            pending.c.patient_ids,
        )
    ).all()
    if not claimed:
        return 0
    named = {uuid.UUID(pid) for read in claimed for pid in read.patient_ids}
    alive = set(session.scalars(select(User.id).where(User.id.in_(named))))
    rows = [
        {
            "patient_id": pid,
            "actor_id": read.actor_id,
            "actor_name": read.actor_name,
            "action": read.action,
            "at": read.at,
        }
        for read in sorted(claimed, key=lambda read: read.id)
        for pid in map(uuid.UUID, read.patient_ids)
        if pid in alive
    ]
    if rows:
        session.execute(insert(cast(Table, AccessLogEntry.__table__)), rows)
    return len(claimed)


def settle_all_access_log(session: Session) -> None:
    """Spread every pending read, so a patient's view of the log is complete."""
    while settle_access_log(session) == SETTLE_BATCH:
        pass


def _hour(column: Any, dialect: str) -> Any:
    """The UTC hour an instant falls in, as each engine writes it."""
    if dialect == "sqlite":
        return func.strftime("%Y-%m-%d %H", column)  # stored as UTC text
    return func.date_trunc("hour", func.timezone("UTC", column))


def access_log(session: Session, patient: User, *, limit: int, offset: int) -> list[dict[str, Any]]:
    """Who read the patient's data, newest first. The same person reading the same thing
    again within an hour (of the clock, UTC) is one entry with how many times and the first
    and last time; every read stays stored as its own row (the export lists them all)."""
    settle_all_access_log(session)
    log = AccessLogEntry
    hour = _hour(log.at, session.get_bind().dialect.name)
    last = func.max(log.at)
    rows = session.execute(
        select(log.actor_name, log.action, last, func.min(log.at), func.count(), func.max(log.id))
        .where(log.patient_id == patient.id)
        .group_by(log.actor_id, log.actor_name, log.action, hour)
        .order_by(last.desc(), func.max(log.id).desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [
        {"actor_name": name, "action": action, "at": at, "first_at": first, "count": times}
        for name, action, at, first, times, _second in rows
    ]


def export_user(session: Session, user: User, now: dt.datetime) -> dict[str, Any]:
    """Everything hep holds about the user, machine-readable. The export itself is audited."""
    from hep.care_team import team_export

    settle_all_access_log(session)
    data: dict[str, Any] = {
        "format": "hep-export",
        "version": 2,
        "exported_at": now.isoformat(),
        "account": {
            "id": str(user.id),
            "email": user.email,
            "name": user.name,
            "role": user.role.value,
            "timezone": user.timezone,
            "created_at": user.created_at.isoformat(),
        },
        "therapists": [{"id": str(t.id), "name": t.name} for t in therapists_of(session, user)],
        "care_team": team_export(session, user),
        "clinics": [
            {"id": str(clinic.id), "name": clinic.name, "role": role.value}
            for clinic, role in clinics_of(session, user)
        ],
        "sessions": [
            {"kind": s.kind, "created_at": s.created_at.isoformat()}
            for s in session.scalars(select(AuthSession).where(AuthSession.user_id == user.id))
        ],
        "access_log": [
            {"actor": e.actor_name, "action": e.action, "at": e.at.isoformat()}
            for e in session.scalars(
                select(AccessLogEntry)
                .where(AccessLogEntry.patient_id == user.id)
                .order_by(AccessLogEntry.at)
            )
        ],
    }
    # later capabilities register what they hold (hep.exports), so the export stays complete
    # without this module knowing every table
    for section in SECTIONS:
        key, value = section(session, user)
        data[key] = value
    audit.record(session, "export", actor=user, subject=user, now=now)
    data["security_events"] = audit.entries_about(session, user)
    return data


WRONG_PASSWORD = _("The password is wrong.")


def check_password(user: User, password: str, hasher: Hasher) -> None:
    """Refuse (beside the password field) unless it is the user's own: asked before a step
    that cannot be undone, and by the step itself."""
    if not hasher.verify(user.password_hash, password):
        raise Invalid.field("password", WRONG_PASSWORD)


def delete_account(
    session: Session, user: User, *, password: str, hasher: Hasher, now: dt.datetime
) -> None:
    """Delete the account and everything that hangs off it (foreign keys cascade; rows that
    only name the user as author or reader keep a null there). What others still need stays:
    see `release_exercises`; a patient's log of who read their data keeps the reader's name.
    A therapist's access ends first like any leaving (the lead passes on), and their clinics
    keep an admin."""
    from hep.care_team import end_links_of
    from hep.questionnaires import drop_unused

    check_password(user, password, hasher)
    end_all_sessions(session, user.id)
    # no read naming them may outlive the account in the pending table
    settle_all_access_log(session)
    if user.role is Role.THERAPIST:
        end_links_of(session, user, clinic_id=None, reason="account_deleted", by=user, now=now)
        _delete_unclaimed_patients(session, user)
        release_exercises(session, user)
        drop_unused(session, user)
        leave_all_clinics(session, user, now)
    audit.record(session, "account_deleted", actor=user, subject=user, now=now)
    session.execute(delete(User).where(User.id == user.id))
    drop_unused_ownerless(session)


def _delete_unclaimed_patients(session: Session, therapist: User) -> None:
    """Patients the therapist added who never accepted an invite and have no other therapist:
    nobody can sign in to them any more, and they would keep their email address taken."""
    others = aliased(CareLink)
    unclaimed = (
        select(User.id)
        .join(CareLink, CareLink.patient_id == User.id)
        .where(CareLink.therapist_id == therapist.id, User.password_hash.is_(None))
        .where(
            ~exists().where(
                others.patient_id == User.id,
                others.therapist_id != therapist.id,
                others.ended_at.is_(None),
            )
        )
    )
    session.execute(
        delete(User)
        .where(User.id.in_(unclaimed.scalar_subquery()))
        .execution_options(synchronize_session=False)
    )
