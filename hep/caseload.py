"""The lists of patients: a therapist's own, and a clinic's whole caseload for its admins.
Who needs attention comes first (then by name), one page ordered and cut in SQL over the
adherence snapshots (hep.snapshots), each row's reasons read from the same SQL
(hep.attention); discharged patients have a list of their own."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from typing import Any

from sqlalchemy import Select, bindparam, exists, func, null, select
from sqlalchemy.orm import Session, aliased

from hep import attention
from hep.care_team import team_ids
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


# built once per kind of list: a list is read on every visit, and its statements never change
@functools.cache
def _page(kind: str, discharged: bool) -> Select[*tuple[Any, ...]]:
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
        .where(User.id.in_(_scope(kind)), is_discharged if discharged else ~is_discharged)
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
) -> list[dict[str, Any]]:
    """One page of a list. If any of its patients' snapshots is stale, those are refreshed
    in one batch and the page is read again."""
    params = {
        "scope_id": scope_id,
        "now": now,
        "offset": offset,
        "limit": limit,
    }
    page = _page(kind, discharged)
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
) -> list[dict[str, Any]]:
    """A therapist's patients (their active links): who needs attention first, then by name;
    `discharged`: the discharged ones, by name."""
    return _read(
        session,
        "therapist",
        therapist.id,
        now,
        offset=offset,
        limit=limit,
        discharged=discharged,
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
