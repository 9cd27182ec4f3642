"""What a patient is told the moment they log high pain: stop, and what to do, in the words
their therapist set for the program, else their clinic's, else hep's own."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hep.attention import thresholds_for
from hep.models import CareLink, ClinicCareRules, Program, ProgramItem, ProgramVersion, User

TITLE = "Stop for now"
DEFAULT_ADVICE = (
    "Stop this exercise for today and rest in a position that eases the pain. Gentle "
    "movement you can do without pain is fine; do not push through it. If the pain is "
    "severe, comes with numbness, weakness, fever or chest pain, or keeps getting worse, get "
    "medical help now: call your doctor or the emergency number."
)
TEAM_TOLD = "Your care team has been told and will look at your program."


def program_advice(session: Session, patient_id: uuid.UUID, item_key: uuid.UUID) -> str:
    """The advice of the program the item belongs to, as its current version says it."""
    found: str | None = session.scalar(
        select(ProgramVersion.pain_advice)
        .join(Program, Program.id == ProgramVersion.program_id)
        .join(ProgramItem, ProgramItem.version_id == ProgramVersion.id)
        .where(
            Program.patient_id == patient_id,
            ProgramVersion.version == Program.current_version,
            ProgramItem.item_key == item_key,
        )
        .limit(1)
    )
    return found or ""


def clinic_advice(session: Session, patient_id: uuid.UUID) -> str:
    """The advice of the clinic the patient's lead therapist cares for them under."""
    found: str | None = session.scalar(
        select(ClinicCareRules.pain_advice)
        .join(CareLink, CareLink.clinic_id == ClinicCareRules.clinic_id)
        .where(CareLink.patient_id == patient_id, CareLink.is_lead, CareLink.ended_at.is_(None))
    )
    return found or ""


def advice_for(session: Session, patient_id: uuid.UUID, item_key: uuid.UUID | None) -> str:
    """The words a patient is shown on high pain (during an exercise, or in the diary)."""
    if item_key is not None and (own := program_advice(session, patient_id, item_key)):
        return own
    return clinic_advice(session, patient_id) or DEFAULT_ADVICE


def guidance(
    session: Session, patient: User, pain: int | None, item_key: uuid.UUID | None = None
) -> dict[str, Any] | None:
    """The guidance for a pain score, when it is at or above the patient's threshold."""
    if pain is None:
        return None
    threshold = thresholds_for(session, patient.id).high_pain
    if pain < threshold:
        return None
    has_team = session.scalar(
        select(CareLink.id)
        .where(CareLink.patient_id == patient.id, CareLink.ended_at.is_(None))
        .limit(1)
    )
    return {
        "title": TITLE,
        "advice": advice_for(session, patient.id, item_key),
        "team_told": TEAM_TOLD if has_team is not None else None,
        "threshold": threshold,
    }
