"""The exercise library: the built-in set (seeded idempotently) and therapists' own exercises."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from importlib import resources
from typing import Any

from sqlalchemy import Select, delete, exists, or_, select, update
from sqlalchemy.orm import Session

from hep.errors import Forbidden, NotFound
from hep.models import Exercise, ProgramItem, User
from hep.models.library import tag_string

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
    """Built-ins plus the viewer's own; a patient sees exercises through programs only."""
    return select(Exercise).where(or_(Exercise.built_in, Exercise.owner_id == viewer.id))


def search(
    session: Session,
    viewer: User,
    *,
    region: str | None = None,
    category: str | None = None,
    equipment: str | None = None,
    text: str | None = None,
    mine: bool = False,
    limit: int,
    offset: int,
) -> Sequence[Exercise]:
    query = visible_to(viewer)
    if mine:
        query = query.where(Exercise.owner_id == viewer.id)
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
        query = query.where(
            or_(
                Exercise.name.ilike(pattern, escape="\\"),
                Exercise.summary.ilike(pattern, escape="\\"),
            )
        )
    return session.scalars(
        query.order_by(Exercise.name, Exercise.id).limit(limit).offset(offset)
    ).all()


def get_visible(session: Session, viewer: User, exercise_id: uuid.UUID) -> Exercise:
    exercise = session.scalar(visible_to(viewer).where(Exercise.id == exercise_id))
    if exercise is None:
        raise NotFound()
    return exercise


def create_exercise(
    session: Session, owner: User, data: dict[str, Any], now: dt.datetime
) -> Exercise:
    exercise = Exercise(owner_id=owner.id, created_at=now, updated_at=now)
    _apply(exercise, data)
    session.add(exercise)
    session.flush()
    return exercise


def update_exercise(
    session: Session, owner: User, exercise_id: uuid.UUID, data: dict[str, Any], now: dt.datetime
) -> Exercise:
    exercise = get_visible(session, owner, exercise_id)
    if exercise.built_in:
        raise Forbidden("Built-in exercises are read-only; create your own copy instead.")
    _apply(exercise, data)
    exercise.updated_at = now
    session.flush()
    return exercise


_IN_A_PROGRAM = exists().where(ProgramItem.exercise_id == Exercise.id)


def release_exercises(session: Session, owner: User) -> None:
    """Before a therapist's account goes: their exercises that a program uses stay, with no
    owner, so patients keep reading their programs (they leave every library; a colleague
    revising such a program may keep them). The rest go with the account."""
    # a program written meanwhile either commits first (and is seen) or waits for this one
    session.execute(select(Exercise.id).where(Exercise.owner_id == owner.id).with_for_update())
    session.execute(
        update(Exercise)
        .where(Exercise.owner_id == owner.id, _IN_A_PROGRAM)
        .values(owner_id=None)
        .execution_options(synchronize_session=False)
    )


def drop_unused_ownerless(session: Session) -> None:
    """Released exercises that no program uses any more (their last patient left) go."""
    session.execute(
        delete(Exercise)
        .where(Exercise.owner_id.is_(None), ~Exercise.built_in, ~_IN_A_PROGRAM)
        .execution_options(synchronize_session=False)
    )
