"""Progression and regression. A program item may have a next and a previous step (another
exercise, or the same with another dose). hep proposes the next step when the patient did
enough of the dose over a period with little pain and difficulty, and the previous one when
pain is high on repeated sessions (criteria per item, else hep's: StepRules). A proposal
shows its sessions; applying it makes a new program version; it never repeats while open,
and only evidence newer than the item's last decision counts. Worked out by the scheduler in
batches and after a check-in that rates an exercise (hep.step_checks), never on a read."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hep.care import export_section, patient_of
from hep.errors import Conflict, NotFound
from hep.languages import DEFAULT
from hep.library import exercise_name
from hep.models import Exercise, Program, ProgramItem, StepProposal, User
from hep.programs import ITEM_FIELDS, STEP_FIELDS, copy_version, view
from hep.translations import _


@dataclass(frozen=True)
class StepRules:
    """When hep proposes a step of an item (bounds and meaning: STEP_BOUNDS)."""

    progress_share: int = 80
    progress_days: int = 14
    progress_max_pain: int = 3
    progress_max_difficulty: int = 3
    regress_pain: int = 6
    regress_sessions: int = 2
    regress_window: int = 3


STEP_BOUNDS: dict[str, tuple[int, int, str]] = {
    "progress_share": (50, 100, "% of the prescribed dose done, at least, to move on"),
    "progress_days": (7, 56, "... over this many days"),
    "progress_max_pain": (0, 10, "... with pain never above this"),
    "progress_max_difficulty": (1, 5, "... and difficulty never above this"),
    "regress_pain": (1, 10, "pain at or above this steps back ..."),
    "regress_sessions": (1, 10, "... on this many ..."),
    "regress_window": (1, 10, "... of the item's last this many sessions with a pain score"),
}


PROPOSAL_WAS = {
    "applied": _("This proposal was applied."),
    "superseded": _("This proposal was superseded."),
    "dismissed": _("This proposal was dismissed."),
}
"""Why a proposal that is no longer open cannot be answered, by its status."""


def step_rules(stored: Mapping[str, Any] | None) -> StepRules:
    """An item's criteria: hep's, with what the item sets (out of bounds: left out)."""
    values = {}
    for name, value in (stored or {}).items():
        low, high, _words = STEP_BOUNDS.get(name, (1, 0, ""))
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            values[name] = value
    rules = dataclasses.replace(StepRules(), **values)
    if rules.regress_sessions > rules.regress_window:
        rules = dataclasses.replace(rules, regress_sessions=rules.regress_window)
    return rules


# --- words ---------------------------------------------------------------------------------


def dose_words(dose: Mapping[str, Any]) -> str:
    """ "3 sets of 10, hold 5 s, twice a day": a dose in plain words."""
    parts = []
    sets, reps = dose.get("sets"), dose.get("reps")
    if reps:
        parts.append(f"{sets or 1} sets of {reps}" if (sets or 1) > 1 else f"{reps} times")
    elif sets and sets > 1:
        parts.append(f"{sets} sets")
    if dose.get("hold_seconds"):
        parts.append(f"hold {dose['hold_seconds']} s")
    if dose.get("duration_seconds"):
        seconds = dose["duration_seconds"]
        parts.append(f"{seconds // 60} min" if seconds % 60 == 0 else f"{seconds} s")
    times = dose.get("times_per_day")
    if times and times > 1:
        parts.append("twice a day" if times == 2 else f"{times} times a day")
    if dose.get("load_note"):
        parts.append(str(dose["load_note"]))
    return ", ".join(parts)


def step_names(
    session: Session, items: Sequence[ProgramItem], language: str = DEFAULT
) -> dict[str, str]:
    """The names of the exercises the items' steps name, for a reader of `language`: one
    query."""
    ids = {
        uuid.UUID(step["exercise_id"])
        for item in items
        for step in (item.next_step, item.previous_step)
        if step and step.get("exercise_id")
    }
    if not ids:
        return {}
    rows = session.execute(
        select(Exercise.id, Exercise.slug, Exercise.name).where(Exercise.id.in_(ids))
    )
    return {str(id_): exercise_name(slug, name, language) for id_, slug, name in rows}


def named_step(
    step: Mapping[str, Any] | None,
    exercise: Exercise,
    names: Mapping[str, str],
    language: str = DEFAULT,
) -> dict[str, Any] | None:
    """A stored step as the API shows it: with its exercise's name and its dose in words."""
    if not step:
        return None
    other = step.get("exercise_id")
    return {
        **step,
        "exercise_name": names.get(other, "Another exercise")
        if other
        else exercise_name(exercise.slug, exercise.name, language),
        "words": dose_words(step),
    }


