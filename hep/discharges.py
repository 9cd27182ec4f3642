"""Discharge and re-admission: a therapist on the team discharges a patient with a note; the
patient's programs end (their reminders stop by the programs' dates, the one rule the
dispatcher and Today share), the patient moves from the attention list to the discharged one,
and their own habits and reminders carry on. The team and the patient still read the history.
Re-admission gives back the end dates the discharge took, unless someone changed them since."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hep import audit
from hep.care import export_section, patient_of
from hep.care_team import active_link, lock_teams
from hep.db import insert_first
from hep.errors import Conflict
from hep.models import Discharge, Program, User
from hep.programs import end_program, programs_of, set_end_date, view
from hep.translations import _


def open_discharge(session: Session, patient_id: uuid.UUID) -> Discharge | None:
    return session.scalar(
        select(Discharge).where(
            Discharge.patient_id == patient_id, Discharge.readmitted_at.is_(None)
        )
    )


def _clinic_of(session: Session, therapist: User, patient: User) -> uuid.UUID | None:
    link = active_link(session, therapist.id, patient.id)
    return link.clinic_id if link else None


def discharge(
    session: Session, therapist: User, patient_id: uuid.UUID, note: str, now: dt.datetime
) -> Discharge:
    patient = patient_of(session, therapist, patient_id)
    lock_teams(session, [patient.id])
    taken = Conflict(_("This patient is discharged already."))
    if open_discharge(session, patient.id) is not None:
        raise taken
    ended: dict[str, Any] = {}
    for program in programs_of(session, patient.id):
        ending = end_program(session, therapist, program, None, now, note="Discharged")
        if ending is not None:
            was = ending.was.isoformat() if ending.was else None
            ended[str(program.id)] = {"was": was, "set": ending.set.isoformat()}
    found = Discharge(
        patient_id=patient.id,
        discharged_at=now,
        discharged_by=therapist.id,
        discharged_by_name=therapist.name,
        note=note,
        ended_programs=ended,
    )
    if not insert_first(session, found):
        raise taken
    audit.record(
        session,
        "discharged",
        actor=therapist,
        subject=patient,
        clinic_id=_clinic_of(session, therapist, patient),
        now=now,
    )
    return found


def readmit(
    session: Session, therapist: User, patient_id: uuid.UUID, now: dt.datetime
) -> Discharge:
    """Back on the attention list; programs the discharge ended run to their old end dates
    again (a program changed since stays as it is)."""
    patient = patient_of(session, therapist, patient_id)
    lock_teams(session, [patient.id])
    found = open_discharge(session, patient.id)
    if found is None:
        raise Conflict(_("This patient is not discharged."))
    found.readmitted_at = now
    found.readmitted_by = therapist.id
    found.readmitted_by_name = therapist.name
    for program_id, ending in found.ended_programs.items():
        program = session.get(Program, uuid.UUID(program_id))
        if program is None or program.archived_at is not None:
            continue
        session.refresh(program, with_for_update={"key_share": True})
        current = view(session, program)
        if current.version.end_date != dt.date.fromisoformat(ending["set"]):
            continue
        was = dt.date.fromisoformat(ending["was"]) if ending["was"] else None
        set_end_date(session, therapist, program, current, was, now, note="Re-admitted")
    session.flush()
    audit.record(
        session,
        "readmitted",
        actor=therapist,
        subject=patient,
        clinic_id=_clinic_of(session, therapist, patient),
        now=now,
    )
    return found


def discharges_of(session: Session, patient_id: uuid.UUID) -> Sequence[Discharge]:
    """The patient's discharges, newest first."""
    return session.scalars(
        select(Discharge)
        .where(Discharge.patient_id == patient_id)
        .order_by(Discharge.discharged_at.desc(), Discharge.id)
    ).all()


@export_section
def _export_discharges(session: Session, patient: User) -> tuple[str, Any]:
    return "discharges", [
        {
            "discharged_at": d.discharged_at.isoformat(),
            "discharged_by": d.discharged_by_name,
            "note": d.note,
            "readmitted_at": d.readmitted_at.isoformat() if d.readmitted_at else None,
            "readmitted_by": d.readmitted_by_name,
        }
        for d in discharges_of(session, patient.id)
    ]
