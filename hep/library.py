"""The exercise library: the built-in set (seeded idempotently) and therapists' own exercises,
private or shared with a clinic, copied from another to adapt it, archived when retired."""

from __future__ import annotations

import datetime as dt
import functools
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sqlalchemy import ColumnElement, Select, case, delete, exists, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from hep.clinics import is_clinic_admin, member_clinics, membership
from hep.errors import Forbidden, Invalid, NotFound
from hep.languages import DEFAULT, supported
from hep.models import Exercise, ProgramItem, ProgramTemplate, ProgramTemplateVersion, User
from hep.models.library import tag_string
from hep.translations import _

DOSE_FIELDS = (
    "sets",
    "reps",
    "hold_seconds",
    "duration_seconds",
    "rest_seconds",
    "side",
    "times_per_day",
)


def builtin_exercises() -> list[dict[str, Any]]:
    text = (resources.files("hep") / "data" / "exercises.json").read_text(encoding="utf-8")
    exercises: list[dict[str, Any]] = json.loads(text)["exercises"]
    return exercises


@dataclass(frozen=True, slots=True)
class Words:
    """What an exercise says to a person: its name, summary, steps and cautions."""

    name: str
    summary: str
    instructions: list[str]
    cautions: list[str]


@functools.cache
def translated_builtins(language: str) -> Mapping[str, Words]:
    """The built-ins' words in a language, by slug, from hep/data/exercises.<language>.json
    (read once per process); empty for English and for a language not translated yet."""
    language = supported(language)
    if language == DEFAULT:
        return {}
    source = resources.files("hep") / "data" / f"exercises.{language}.json"
    if not source.is_file():
        return {}
    found = json.loads(source.read_text(encoding="utf-8"))["exercises"]
    return {
        slug: Words(
            name=words["name"],
            summary=words["summary"],
            instructions=list(words["instructions"]),
            cautions=list(words["cautions"]),
        )
        for slug, words in found.items()
    }


def exercise_words(exercise: Exercise, language: str) -> Words:
    """An exercise's words for a reader of `language`: a built-in's translation (English where
    there is none), a therapist's own exercise as written."""
    if exercise.slug is not None:
        found = translated_builtins(language).get(exercise.slug)
        if found is not None:
            return found
    return Words(
        exercise.name,
        exercise.summary,
        list(exercise.instructions or []),
        list(exercise.cautions or []),
    )


def exercise_name(slug: str | None, name: str, language: str) -> str:
    """An exercise's name for a reader of `language`, from its slug and stored (English or
    therapist-written) name: for queries that read only those two columns."""
    if slug is not None:
        found = translated_builtins(language).get(slug)
        if found is not None:
            return found.name
    return name


def _name_in(language: str) -> ColumnElement[str] | InstrumentedAttribute[str]:
    """Exercise.name as a reader of `language` sees it, for ordering in SQL."""
    names = {slug: words.name for slug, words in translated_builtins(language).items()}
    if not names:
        return Exercise.name
    return case(names, value=Exercise.slug, else_=Exercise.name)


def _apply(exercise: Exercise, data: dict[str, Any]) -> None:
    for field in ("name", "summary", "category", "instructions", "cautions", "media_url"):
        if field in data:
            setattr(exercise, field, data[field])
    if "regions" in data:
        exercise.regions = tag_string(data["regions"])
    if "equipment" in data:
        exercise.equipment = tag_string(data["equipment"])
    dose = data.get("dose", {})
    for field in DOSE_FIELDS:
        if field in dose:
            setattr(exercise, field, dose[field])


def seed_builtins(session: Session, now: dt.datetime) -> int:
    """Insert or refresh the built-in exercises by slug; re-running never duplicates.
    Returns how many were added."""
    existing = {
        e.slug: e for e in session.scalars(select(Exercise).where(Exercise.slug.is_not(None)))
    }
    added = 0
    for data in builtin_exercises():
        exercise = existing.get(data["slug"])
        if exercise is None:
            exercise = Exercise(slug=data["slug"], owner_id=None, created_at=now)
            session.add(exercise)
            added += 1
        _apply(exercise, data)
        exercise.updated_at = now
    session.flush()
    return added


