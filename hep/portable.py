"""Portable programs: a program or template written as a hep program file (a documented JSON
format with its own name and version, described by data/hep-program-1.schema.json) and read
back into any hep as a template. Built-in exercises travel by slug; a therapist's own travel
whole (text and dose, not photos or videos). Every problem of a file is reported with its
JSON path; a file of a newer format version is refused as such."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from hep.errors import Invalid
from hep.library import create_exercise
from hep.models import Exercise, ProgramTemplate, User
from hep.models.library import tag_list
from hep.programs import ITEM_FIELDS, ProgramView
from hep.templates import TemplateView, save_template
from hep.translations import _

FORMAT = "hep-program"
VERSION = 1
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DOSE = ("sets", "reps", "hold_seconds", "duration_seconds", "rest_seconds", "side", "times_per_day")


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of the current format version (published at the API)."""
    text = (resources.files("hep") / "data" / "hep-program-1.schema.json").read_text("utf-8")
    found: dict[str, Any] = json.loads(text)
    return found


def _mask_days(mask: int) -> list[str]:
    return [day for i, day in enumerate(DAYS) if mask & (1 << i)]


def _days_mask(days: list[str]) -> int:
    return sum(1 << DAYS.index(day) for day in set(days))


class _Writer:
    """Builds a file: items in order, each custom exercise written once under a ref (e1, e2,
    ...) in order of first use, so the same content always writes the same file."""

    def __init__(self) -> None:
        self.exercises: list[dict[str, Any]] = []
        self.refs: dict[uuid.UUID, str] = {}

    def exercise(self, exercise: Exercise) -> dict[str, str]:
        if exercise.slug is not None:
            return {"slug": exercise.slug}
        ref = self.refs.get(exercise.id)
        if ref is None:
            ref = self.refs[exercise.id] = f"e{len(self.refs) + 1}"
            self.exercises.append(
                {
                    "ref": ref,
                    "name": exercise.name,
                    "summary": exercise.summary,
                    "regions": tag_list(exercise.regions),
                    "category": exercise.category,
                    "equipment": tag_list(exercise.equipment),
                    "dose": {f: getattr(exercise, f) for f in DOSE},
                    "instructions": list(exercise.instructions or []),
                    "cautions": list(exercise.cautions or []),
                }
            )
        return {"ref": ref}

    def item(self, exercise: Exercise, fields: dict[str, Any]) -> dict[str, Any]:
        item: dict[str, Any] = {"exercise": self.exercise(exercise)}
        for name in ITEM_FIELDS:
            if name in fields:
                value = fields[name]
                item[name] = _mask_days(value) if name == "weekdays" else value
        return item

    def document(self, title: str, notes: str, items: list[dict[str, Any]]) -> dict[str, Any]:
        found: dict[str, Any] = {"format": FORMAT, "format_version": VERSION, "title": title}
        found["notes"] = notes
        if self.exercises:
            found["exercises"] = self.exercises
        found["items"] = items
        return found


def export_program(found: ProgramView) -> dict[str, Any]:
    """A program's version as a file: its title, notes and items (no patient, no dates)."""
    writer = _Writer()
    items = [
        writer.item(exercise, {f: getattr(item, f) for f in ITEM_FIELDS})
        for item, exercise in found.items
    ]
    return writer.document(found.version.title, found.version.notes, items)


def export_template(session: Session, found: TemplateView) -> dict[str, Any]:
    """A template's version as a file; a dose field the template leaves to the exercise's
    default is left out here too."""
    ids = {uuid.UUID(str(i["exercise_id"])) for i in found.version.items}
    exercises = {e.id: e for e in session.scalars(select(Exercise).where(Exercise.id.in_(ids)))}
    writer = _Writer()
    items = []
    for stored in found.version.items:
        exercise = exercises[uuid.UUID(str(stored["exercise_id"]))]
        items.append(writer.item(exercise, {k: v for k, v in stored.items() if k in ITEM_FIELDS}))
    return writer.document(found.template.title, found.version.notes, items)


