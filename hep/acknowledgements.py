"""A therapist's look at why a patient needs attention: the reasons as they stand (from the
snapshot, read as the list reads them), acknowledging them with a note (the patient leaves the
top of the list until something new happens), and the patient's alert history."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from hep import attention
from hep.care import export_section, patient_of
from hep.models import Acknowledgement, AdherenceSnapshot, AttentionAlert, User
from hep.pause_periods import current_of, pause_view, pauses_of
from hep.snapshots import refresh_stale
from hep.timezones import local_date

Snap = AdherenceSnapshot
HISTORY = 50

_REASONS = select(
    Snap.acknowledged_at,
    *attention.states(Snap),
    *(getattr(Snap, r.column) for r in attention.REASONS),
).where(Snap.patient_id == bindparam("patient"))


def reasons_now(session: Session, patient: User, now: dt.datetime) -> list[dict[str, Any]]:
    """The reasons that hold now, open ones first: name, since when, acknowledged or not.
    A stale snapshot is recomputed first."""
    refresh_stale(session, [patient.id], now)
    row = session.execute(_REASONS, {"patient": patient.id}).one()
    mapping = dict(row._mapping)
    found = []
    for n, reason in enumerate(attention.REASONS):
        state = mapping[f"reason_{n}"]
        if state != attention.NOT_HOLDING:
            found.append(
                {
                    "reason": reason.name,
                    "since": mapping[reason.column],
                    "acknowledged": state == attention.ACKNOWLEDGED,
                }
            )
    return sorted(found, key=lambda r: r["acknowledged"])


def acknowledge(
    session: Session, therapist: User, patient_id: uuid.UUID, note: str, now: dt.datetime
) -> Acknowledgement:
    """The therapist saw the patient's reasons and says what they did. Flushes (the
    patient's figures move: the snapshot is recomputed after the write)."""
    patient = patient_of(session, therapist, patient_id)
    shown = [r["reason"] for r in reasons_now(session, patient, now) if not r["acknowledged"]]
    found = Acknowledgement(
        patient_id=patient.id,
        therapist_id=therapist.id,
        therapist_name=therapist.name,
        note=note.strip(),
        reasons=shown,
        at=now,
    )
    session.add(found)
    session.flush()
    return found


def acknowledgements_of(session: Session, patient_id: uuid.UUID) -> Sequence[Acknowledgement]:
    return session.scalars(
        select(Acknowledgement)
        .where(Acknowledgement.patient_id == patient_id)
        .order_by(Acknowledgement.at.desc())
        .limit(HISTORY)
    ).all()


def alerts_for(
    session: Session, therapist: User, patient_id: uuid.UUID
) -> Sequence[AttentionAlert]:
    """The alerts this therapist was given about the patient, the latest first."""
    return session.scalars(
        select(AttentionAlert)
        .where(AttentionAlert.therapist_id == therapist.id, AttentionAlert.patient_id == patient_id)
        .order_by(AttentionAlert.noted_at.desc())
        .limit(HISTORY)
    ).all()


def attention_view(
    session: Session, therapist: User, patient: User, now: dt.datetime
) -> dict[str, Any]:
    """Everything the therapist's attention panel shows about one patient."""
    reasons = reasons_now(session, patient, now)
    today = local_date(now, patient.timezone)
    pause = current_of(pauses_of(session, patient.id), today)
    return {
        "reasons": reasons,
        "thresholds": dataclasses.asdict(attention.thresholds_for(session, patient.id)),
        "pause": pause_view(pause, today) if pause is not None else None,
        "acknowledgements": acknowledgements_of(session, patient.id),
        "alerts": alerts_for(session, therapist, patient.id),
    }


@export_section
def _export_acknowledgements(session: Session, user: User) -> tuple[str, Any]:
    return "acknowledgements", [
        {
            "by": a.therapist_name,
            "note": a.note,
            "reasons": a.reasons,
            "at": a.at.isoformat(),
        }
        for a in session.scalars(
            select(Acknowledgement)
            .where(Acknowledgement.patient_id == user.id)
            .order_by(Acknowledgement.at)
        )
    ]
