"""The lists of patients: a therapist's own, and a clinic's whole caseload for its admins.
Who needs attention comes first (then by name), one page ordered and cut in SQL over the
adherence snapshots (hep.snapshots), each row's reasons read from the same SQL
(hep.attention); discharged patients have a list of their own."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, exists, func, null, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import BindParameter

from hep import attention
from hep.care_team import team_ids
from hep.clinics import escape_like
from hep.models import AdherenceSnapshot, CareLink, Discharge, User
from hep.snapshots import missing_or_stale, recompute, stale_among

Snap = AdherenceSnapshot


def _scope(kind: str) -> Select[uuid.UUID]:
    """The patients a list covers: a therapist's active links, or a clinic's."""
    column = CareLink.therapist_id if kind == "therapist" else CareLink.clinic_id
    return select(CareLink.patient_id).where(
        column == bindparam("scope_id"), CareLink.ended_at.is_(None)
    )


def _open_discharge(patient: Any) -> Any:
    return (
        select(Discharge.discharged_at)
        .where(Discharge.patient_id == patient.id, Discharge.readmitted_at.is_(None))
        .scalar_subquery()
    )


def _stale_count(kind: str) -> Any:
    """How many of the list's patients lack a fresh snapshot (uncorrelated: computed once
    per statement)."""
    user, snap = aliased(User), aliased(Snap)
    return (
        select(func.count())
        .select_from(user)
        .outerjoin(snap, snap.patient_id == user.id)
        .where(user.id.in_(_scope(kind)), missing_or_stale(snap, user))
        .correlate(None)
        .scalar_subquery()
    )


@dataclass(frozen=True)
class Narrowing:
    """What a list is narrowed to: patients whose name or email holds `text` (any case), and
    those for whom the attention reason `reason` holds (open or acknowledged)."""

    text: str = ""
    reason: str | None = None


def _narrowed(searching: bool, reason: str | None) -> list[Any]:
    found: list[Any] = []
    if searching:
        pattern: BindParameter[str] = bindparam("pattern")
        found.append(
            or_(User.name.ilike(pattern, escape="\\"), User.email.ilike(pattern, escape="\\"))
        )
    if reason is not None:
        found.append(getattr(Snap, attention.BY_NAME[reason].column).is_not(None))
    return found


# built once per kind of list and narrowing: a list is read on every visit, and its
# statements never change (the searched text is a parameter)
@functools.cache
def _page(
    kind: str, discharged: bool, searching: bool = False, reason: str | None = None
) -> Select[*tuple[Any, ...]]:
    is_discharged = exists().where(
        Discharge.patient_id == User.id, Discharge.readmitted_at.is_(None)
    )
    order = (User.name, User.id) if discharged else (*attention.order(Snap), User.name, User.id)
    return (
        select(
            User.id,
            User.name,
            User.email,
            User.timezone,
            User.password_hash.is_not(None).label("invite_accepted"),
            User.created_at,
            Snap.percent_7_days,
            Snap.percent_prev_7_days,
            Snap.last_activity_at,
            Snap.pain_trend,
            Snap.pause_mode,
            Snap.acknowledged_at,
            *attention.states(Snap),
            (_open_discharge(User) if discharged else null()).label("discharged_at"),
            # whether the order can be trusted, in the same statement: the warm path is one query
            _stale_count(kind).label("stale"),
        )
        .join(Snap, Snap.patient_id == User.id)
        .where(
            User.id.in_(_scope(kind)),
            is_discharged if discharged else ~is_discharged,
            *_narrowed(searching, reason),
        )
        .order_by(*order)
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
    )


@functools.cache
def _stale(kind: str) -> Select[uuid.UUID, str, int]:
    return stale_among(_scope(kind))


def _read(
    session: Session,
    kind: str,
    scope_id: uuid.UUID,
    now: dt.datetime,
    *,
    offset: int,
    limit: int,
    discharged: bool,
    narrowing: Narrowing = Narrowing(),
) -> list[dict[str, Any]]:
    """One page of a list. If any of its patients' snapshots is stale, those are refreshed
    in one batch and the page is read again."""
    params: dict[str, Any] = {
        "scope_id": scope_id,
        "now": now,
        "offset": offset,
        "limit": limit,
    }
    searching = bool(narrowing.text.strip())
    if searching:
        params["pattern"] = f"%{escape_like(narrowing.text.strip())}%"
    page = _page(kind, discharged, searching, narrowing.reason)
    # Core, not ORM, execution: plain rows are all the page needs
    rows = session.connection().execute(page, params).all()
    # an empty page cannot say (patients without any snapshot are not joined): ask directly
    if (rows[0].stale if rows else True) and (stale := session.execute(_stale(kind), params).all()):
        recompute(session, stale, now)
        rows = session.connection().execute(page, params).all()
    fields = [column.name for column in page.selected_columns][:-1]  # all but "stale"
    found = []
    for row in rows:
        summary = dict(zip(fields, row, strict=False))
        opened, acknowledged = attention.explain(summary)
        summary["attention"] = [] if discharged else opened
        summary["acknowledged"] = [] if discharged else acknowledged
        found.append(summary)
    return found


def patient_list(
    session: Session,
    therapist: User,
    now: dt.datetime,
    *,
    offset: int,
    limit: int,
    discharged: bool = False,
    narrowing: Narrowing = Narrowing(),
) -> list[dict[str, Any]]:
    """A therapist's patients (their active links): who needs attention first, then by name;
    `discharged`: the discharged ones, by name; `narrowing`: only those found by a search
    or an attention reason."""
    return _read(
        session,
        "therapist",
        therapist.id,
        now,
        offset=offset,
        limit=limit,
        discharged=discharged,
        narrowing=narrowing,
    )


def clinic_caseload(
    session: Session,
    clinic_id: uuid.UUID,
    now: dt.datetime,
    *,
    offset: int,
    limit: int,
    discharged: bool = False,
) -> list[dict[str, Any]]:
    """Every patient cared for under the clinic, like a therapist's list, each with their
    whole care team (the lead first): one more query, whatever the page."""
    rows = _read(
        session, "clinic", clinic_id, now, offset=offset, limit=limit, discharged=discharged
    )
    teams = team_ids(session, [row["id"] for row in rows])
    for row in rows:
        row["therapists"] = [
            {"id": str(tid), "name": name, "lead": bool(lead), "in_clinic": cid == clinic_id}
            for tid, name, lead, cid in teams[row["id"]]
        ]
    return rows
