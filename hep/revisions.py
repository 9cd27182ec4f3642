"""What changed between two versions of a program, item by item: an item keeps its item_key
from version to version, so each exercise is followed through the edits (added, removed,
changed in its dose or swapped for another exercise, or the same)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from hep.languages import DEFAULT
from hep.library import exercise_name
from hep.models import Exercise, Program, ProgramItem
from hep.programs import CARE_FIELDS, ITEM_FIELDS, view

# what a version says of the whole program
PROGRAM_FIELDS = ("title", "notes", "start_date", "end_date", "pain_advice")
COMPARED = (*ITEM_FIELDS, *CARE_FIELDS)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _changes(before: Any, after: Any, names: tuple[str, ...]) -> list[dict[str, Any]]:
    return [
        {
            "field": name,
            "before": _plain(getattr(before, name)),
            "after": _plain(getattr(after, name)),
        }
        for name in names
        if getattr(before, name) != getattr(after, name)
    ]


def _item(
    change: str,
    item: ProgramItem,
    exercise: Exercise,
    language: str,
    *,
    was: Exercise | None = None,
) -> dict[str, Any]:
    before = was or exercise
    return {
        "item_key": item.item_key,
        "change": change,
        "exercise": exercise_name(exercise.slug, exercise.name, language),
        "exercise_before": exercise_name(before.slug, before.name, language)
        if change != "added"
        else None,
        "fields": [],
    }


def compare(
    session: Session, program: Program, older: int, newer: int, *, language: str = DEFAULT
) -> dict[str, Any]:
    """Version `older` against version `newer` of `program` (404 for one it does not have):
    the program's own fields that differ, then each item in the newer version's order
    (added, changed or the same), then the items the newer version no longer has; exercises
    named for a reader of `language`."""
    before, after = view(session, program, older), view(session, program, newer)
    kept = {item.item_key: (item, exercise) for item, exercise in before.items}
    items: list[dict[str, Any]] = []
    for item, exercise in after.items:
        found = kept.pop(item.item_key, None)
        if found is None:
            items.append(_item("added", item, exercise, language))
            continue
        old, was = found
        fields = _changes(old, item, COMPARED)
        swapped = old.exercise_id != item.exercise_id
        change = "changed" if fields or swapped else "same"
        entry = _item(change, item, exercise, language, was=was)
        entry["fields"] = fields
        items.append(entry)
    items += [_item("removed", item, exercise, language) for item, exercise in kept.values()]
    return {
        "program_id": program.id,
        "from_version": before.version.version,
        "to_version": after.version.version,
        "fields": _changes(before.version, after.version, PROGRAM_FIELDS),
        "items": items,
    }