def visible_to(viewer: User) -> Select[Exercise]:
    """Built-ins, the viewer's own, and those shared with a clinic of theirs; a patient sees
    exercises through programs only."""
    return select(Exercise).where(
        or_(
            Exercise.built_in,
            Exercise.owner_id == viewer.id,
            Exercise.clinic_id.in_(member_clinics(viewer.id)),
        )
    )


def search(
    session: Session,
    viewer: User,
    *,
    region: str | None = None,
    category: str | None = None,
    equipment: str | None = None,
    text: str | None = None,
    mine: bool = False,
    archived: bool = False,
    language: str = DEFAULT,
    limit: int,
    offset: int,
) -> Sequence[Exercise]:
    """Archived exercises are left out, unless asked for (then only they are listed). Text
    finds a built-in by its words in `language` as well as in English; the list is in the
    order of the names `language` reads."""
    query = visible_to(viewer)
    if mine:
        query = query.where(Exercise.owner_id == viewer.id)
    archived_at = Exercise.archived_at
    query = query.where(archived_at.is_not(None) if archived else archived_at.is_(None))
    if region:
        query = query.where(Exercise.regions.like(f"%,{region},%"))
    if category:
        query = query.where(Exercise.category == category)
    if equipment == "none":
        query = query.where(Exercise.equipment == "")
    elif equipment:
        query = query.where(Exercise.equipment.like(f"%,{equipment},%"))
    if text:
        pattern = (
            "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        wanted = text.casefold()
        translated = [
            slug
            for slug, words in translated_builtins(language).items()
            if wanted in words.name.casefold() or wanted in words.summary.casefold()
        ]
        query = query.where(
            or_(
                Exercise.name.ilike(pattern, escape="\\"),
                Exercise.summary.ilike(pattern, escape="\\"),
                Exercise.slug.in_(translated),
            )
        )
    return session.scalars(
        query.order_by(_name_in(language), Exercise.id).limit(limit).offset(offset)
    ).all()


def get_visible(session: Session, viewer: User, exercise_id: uuid.UUID) -> Exercise:
    exercise = session.scalar(visible_to(viewer).where(Exercise.id == exercise_id))
    if exercise is None:
        raise NotFound()
    return exercise


def _share_with(session: Session, owner: User, clinic_id: uuid.UUID | None) -> None:
    if clinic_id is not None and membership(session, clinic_id, owner.id) is None:
        raise Invalid.field("clinic_id", _("You are not a member of this clinic."))


def create_exercise(
    session: Session, owner: User, data: dict[str, Any], now: dt.datetime
) -> Exercise:
    _share_with(session, owner, data.get("clinic_id"))
    exercise = Exercise(
        owner_id=owner.id, clinic_id=data.get("clinic_id"), created_at=now, updated_at=now
    )
    _apply(exercise, data)
    session.add(exercise)
    session.flush()
    return exercise


def editable(session: Session, viewer: User, exercise_id: uuid.UUID) -> Exercise:
    """An exercise the viewer may change: their own; one whose author left, for an admin of
    the clinic it is shared with. Built-ins and colleagues' are read-only (403)."""
    exercise = get_visible(session, viewer, exercise_id)
    if exercise.built_in:
        raise Forbidden(_("Built-in exercises are read-only; copy one to adapt it."))
    if exercise.owner_id == viewer.id or (
        exercise.owner_id is None and is_clinic_admin(session, viewer, exercise.clinic_id)
    ):
        return exercise
    raise Forbidden(_("Only the exercise's author can change it; copy it to adapt it."))


def update_exercise(
    session: Session, owner: User, exercise_id: uuid.UUID, data: dict[str, Any], now: dt.datetime
) -> Exercise:
    """Edit, share with a clinic (clinic_id; null: private), archive (archived: true) or
    bring back."""
    exercise = editable(session, owner, exercise_id)
    if "clinic_id" in data:
        if exercise.owner_id is None:
            raise Forbidden(_("An exercise whose author left stays shared with its clinic."))
        _share_with(session, owner, data["clinic_id"])
        exercise.clinic_id = data["clinic_id"]
    if "archived" in data:
        exercise.archived_at = (exercise.archived_at or now) if data["archived"] else None
    _apply(exercise, data)
    exercise.updated_at = now
    session.flush()
    return exercise


# what makes an exercise someone's, rather than what it is
_NOT_COPIED = {"id", "slug", "owner_id", "clinic_id", "archived_at", "created_at", "updated_at"}


def copy_exercise(
    session: Session, viewer: User, exercise_id: uuid.UUID, now: dt.datetime
) -> Exercise:
    """The viewer's own private copy of an exercise they see (a built-in, a colleague's), to
    adapt."""
    source = get_visible(session, viewer, exercise_id)
    copy = Exercise(owner_id=viewer.id, created_at=now, updated_at=now)
    for column in Exercise.__table__.columns:
        if column.name not in _NOT_COPIED:
            setattr(copy, column.name, getattr(source, column.name))
    session.add(copy)
    session.flush()
    return copy


def exercises_export(session: Session, owner: User) -> list[dict[str, Any]]:
    return [
        {
            "name": e.name,
            "summary": e.summary,
            "regions": e.regions.strip(","),
            "category": e.category,
            "instructions": e.instructions,
            "cautions": e.cautions,
            "shared_with_clinic": str(e.clinic_id) if e.clinic_id else None,
            "archived": e.archived_at is not None,
        }
        for e in session.scalars(select(Exercise).where(Exercise.owner_id == owner.id))
    ]


_IN_A_PROGRAM = exists().where(ProgramItem.exercise_id == Exercise.id)


def release_exercises(session: Session, owner: User) -> None:
    """Before a therapist's account goes, what others still need stays, with no owner: their
    exercises a program uses (patients keep reading their programs; a colleague revising one
    may keep them), and what they shared with a clinic: those templates and exercises, and the
    exercises those templates use, stay the clinic's (its admins may change them). The rest
    goes with the account."""
    # a program written meanwhile either commits first (and is seen) or waits for this one
    session.execute(select(Exercise.id).where(Exercise.owner_id == owner.id).with_for_update())
    shared = session.execute(
        select(ProgramTemplate.id, ProgramTemplate.clinic_id).where(
            ProgramTemplate.owner_id == owner.id, ProgramTemplate.clinic_id.is_not(None)
        )
    ).all()
    for template_id, clinic_id in shared:
        used = {
            uuid.UUID(str(item["exercise_id"]))
            for items in session.scalars(
                select(ProgramTemplateVersion.items).where(
                    ProgramTemplateVersion.template_id == template_id
                )
            )
            for item in items
        }
        session.execute(
            update(Exercise)
            .where(Exercise.id.in_(used), Exercise.owner_id == owner.id)
            .where(Exercise.clinic_id.is_(None))
            .values(clinic_id=clinic_id)
            .execution_options(synchronize_session=False)
        )
    session.execute(
        update(ProgramTemplate)
        .where(ProgramTemplate.owner_id == owner.id, ProgramTemplate.clinic_id.is_not(None))
        .values(owner_id=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Exercise)
        .where(Exercise.owner_id == owner.id)
        .where(or_(_IN_A_PROGRAM, Exercise.clinic_id.is_not(None)))
        .values(owner_id=None)
        .execution_options(synchronize_session=False)
    )


def drop_unused_ownerless(session: Session) -> None:
    """What nobody needs any more goes: templates left without an author or a clinic (the
    clinic closed), then released exercises in no program and no clinic's library."""
    session.execute(
        delete(ProgramTemplate)
        .where(ProgramTemplate.owner_id.is_(None), ProgramTemplate.clinic_id.is_(None))
        .execution_options(synchronize_session=False)
    )
    session.execute(
        delete(Exercise)
        .where(Exercise.owner_id.is_(None), ~Exercise.built_in, ~_IN_A_PROGRAM)
        .where(Exercise.clinic_id.is_(None))
        .execution_options(synchronize_session=False)
    )
