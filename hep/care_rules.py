"""The thresholds behind the attention list: hep's defaults, a clinic's own defaults for its
patients, and one patient's overrides set by a therapist of their team (with whether hep may
apply progressions and regressions by itself). A patient follows the clinic they are cared
for under by their lead therapist."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from hep.care import export_section, patient_of
from hep.clinics import managed_clinic, visible_clinic
from hep.db import insert_first
from hep.errors import Invalid
from hep.models import CareLink, ClinicCareRules, PatientCareRules, User
from hep.translations import _


@dataclass(frozen=True)
class CareRules:
    """When a patient needs a look (hep.attention). Bounds: BOUNDS."""

    high_pain: int = 7  # a check-in's pain or the day's diary score at or above this
    rising_sessions: int = 3  # pain during one exercise rising over its last this many sessions
    rising_points: int = 2  # ... by at least this much from the first of them to the last
    too_hard_sessions: int = 2  # "too hard" (difficulty 5) on this many of its last 3 sessions
    pain_skips: int = 2  # skipped for pain this many times in the last 7 days


BOUNDS: dict[str, tuple[int, int]] = {
    "high_pain": (1, 10),
    "rising_sessions": (2, 10),
    "rising_points": (1, 10),
    "too_hard_sessions": (1, 3),
    "pain_skips": (1, 14),
}
NAMES = tuple(field.name for field in dataclasses.fields(CareRules))
DEFAULTS = CareRules()


def effective(*layers: Mapping[str, Any] | None) -> CareRules:
    """hep's defaults overridden by each layer in turn (clinic, then patient). Unknown or out
    of bounds values (never stored: the API checks them) are left out."""
    values: dict[str, int] = {}
    for layer in layers:
        for name, value in (layer or {}).items():
            low, high = BOUNDS.get(name, (1, 0))
            if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
                values[name] = value
    return dataclasses.replace(DEFAULTS, **values)


def _checked(rules: Mapping[str, Any]) -> dict[str, int]:
    found = {}
    for name, value in rules.items():
        if value is None:
            continue  # back to the layer below
        if name not in BOUNDS:
            raise Invalid.field(name, _("Unknown threshold."))
        low, high = BOUNDS[name]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise Invalid.field(name, _("A whole number from {low} to {high}.", low=low, high=high))
        found[name] = value
    return found


Row = TypeVar("Row", ClinicCareRules, PatientCareRules)


def _first_use(session: Session, model: type[Row], key: uuid.UUID, make: Callable[[], Row]) -> Row:
    """The row, locked; made on first use (racing first uses make one)."""
    found = session.get(model, key, with_for_update=True)
    if found is not None:
        return found
    made = make()
    if insert_first(session, made):
        return made
    return session.get_one(model, key, with_for_update=True, populate_existing=True)


def clinic_rules(
    session: Session, user: User, clinic_id: uuid.UUID
) -> tuple[ClinicCareRules | None, CareRules]:
    """A clinic's own defaults (members and site admins read them) and what they come to."""
    visible_clinic(session, user, clinic_id)
    own = session.get(ClinicCareRules, clinic_id)
    return own, effective(own.rules if own else None)


def set_clinic_rules(
    session: Session,
    user: User,
    clinic_id: uuid.UUID,
    rules: Mapping[str, Any],
    pain_advice: str,
    now: dt.datetime,
) -> ClinicCareRules:
    """Set a clinic's defaults (its admins): these thresholds (null or left out: hep's) and
    words on high pain (empty: hep's). Its patients' figures are recomputed. Flushes."""
    managed_clinic(session, user, clinic_id)
    own = _first_use(
        session,
        ClinicCareRules,
        clinic_id,
        lambda: ClinicCareRules(clinic_id=clinic_id, rules={}, pain_advice="", updated_at=now),
    )
    own.rules = _checked(rules)
    own.pain_advice = pain_advice.strip()
    own.updated_at = now
    own.updated_by = user.id
    session.flush()
    return own


def patient_rules(
    session: Session, therapist: User, patient_id: uuid.UUID
) -> tuple[PatientCareRules | None, CareRules, CareRules]:
    """A patient's own overrides, the clinic's defaults they follow, and what they come to."""
    patient = patient_of(session, therapist, patient_id)
    own = session.get(PatientCareRules, patient.id)
    clinic = clinic_layer(session, patient.id)
    return own, effective(clinic), effective(clinic, own.rules if own else None)


def clinic_layer(session: Session, patient_id: uuid.UUID) -> dict[str, Any] | None:
    """The defaults of the clinic the patient's lead therapist cares for them under."""
    found: dict[str, Any] | None = session.scalar(
        select(ClinicCareRules.rules)
        .join(CareLink, CareLink.clinic_id == ClinicCareRules.clinic_id)
        .where(CareLink.patient_id == patient_id, CareLink.is_lead, CareLink.ended_at.is_(None))
    )
    return found


def set_patient_rules(
    session: Session,
    therapist: User,
    patient_id: uuid.UUID,
    changes: Mapping[str, Any],
    now: dt.datetime,
) -> PatientCareRules:
    """Set a patient's own thresholds (null or left out: the clinic's) and whether hep may
    take steps by itself (a therapist of their team). Flushes."""
    patient = patient_of(session, therapist, patient_id)
    own = _first_use(
        session,
        PatientCareRules,
        patient.id,
        lambda: PatientCareRules(patient_id=patient.id, rules={}, updated_at=now),
    )
    own.rules = _checked(changes["thresholds"])
    own.auto_progress = bool(changes["auto_progress"])
    own.auto_regress = bool(changes["auto_regress"])
    own.updated_at = now
    own.updated_by = therapist.id
    session.flush()
    return own


@export_section
def _export_care_rules(session: Session, user: User) -> tuple[str, Any]:
    own = session.get(PatientCareRules, user.id)
    if own is None:
        return "care_rules", None
    return "care_rules", {
        "thresholds": dict(own.rules),
        "auto_progress": own.auto_progress,
        "auto_regress": own.auto_regress,
        "updated_at": own.updated_at.isoformat(),
    }