# --- a step taken --------------------------------------------------------------------------


def _as_step(item: ProgramItem) -> dict[str, Any]:
    """The item as it is, as a step to come back to."""
    return {"exercise_id": str(item.exercise_id), **{f: getattr(item, f) for f in STEP_FIELDS}}


def taken(item: ProgramItem, direction: str, new_exercise: Exercise | None) -> dict[str, Any]:
    """What an item becomes when it takes its next (progress) or previous (regress) step:
    the step's exercise and dose (another exercise starts from its own default dose), with
    the way back (or on) set to the item as it was. Its flags and criteria stay."""
    step = item.next_step if direction == "progress" else item.previous_step
    assert step is not None
    fields: dict[str, Any] = {}
    if new_exercise is not None and new_exercise.id != item.exercise_id:
        fields["exercise_id"] = new_exercise.id
        fields.update(
            {
                f: getattr(new_exercise, f)
                for f in ("sets", "reps", "hold_seconds", "duration_seconds", "times_per_day")
            }
        )
        fields["load_note"] = ""
    fields.update({f: step[f] for f in STEP_FIELDS if f in step})
    back = _as_step(item)
    if direction == "progress":
        fields.update(previous_step=back, next_step=None)
    else:
        fields.update(next_step=back, previous_step=None)
    return fields


def _step_exercise(session: Session, step: Mapping[str, Any]) -> Exercise | None:
    found = step.get("exercise_id")
    return session.get(Exercise, uuid.UUID(found)) if found else None


def matches(proposal: StepProposal, item: ProgramItem | None) -> bool:
    """The item is still what the proposal was worked out from (same exercise, dose, step)."""
    if item is None:
        return False
    step = item.next_step if proposal.direction == "progress" else item.previous_step
    return bool(proposal.evidence.get("from") == item_state(item) and step == proposal.step)


def item_state(item: ProgramItem) -> dict[str, Any]:
    """An item's exercise and dose, as a proposal remembers them."""
    return {"exercise_id": str(item.exercise_id), **{f: getattr(item, f) for f in ITEM_FIELDS}}


def lock_program(session: Session, program: Program) -> None:
    # one change of a program at a time: racing taps (or a tap and the scheduler) queue here
    session.refresh(program, with_for_update={"key_share": True})


def apply_proposal(
    session: Session, proposal: StepProposal, by: User | None, now: dt.datetime
) -> StepProposal:
    """Take the proposed step as a new program version (history kept). Applying an applied
    proposal changes nothing (racing taps make one version); one whose item has changed
    since is (marked) superseded and changes nothing either; a dismissed one cannot be
    applied. Flushes."""
    program = session.get_one(Program, proposal.program_id)
    lock_program(session, program)
    session.refresh(proposal, with_for_update={"key_share": True})
    if proposal.status in ("applied", "superseded"):
        return proposal
    if proposal.status != "open":
        raise Conflict(PROPOSAL_WAS[proposal.status])
    current = view(session, program)
    item = next((i for i, _second in current.items if i.item_key == proposal.item_key), None)
    if item is None or not matches(proposal, item):
        proposal.status = "superseded"
        proposal.decided_at = now
        session.flush()
        return proposal
    change = taken(item, proposal.direction, _step_exercise(session, proposal.step))
    moved = "Moved on" if proposal.direction == "progress" else "Stepped back"
    version = copy_version(
        session,
        by,
        program,
        current,
        current.version.end_date,
        now,
        note=f"{moved} a step{' (by hep)' if by is None else ''}",
        changed={item.item_key: change},
    )
    proposal.status = "applied"
    proposal.decided_at = now
    proposal.decided_by = by.id if by is not None else None
    proposal.decided_by_name = by.name if by is not None else "hep"
    proposal.applied_version = version.version
    proposal.auto = by is None
    session.flush()
    return proposal