def _path(parts: Any) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def check(document: Any) -> None:
    """Refuse a file that is not a hep program file this hep reads, with every problem by
    its JSON path (Invalid). A newer format version is refused before anything else."""
    if not isinstance(document, dict):
        raise Invalid(_("This is not a hep program file."), {"$": [_("Expected a JSON object.")]})
    if document.get("format") != FORMAT:
        raise Invalid(
            _("This is not a hep program file."),
            {"$.format": [_("Expected “{format}”.", format=FORMAT)]},
        )
    version = document.get("format_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise Invalid(
            _(
                "This file is in hep program format version {version}; this hep reads version "
                "{version2}. Update hep to import it.",
                version=version,
                version2=VERSION,
            ),
            {
                "$.format_version": [
                    _(
                        "Version {version} is newer than {version2}.",
                        version=version,
                        version2=VERSION,
                    )
                ]
            },
        )
    errors: dict[str, list[str]] = {}
    validator = Draft202012Validator(schema())
    for error in validator.iter_errors(document):
        errors.setdefault(_path(error.absolute_path), []).append(_message(error))
    for path, text in _strings(document, "$"):
        if any("\ud800" <= c <= "\udfff" for c in text):
            errors.setdefault(path, []).append("Contains characters that are not allowed.")
    if errors:
        raise Invalid(_("The file does not follow the hep program format."), errors)


def _strings(value: Any, path: str) -> list[tuple[str, str]]:
    """Every string in a JSON value (keys included), with its path."""
    if isinstance(value, str):
        return [(path, value)]
    found: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += [(path, key)] if isinstance(key, str) else []
            found += _strings(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _strings(inner, f"{path}[{index}]")
    return found


def _message(error: Any) -> str:
    # a oneOf over the two ways to name an exercise says which fit, not why: say it plainly
    if error.validator == "oneOf":
        return "Name the exercise by slug (a built-in) or by ref (one of this file's)."
    message: str = error.message
    return message if len(message) <= 300 else message[:297] + "..."


def import_template(
    session: Session,
    therapist: User,
    document: Any,
    now: dt.datetime,
    *,
    clinic_id: uuid.UUID | None = None,
) -> ProgramTemplate:
    """A new template (private, or shared with a clinic of the therapist's) from a file:
    built-ins found by slug, the file's own exercises added to the therapist's library."""
    check(document)
    errors: dict[str, list[str]] = {}
    refs: dict[str, int] = {}
    for index, spec in enumerate(document.get("exercises", [])):
        if spec["ref"] in refs:
            errors.setdefault(f"$.exercises[{index}].ref", []).append("This ref is used twice.")
        refs[spec["ref"]] = index
    slugs = {i["exercise"]["slug"] for i in document["items"] if "slug" in i["exercise"]}
    builtins = {
        e.slug: e
        for e in session.scalars(
            select(Exercise).where(Exercise.slug.in_(slugs), Exercise.owner_id.is_(None))
        )
    }
    for index, item in enumerate(document["items"]):
        named = item["exercise"]
        if "slug" in named and named["slug"] not in builtins:
            errors.setdefault(f"$.items[{index}].exercise.slug", []).append(
                "No built-in exercise of this hep has this slug."
            )
        if "ref" in named and named["ref"] not in refs:
            errors.setdefault(f"$.items[{index}].exercise.ref", []).append(
                "No exercise of this file has this ref."
            )
    if errors:
        raise Invalid(_("The file names exercises this hep cannot find."), errors)
    used = {i["exercise"]["ref"] for i in document["items"] if "ref" in i["exercise"]}
    made: dict[str, Exercise] = {}
    for spec in document.get("exercises", []):
        if spec["ref"] not in used:
            continue  # carried along by a file, used by none of its items: not added
        data = {k: v for k, v in spec.items() if k != "ref"}
        made[spec["ref"]] = create_exercise(
            session, therapist, data | {"clinic_id": clinic_id}, now
        )
    items = []
    for item in document["items"]:
        named = item["exercise"]
        exercise = builtins[named["slug"]] if "slug" in named else made[named["ref"]]
        fields = {k: v for k, v in item.items() if k in ITEM_FIELDS}
        if "weekdays" in fields:
            fields["weekdays"] = _days_mask(fields["weekdays"])
        items.append({"exercise_id": exercise.id, **fields})
    return save_template(
        session,
        therapist,
        {
            "title": document["title"],
            "notes": document.get("notes", ""),
            "items": items,
            "clinic_id": clinic_id,
        },
        now,
    )
