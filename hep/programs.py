"""Programs: prescribe, revise (a new version each time), end, archive, and read."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hep.care import export_section, patient_of
from hep.errors import Invalid, NotFound
from hep.library import exercise_name, get_visible
from hep.models import Exercise, Program, ProgramItem, ProgramVersion, User
from hep.reminders.rules import reschedule_program
from hep.timezones import local_date
from hep.translations import _

ITEM_FIELDS = (
    "sets",
    "reps",
    "hold_seconds",
    "duration_seconds",
    "rest_seconds",
    "side",
    "load_note",
    "times_per_day",
    "weekdays",
    "notes",
)
CARE_FIELDS = ("keep_in_flare", "minimum_dose", "next_step", "previous_step", "step_rules")
"""Per item: still due in a flare-up, or as the minimum dose of a busy week (hep.pauses);
its next and previous steps and their criteria (hep.steps)."""
STEP_FIELDS = ("sets", "reps", "hold_seconds", "duration_seconds", "times_per_day", "load_note")
"""What a step may change of an item's dose (besides the exercise)."""
# adherence is best with short programs; past these the builder warns, never blocks
WARN_ITEMS = 6
WARN_MINUTES = 15
SECONDS_PER_REP = 3
SECONDS_BETWEEN_ITEMS = 20


@dataclass(frozen=True)
class ProgramView:
    program: Program
    version: ProgramVersion
    items: list[tuple[ProgramItem, Exercise]]


def item_seconds(item: ProgramItem | dict[str, Any]) -> int:
    """Rough time for one session of one item: sides x sets x work, plus rests."""

    def get(name: str) -> Any:
        return item[name] if isinstance(item, dict) else getattr(item, name)

    sets = get("sets") or 1
    if get("duration_seconds"):
        work = get("duration_seconds")
    elif get("reps"):
        work = get("reps") * (SECONDS_PER_REP + (get("hold_seconds") or 0))
    else:
        work = get("hold_seconds") or 30
    sides = 2 if get("side") == "each" else 1
    rest = (get("rest_seconds") or 0) * (sets - 1)
    return int(sides * (sets * work + rest))


def session_minutes(items: Sequence[ProgramItem | dict[str, Any]]) -> float:
    seconds = sum(item_seconds(i) for i in items) + SECONDS_BETWEEN_ITEMS * max(0, len(items) - 1)
    return round(seconds / 60, 1)


def size_warnings(items: Sequence[ProgramItem | dict[str, Any]]) -> list[str]:
    warnings = []
    if len(items) > WARN_ITEMS:
        warnings.append(
            f"{len(items)} exercises: programs of 2-4 exercises are followed best; "
            f"consider fewer than {WARN_ITEMS + 1}."
        )
    minutes = session_minutes(items)
    if minutes > WARN_MINUTES:
        warnings.append(
            f"About {minutes:g} minutes per session: past {WARN_MINUTES} minutes, people do it "
            "less often."
        )
    return warnings


def _check_dates(start: dt.date, end: dt.date | None) -> None:
    if end is not None and end < start:
        raise Invalid.field("end_date", _("The end date is before the start date."))


def _add_items(
    session: Session,
    therapist: User,
    version: ProgramVersion,
    items: Sequence[dict[str, Any]],
    known_keys: set[uuid.UUID],
    kept: dict[uuid.UUID, Exercise] | None = None,
) -> None:
    """`kept`: the exercises the program has now, which a revision may keep even when they are
    in nobody's library the therapist sees (a colleague's own, or one whose author left)."""
    if not items:
        raise Invalid.field("items", _("A program needs at least one exercise."))
    seen: set[uuid.UUID] = set()
    for position, spec in enumerate(items):
        exercise = (kept or {}).get(spec["exercise_id"])
        if exercise is None:
            exercise = get_visible(session, therapist, spec["exercise_id"])
            if exercise.archived_at is not None:
                raise Invalid(
                    _("Invalid items."),
                    {"items": [_("item {position}: this exercise is archived", position=position)]},
                )
        key = spec.get("item_key")
        if key is not None and key not in known_keys:
            raise Invalid(
                _("Invalid items."),
                {"items": [_("item {position}: unknown item_key", position=position)]},
            )
        key = key or uuid.uuid4()
        if key in seen:
            raise Invalid(
                _("Invalid items."),
                {"items": [_("item {position}: item_key used twice", position=position)]},
            )
        seen.add(key)
        care = {
            "keep_in_flare": bool(spec.get("keep_in_flare", False)),
            "minimum_dose": bool(spec.get("minimum_dose", False)),
            "step_rules": spec.get("step_rules") or None,
        }
        for side in ("next_step", "previous_step"):
            care[side] = _stored_step(session, therapist, spec.get(side), position, kept)
        item = ProgramItem(
            version_id=version.id,
            item_key=key,
            exercise_id=exercise.id,
            position=position,
            **{f: spec.get(f, _default_from(exercise, f)) for f in ITEM_FIELDS},
            **care,
        )
        session.add(item)


