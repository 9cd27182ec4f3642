"""Outcome measures scheduled for a patient: plans (a baseline, then every few weeks, each
prompted by a reminder), the answers for each due date, and the scores over time."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hep.care import export_section, patient_of
from hep.db import insert_first, lock_names
from hep.errors import Conflict, Invalid, NotFound
from hep.models import (
    MeasurePlan,
    MeasureResponse,
    Program,
    ProgramVersion,
    Questionnaire,
    Reminder,
    User,
)
from hep.questionnaires import MeasureAnswer, definition, score_answer
from hep.timezones import local_date
from hep.translations import _
from hep.weeks import slot_on

MAX_PLANS = 10  # active per patient
EVERY_WEEKS = (1, 26)
FIRST_DUE_WITHIN = dt.timedelta(days=365)
REMINDER_LABEL = "Questionnaires"
REMINDER_TIME = dt.time(18, 0)


@dataclass(frozen=True)
class PlanSpec:
    instrument: str
    questionnaire_id: uuid.UUID | None
    every_weeks: int
    first_due: dt.date | None


def period(plan: MeasurePlan) -> dt.timedelta:
    return dt.timedelta(weeks=plan.every_weeks)


def next_slot(first_due: dt.date, every_weeks: int, day: dt.date) -> dt.date:
    """The first due date after `day`."""
    current = slot_on(first_due, every_weeks, day)
    return first_due if current is None else current + dt.timedelta(weeks=every_weeks)


def open_slot(plan: MeasurePlan, today: dt.date) -> dt.date | None:
    """The due date that may be answered today: the one in force, unless the plan ended."""
    if plan.ended_at is not None:
        return None
    return slot_on(plan.first_due, plan.every_weeks, today)


def baseline_day(session: Session, patient: User, today: dt.date) -> dt.date:
    """Where a new plan starts by default: the start of the patient's newest program if it is
    still ahead (the baseline at prescription), else today."""
    start = session.scalar(
        select(ProgramVersion.start_date)
        .join(Program, Program.id == ProgramVersion.program_id)
        .where(
            Program.patient_id == patient.id,
            Program.archived_at.is_(None),
            ProgramVersion.version == Program.current_version,
        )
        .order_by(Program.created_at.desc())
        .limit(1)
    )
    return start if start is not None and start > today else today


def _ensure_reminder(session: Session, patient: User, now: dt.datetime) -> None:
    """The patient's questionnaire reminder, made with their first plan (the caller holds the
    patient's plan lock, so two first plans make one)."""
    from hep.reminders.rules import create_reminder

    found = session.scalar(
        select(Reminder.id)
        .where(Reminder.owner_id == patient.id, Reminder.target_kind == "measure")
        .limit(1)
    )
    if found is not None:
        return
    # at the reminder cap there is none: the app still shows what is due
    with contextlib.suppress(Conflict):
        create_reminder(
            session,
            patient,
            {
                "label": REMINDER_LABEL,
                "target": {"kind": "measure"},
                "rule": {"type": "times", "times": [REMINDER_TIME]},
            },
            now,
        )


