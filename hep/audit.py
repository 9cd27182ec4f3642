"""The audit log: administrative actions and security events, written append-only, read by
site admins (and by a clinic admin for their clinic), exported as CSV. It names people and
what was done to whom, never health data (no notes, no programs, no figures)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections.abc import Iterator, Sequence
from typing import Any, cast

from sqlalchemy import Select, Table, insert, or_, select
from sqlalchemy.orm import Session

from hep.models import AuditEntry, User

# every action the log records, with what it means (the API documents this list)
ACTIONS = {
    "sign_in": "a sign-in (browser or API token)",
    "sign_in_failed": "a sign-in with a wrong email or password",
    "password_changed": "a password changed in the profile",
    "password_set": "a password set through an invite or sign-in link",
    "sign_in_link_issued": "a sign-in link made for a locked-out user",
    "export": "a data export",
    "account_created": "an account made by an admin, a sign-up or a clinic invite",
    "account_deleted": "an account deleted by its owner",
    "account_disabled": "an account disabled",
    "account_enabled": "an account enabled",
    "role_changed": "a site role changed",
    "clinic_created": "a clinic founded",
    "clinic_renamed": "a clinic renamed",
    "clinic_invite_sent": "a therapist invited to a clinic (or the invite re-sent)",
    "clinic_invite_revoked": "a clinic invite withdrawn",
    "clinic_member_joined": "a therapist joined a clinic",
    "clinic_member_removed": "a therapist left or was removed from a clinic",
    "clinic_role_changed": "a clinic role changed",
    "patient_added": "a therapist added a new patient (invited to set a password)",
    "link_requested": "a therapist asked to join an existing account's care team",
    "link_request_declined": "a patient declined a link request",
    "care_access_granted": "a therapist joined a patient's care team",
    "care_access_revoked": "a therapist's access to a patient ended",
    "care_lead_transferred": "the lead of a care team changed",
    "discharged": "a patient discharged",
    "readmitted": "a discharged patient re-admitted",
}

CSV_COLUMNS = (
    "at",
    "action",
    "actor_id",
    "actor_name",
    "subject_id",
    "subject_name",
    "clinic_id",
    "detail",
)
# a spreadsheet runs a cell that starts like a formula (OWASP's list)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def record(
    session: Session,
    action: str,
    *,
    actor: User | None,
    now: dt.datetime,
    subject: User | None = None,
    clinic_id: uuid.UUID | None = None,
    detail: str = "",
    actor_name: str | None = None,
    subject_name: str | None = None,
) -> None:
    """Append one entry (in the caller's transaction: it lands if and only if the action
    does). `actor` None: nobody signed in (a failed sign-in). The names default to the
    people's names now."""
    assert action in ACTIONS, action
    row = {
        "at": now,
        "action": action,
        "actor_id": actor.id if actor else None,
        "actor_name": actor_name if actor_name is not None else (actor.name if actor else ""),
        "subject_id": subject.id if subject else None,
        "subject_name": subject_name
        if subject_name is not None
        else (subject.name if subject else ""),
        "clinic_id": clinic_id,
        "detail": detail[:300],
    }
    session.execute(insert(cast(Table, AuditEntry.__table__)), [row])


def _filtered(
    clinic_id: uuid.UUID | None, action: str | None, text: str | None
) -> Select[AuditEntry]:
    query = select(AuditEntry)
    if clinic_id is not None:
        query = query.where(AuditEntry.clinic_id == clinic_id)
    if action:
        query = query.where(AuditEntry.action == action)
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                AuditEntry.actor_name.ilike(pattern, escape="\\"),
                AuditEntry.subject_name.ilike(pattern, escape="\\"),
            )
        )
    return query


def entries(
    session: Session,
    *,
    clinic_id: uuid.UUID | None = None,
    action: str | None = None,
    text: str | None = None,
    limit: int,
    offset: int,
) -> Sequence[AuditEntry]:
    """Newest first; `clinic_id` keeps one clinic's entries (a clinic admin's view)."""
    query = _filtered(clinic_id, action, text)
    return session.scalars(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit).offset(offset)
    ).all()


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: one that would start a formula gets a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_rows(
    session: Session,
    *,
    clinic_id: uuid.UUID | None = None,
    action: str | None = None,
    text: str | None = None,
    batch: int = 1000,
) -> Iterator[str]:
    """The entries as CSV text (a header, then oldest first), read in batches by id so an
    export of a long log streams in bounded memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        chunk = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return chunk

    writer.writerow(CSV_COLUMNS)
    yield flush()
    last = 0
    while True:
        found = session.scalars(
            _filtered(clinic_id, action, text)
            .where(AuditEntry.id > last)
            .order_by(AuditEntry.id)
            .limit(batch)
        ).all()
        for entry in found:
            writer.writerow(
                [
                    entry.at.isoformat(),
                    entry.action,
                    entry.actor_id or "",
                    safe_cell(entry.actor_name),
                    entry.subject_id or "",
                    safe_cell(entry.subject_name),
                    entry.clinic_id or "",
                    safe_cell(entry.detail),
                ]
            )
        if found:
            yield flush()
            last = found[-1].id
        if len(found) < batch:
            return


def entries_about(session: Session, user: User) -> list[dict[str, Any]]:
    """What the log holds about the user (as actor or subject), for their export."""
    found = session.scalars(
        select(AuditEntry)
        .where(or_(AuditEntry.actor_id == user.id, AuditEntry.subject_id == user.id))
        .order_by(AuditEntry.id)
    )
    return [
        {
            "at": e.at.isoformat(),
            "action": e.action,
            "actor": e.actor_name,
            "subject": e.subject_name,
            "detail": e.detail,
        }
        for e in found
    ]