def _stored_step(
    session: Session,
    therapist: User,
    step: dict[str, Any] | None,
    position: int,
    kept: dict[uuid.UUID, Exercise] | None,
) -> dict[str, Any] | None:
    """A step as stored (JSON): another exercise the therapist may prescribe (or null: the
    same one) and the dose fields it changes."""
    if not step:
        return None
    exercise_id = step.get("exercise_id")
    if exercise_id is not None and exercise_id not in (kept or {}):
        exercise = get_visible(session, therapist, exercise_id)
        if exercise.archived_at is not None:
            raise Invalid(
                _("Invalid items."),
                {"items": [_("item {position}: a step's exercise is archived", position=position)]},
            )
    stored: dict[str, Any] = {"exercise_id": str(exercise_id) if exercise_id else None}
    stored.update({f: step[f] for f in STEP_FIELDS if f in step})
    return stored


def _default_from(exercise: Exercise, field: str) -> Any:
    """An item field the therapist left out takes the exercise's default dose."""
    if field in ("load_note", "notes"):
        return ""
    if field == "weekdays":
        return 0b1111111
    return getattr(exercise, field)


def prescribe(
    session: Session,
    therapist: User,
    patient_id: uuid.UUID,
    spec: dict[str, Any],
    now: dt.datetime,
    *,
    kept: dict[uuid.UUID, Exercise] | None = None,
) -> Program:
    """Create a program (version 1) for one of the therapist's patients. `kept`: exercises it
    may use beyond the therapist's library (a template's)."""
    patient = patient_of(session, therapist, patient_id)
    _check_dates(spec["start_date"], spec.get("end_date"))
    program = Program(
        patient_id=patient.id, therapist_id=therapist.id, current_version=1, created_at=now
    )
    session.add(program)
    session.flush()
    version = ProgramVersion(
        program_id=program.id,
        version=1,
        title=spec["title"],
        notes=spec.get("notes", ""),
        start_date=spec["start_date"],
        end_date=spec.get("end_date"),
        created_at=now,
        created_by=therapist.id,
        change_note="",
        pain_advice=spec.get("pain_advice", ""),
    )
    session.add(version)
    session.flush()
    _add_items(session, therapist, version, spec["items"], set(), kept)
    session.flush()
    return program


def revise(
    session: Session, therapist: User, program_id: uuid.UUID, spec: dict[str, Any], now: dt.datetime
) -> Program:
    """Save an edit as a new version; items that keep their item_key keep their history.
    Racing edits each make their own version, one after another."""
    program = program_for_therapist(session, therapist, program_id)
    # locked and re-read: the next version number is the one after the last edit's
    session.refresh(program, with_for_update={"key_share": True})
    current = view(session, program)
    known = {item.item_key for item, _second in current.items}
    kept = {exercise.id: exercise for _first, exercise in current.items}
    was = current.version
    _check_dates(spec.get("start_date", was.start_date), spec.get("end_date", was.end_date))
    version = ProgramVersion(
        program_id=program.id,
        version=program.current_version + 1,
        title=spec.get("title", was.title),
        notes=spec.get("notes", was.notes),
        start_date=spec.get("start_date", was.start_date),
        end_date=spec.get("end_date", was.end_date),
        created_at=now,
        created_by=therapist.id,
        change_note=spec.get("change_note", ""),
        pain_advice=spec.get("pain_advice", was.pain_advice),
    )
    session.add(version)
    session.flush()
    _add_items(session, therapist, version, spec["items"], known, kept)
    program.current_version = version.version
    session.flush()
    reschedule_program(session, program, now)
    from hep.steps import supersede_changed  # steps build on programs

    supersede_changed(session, program, now)
    session.flush()
    return program


def _version(session: Session, program: Program, number: int) -> ProgramVersion:
    version = session.scalar(
        select(ProgramVersion).where(
            ProgramVersion.program_id == program.id, ProgramVersion.version == number
        )
    )
    if version is None:
        raise NotFound()
    return version


def program_for_therapist(session: Session, therapist: User, program_id: uuid.UUID) -> Program:
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound()
    patient_of(session, therapist, program.patient_id)  # 404 unless it is their patient
    return program


def program_for_patient(session: Session, patient: User, program_id: uuid.UUID) -> Program:
    program = session.get(Program, program_id)
    if program is None or program.patient_id != patient.id:
        raise NotFound()
    return program


def view(session: Session, program: Program, number: int | None = None) -> ProgramView:
    version = _version(session, program, program.current_version if number is None else number)
    rows = session.execute(
        select(ProgramItem, Exercise)
        .join(Exercise, Exercise.id == ProgramItem.exercise_id)
        .where(ProgramItem.version_id == version.id)
        .order_by(ProgramItem.position)
    ).all()
    return ProgramView(program, version, [(i, e) for i, e in rows])