def assign_plan(
    session: Session, therapist: User, patient_id: uuid.UUID, spec: PlanSpec, now: dt.datetime
) -> MeasurePlan:
    """Schedule a measure for one of the therapist's patients: first due on `first_due`
    (default: `baseline_day`), then every `every_weeks` weeks."""
    patient = patient_of(session, therapist, patient_id)
    today = local_date(now, patient.timezone)
    if spec.instrument == "custom":
        if spec.questionnaire_id is None:
            raise Invalid.field("questionnaire_id", _("Choose one of your questionnaires."))
        questionnaire = session.get(Questionnaire, spec.questionnaire_id)
        if (
            questionnaire is None
            or questionnaire.owner_id != therapist.id
            or questionnaire.archived_at is not None
        ):
            raise Invalid.field("questionnaire_id", _("No such questionnaire."))
    elif spec.questionnaire_id is not None:
        raise Invalid.field("questionnaire_id", _("Only a custom measure names a questionnaire."))
    first_due = spec.first_due or baseline_day(session, patient, today)
    if not today <= first_due <= today + FIRST_DUE_WITHIN:
        raise Invalid.field("first_due", _("Give a day from today to a year ahead."))
    lock_names(session, [f"measure-plans:{patient.id}"])  # counted and added one at a time
    active = session.scalars(
        select(MeasurePlan).where(
            MeasurePlan.patient_id == patient.id, MeasurePlan.ended_at.is_(None)
        )
    ).all()
    if len(active) >= MAX_PLANS:
        raise Conflict(_("At most {count} measures at a time; end one first.", count=MAX_PLANS))
    if any(
        (p.instrument, p.questionnaire_id) == (spec.instrument, spec.questionnaire_id)
        for p in active
    ):
        raise Conflict(_("This measure is already scheduled for the patient."))
    plan = MeasurePlan(
        patient_id=patient.id,
        instrument=spec.instrument,
        questionnaire_id=spec.questionnaire_id,
        every_weeks=spec.every_weeks,
        first_due=first_due,
        created_by=therapist.id,
        created_at=now,
    )
    session.add(plan)
    session.flush()
    _ensure_reminder(session, patient, now)
    return plan


def end_plan(
    session: Session, therapist: User, patient_id: uuid.UUID, plan_id: uuid.UUID, now: dt.datetime
) -> MeasurePlan:
    """Stop asking; the answers stay."""
    patient = patient_of(session, therapist, patient_id)
    plan = session.get(MeasurePlan, plan_id)
    if plan is None or plan.patient_id != patient.id:
        raise NotFound()
    if plan.ended_at is None:
        plan.ended_at = now
        session.flush()
    return plan


def plans_of(session: Session, patient_id: uuid.UUID) -> Sequence[MeasurePlan]:
    """Every plan of the patient, running ones first, newest first."""
    return session.scalars(
        select(MeasurePlan)
        .where(MeasurePlan.patient_id == patient_id)
        .order_by(MeasurePlan.ended_at.is_not(None), MeasurePlan.created_at.desc())
    ).all()


def own_plan(session: Session, patient: User, plan_id: uuid.UUID) -> MeasurePlan:
    plan = session.get(MeasurePlan, plan_id)
    if plan is None or plan.patient_id != patient.id:
        raise NotFound()
    return plan


def questionnaire_of(session: Session, plan: MeasurePlan) -> Questionnaire | None:
    return (
        None if plan.questionnaire_id is None else session.get(Questionnaire, plan.questionnaire_id)
    )


def _locked(session: Session, plan: MeasurePlan, due_on: dt.date) -> MeasureResponse | None:
    return session.scalar(
        select(MeasureResponse)
        .where(MeasureResponse.plan_id == plan.id, MeasureResponse.due_on == due_on)
        .with_for_update(key_share=True)
    )


def put_response(
    session: Session,
    patient: User,
    plan_id: uuid.UUID,
    due_on: dt.date,
    answer: MeasureAnswer,
    *,
    now: dt.datetime,
) -> tuple[MeasureResponse, bool]:
    """Answer the measure due on `due_on` (created: True) or change that answer while it is
    the one in force; the same answer again changes nothing, so racing PUTs make one row."""
    plan = own_plan(session, patient, plan_id)
    today = local_date(now, patient.timezone)
    current = open_slot(plan, today)
    if slot_on(plan.first_due, plan.every_weeks, due_on) != due_on:
        raise Invalid.field("due_on", _("This measure is not due on that day."))
    if current != due_on:
        raise Conflict(_("Only the measure due now can be answered or changed."))
    stored, score = score_answer(plan.instrument, questionnaire_of(session, plan), answer)
    response = _locked(session, plan, due_on)
    if response is None:
        response = MeasureResponse(
            plan_id=plan.id,
            patient_id=patient.id,
            due_on=due_on,
            answered_on=today,
            answers=stored,
            score=score,
            created_at=now,
            updated_at=now,
        )
        if insert_first(session, response):
            return response, True
        response = _locked(session, plan, due_on)
        assert response is not None  # the racer that created it has committed
    if response.answers != stored:
        response.answers, response.score = stored, score
        response.answered_on, response.updated_at = today, now
        session.flush()
    return response, False