def proposal_for_therapist(
    session: Session, therapist: User, proposal_id: uuid.UUID
) -> StepProposal:
    """A proposal about one of the therapist's patients (else NotFound)."""
    proposal = session.get(StepProposal, proposal_id)
    if proposal is None:
        raise NotFound()
    patient_of(session, therapist, proposal.patient_id)
    return proposal


def dismiss_proposal(
    session: Session, therapist: User, proposal: StepProposal, note: str, now: dt.datetime
) -> StepProposal:
    """Say no to a proposal; only sessions after today can lead to another. Dismissing a
    dismissed one changes nothing; an applied one cannot be. Flushes."""
    program = session.get_one(Program, proposal.program_id)
    lock_program(session, program)
    session.refresh(proposal, with_for_update={"key_share": True})
    if proposal.status == "dismissed":
        return proposal
    if proposal.status != "open":
        raise Conflict(PROPOSAL_WAS[proposal.status])
    proposal.status = "dismissed"
    proposal.decided_at = now
    proposal.decided_by = therapist.id
    proposal.decided_by_name = therapist.name
    proposal.note = note
    session.flush()
    return proposal


def supersede_changed(session: Session, program: Program, now: dt.datetime) -> None:
    """After the therapist changed a program by hand, its open proposals about items that
    changed no longer stand. Flushes."""
    found = list(
        session.scalars(
            select(StepProposal).where(
                StepProposal.program_id == program.id, StepProposal.status == "open"
            )
        )
    )
    if not found:
        return
    current = {item.item_key: item for item, _second in view(session, program).items}
    for proposal in found:
        if not matches(proposal, current.get(proposal.item_key)):
            proposal.status = "superseded"
            proposal.decided_at = now
    session.flush()


def proposals_of(
    session: Session, patient_id: uuid.UUID, *, open_only: bool, limit: int = 100
) -> Sequence[StepProposal]:
    query = select(StepProposal).where(StepProposal.patient_id == patient_id)
    if open_only:
        query = query.where(StepProposal.status == "open")
    return session.scalars(query.order_by(StepProposal.created_at.desc()).limit(limit)).all()


def changes_of(session: Session, patient_id: uuid.UUID, limit: int = 50) -> Sequence[StepProposal]:
    """The steps taken in the patient's programs, the latest first: what changed and why."""
    return session.scalars(
        select(StepProposal)
        .where(StepProposal.patient_id == patient_id, StepProposal.status == "applied")
        .order_by(StepProposal.decided_at.desc())
        .limit(limit)
    ).all()


def proposal_view(proposal: StepProposal) -> dict[str, Any]:
    return {
        "id": proposal.id,
        "program_id": proposal.program_id,
        "item_key": proposal.item_key,
        "direction": proposal.direction,
        "status": proposal.status,
        "words": proposal.words,
        "step": proposal.step,
        "evidence": proposal.evidence,
        "created_at": proposal.created_at,
        "decided_at": proposal.decided_at,
        "decided_by": proposal.decided_by_name or None,
        "auto": proposal.auto,
        "applied_version": proposal.applied_version,
        "note": proposal.note,
    }


@export_section
def _export_proposals(session: Session, user: User) -> tuple[str, Any]:
    rows = session.scalars(
        select(StepProposal)
        .where(StepProposal.patient_id == user.id)
        .order_by(StepProposal.created_at)
    )
    return "step_proposals", [
        {
            "program_id": str(p.program_id),
            "item_key": str(p.item_key),
            "direction": p.direction,
            "status": p.status,
            "words": p.words,
            "evidence": p.evidence,
            "created_at": p.created_at.isoformat(),
            "decided_at": p.decided_at.isoformat() if p.decided_at else None,
            "decided_by": p.decided_by_name or None,
            "applied_version": p.applied_version,
        }
        for p in rows
    ]