def versions(session: Session, program: Program) -> Sequence[ProgramVersion]:
    return session.scalars(
        select(ProgramVersion)
        .where(ProgramVersion.program_id == program.id)
        .order_by(ProgramVersion.version.desc())
    ).all()


def programs_of(
    session: Session, patient_id: uuid.UUID, *, archived: bool = False
) -> Sequence[Program]:
    """A patient's programs; `archived` adds the archived ones (their history stays)."""
    query = select(Program).where(Program.patient_id == patient_id)
    if not archived:
        query = query.where(Program.archived_at.is_(None))
    return session.scalars(query.order_by(Program.created_at)).all()


@dataclass(frozen=True)
class Ending:
    """What ending a program changed: its end date before, and the one it got."""

    was: dt.date | None
    set: dt.date


def end_program(
    session: Session,
    by: User,
    program: Program,
    last_day: dt.date | None,
    now: dt.datetime,
    *,
    note: str = "Ended",
) -> Ending | None:
    """End a program after `last_day` (by default the patient's yesterday, so nothing of it is
    due from today on) with a new version; its reminders stop by the program's dates. A
    program that has not started by then ends before its first day. None: it ended by then
    already, nothing changed."""
    session.refresh(program, with_for_update={"key_share": True})
    current = view(session, program)
    patient = session.get_one(User, program.patient_id)
    last = last_day or local_date(now, patient.timezone) - dt.timedelta(days=1)
    last = max(last, current.version.start_date - dt.timedelta(days=1))
    was = current.version.end_date
    if was is not None and was <= last:
        return None
    set_end_date(session, by, program, current, last, now, note=note)
    return Ending(was, last)


def set_end_date(
    session: Session,
    by: User,
    program: Program,
    current: ProgramView,
    end_date: dt.date | None,
    now: dt.datetime,
    *,
    note: str,
) -> None:
    """A new version that differs from `current` only in its end date (the caller has locked
    the program)."""
    copy_version(session, by, program, current, end_date, now, note=note)


def copy_version(
    session: Session,
    by: User | None,
    program: Program,
    current: ProgramView,
    end_date: dt.date | None,
    now: dt.datetime,
    *,
    note: str,
    changed: dict[uuid.UUID, dict[str, Any]] | None = None,
) -> ProgramVersion:
    """A new version like `current` (the caller has locked the program) but for its end
    date and the fields of the items in `changed` (by item_key). `by` None: hep made it (an
    automatic step)."""
    was = current.version
    version = ProgramVersion(
        program_id=program.id,
        version=program.current_version + 1,
        title=was.title,
        notes=was.notes,
        start_date=was.start_date,
        end_date=end_date,
        created_at=now,
        created_by=by.id if by is not None else None,
        change_note=note,
        pain_advice=was.pain_advice,
    )
    session.add(version)
    session.flush()
    for item, _version in current.items:
        fields = {
            "exercise_id": item.exercise_id,
            **{f: getattr(item, f) for f in (*ITEM_FIELDS, *CARE_FIELDS)},
        } | (changed or {}).get(item.item_key, {})
        session.add(
            ProgramItem(
                version_id=version.id, item_key=item.item_key, position=item.position, **fields
            )
        )
    program.current_version = version.version
    session.flush()
    reschedule_program(session, program, now)
    session.flush()
    return version


def archive_program(
    session: Session, therapist: User, program_id: uuid.UUID, now: dt.datetime
) -> Program:
    """Archive a program: it leaves the patient's list, Today and adherence, its reminders
    stop; it stays readable by its address, with its versions."""
    program = program_for_therapist(session, therapist, program_id)
    if program.archived_at is None:
        program.archived_at = now
        session.flush()
        reschedule_program(session, program, now)
        session.flush()
    return program


@export_section
def _export_programs(session: Session, user: User) -> tuple[str, Any]:
    exported = []
    for program in session.scalars(select(Program).where(Program.patient_id == user.id)):
        for version in versions(session, program):
            found = view(session, program, version.version)
            exported.append(
                {
                    "program_id": str(program.id),
                    "version": version.version,
                    "title": version.title,
                    "start_date": version.start_date.isoformat(),
                    "end_date": version.end_date.isoformat() if version.end_date else None,
                    "change_note": version.change_note,
                    "pain_advice": version.pain_advice,
                    "items": [
                        {
                            "item_key": str(i.item_key),
                            "exercise": exercise_name(e.slug, e.name, user.language),
                            **{f: getattr(i, f) for f in (*ITEM_FIELDS, *CARE_FIELDS)},
                        }
                        for i, e in found.items
                    ],
                }
            )
    return "programs", exported