def responses_of(
    session: Session,
    patient_id: uuid.UUID,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Sequence[MeasureResponse]:
    """The patient's answers, oldest due date first, optionally answered within a range."""
    query = select(MeasureResponse).where(MeasureResponse.patient_id == patient_id)
    if start is not None and end is not None:
        query = query.where(MeasureResponse.answered_on.between(start, end))
    return session.scalars(query.order_by(MeasureResponse.due_on, MeasureResponse.id)).all()


def last_activities(responses: Sequence[MeasureResponse], plan_id: uuid.UUID) -> list[str]:
    """The activities of the plan's newest PSFS answer: next time they are rated again."""
    for response in reversed(responses):
        if response.plan_id == plan_id and "activities" in response.answers:
            return [a["name"] for a in response.answers["activities"]]
    return []


def plan_view(
    session: Session,
    plan: MeasurePlan,
    patient: User,
    responses: Sequence[MeasureResponse],
    now: dt.datetime,
) -> dict[str, Any]:
    """A plan as the API shows it: what it asks, when it is due, and its answers."""
    today = local_date(now, patient.timezone)
    mine = [r for r in responses if r.plan_id == plan.id]
    current = open_slot(plan, today)
    answered = {r.due_on for r in mine}
    return {
        "id": plan.id,
        "every_weeks": plan.every_weeks,
        "first_due": plan.first_due,
        "ended": plan.ended_at is not None,
        "due_on": current,
        "due_now": current is not None and current not in answered,
        "next_due": None
        if plan.ended_at is not None
        else next_slot(plan.first_due, plan.every_weeks, today),
        "previous_activities": last_activities(mine, plan.id),
        "measure": definition(plan.instrument, questionnaire_of(session, plan)),
        "responses": mine,
    }


def due_now(session: Session, patient: User, now: dt.datetime) -> list[tuple[MeasurePlan, dt.date]]:
    """Running plans whose due date in force has no answer yet: two queries."""
    today = local_date(now, patient.timezone)
    plans = [
        (plan, slot)
        for plan in session.scalars(
            select(MeasurePlan).where(
                MeasurePlan.patient_id == patient.id, MeasurePlan.ended_at.is_(None)
            )
        )
        if (slot := open_slot(plan, today)) is not None
    ]
    if not plans:
        return []
    answered = {
        (a, b)
        for a, b in session.execute(
            select(MeasureResponse.plan_id, MeasureResponse.due_on).where(
                MeasureResponse.plan_id.in_([p.id for p, _second in plans])
            )
        )
    }
    return [(plan, slot) for plan, slot in plans if (plan.id, slot) not in answered]


@export_section
def _export_measures(session: Session, user: User) -> tuple[str, Any]:
    responses = responses_of(session, user.id)
    return "outcome_measures", [
        {
            "plan_id": str(plan.id),
            "measure": {
                k: str(v) if isinstance(v, uuid.UUID) else v
                for k, v in definition(plan.instrument, questionnaire_of(session, plan)).items()
            },
            "every_weeks": plan.every_weeks,
            "first_due": plan.first_due.isoformat(),
            "ended_at": plan.ended_at.isoformat() if plan.ended_at else None,
            "answers": [
                {
                    "due_on": r.due_on.isoformat(),
                    "answered_on": r.answered_on.isoformat(),
                    "answers": r.answers,
                    "score": r.score,
                }
                for r in responses
                if r.plan_id == plan.id
            ],
        }
        for plan in plans_of(session, user.id)
    ]
