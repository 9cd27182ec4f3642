"""Printable handouts: a program version as a patient takes it home on paper (who it is for
and from, each exercise with its picture, dose, schedule, steps and cautions, the therapist's
notes, and a QR code that opens hep), the same words for the print view and the PDF."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

import segno
from sqlalchemy import select
from sqlalchemy.orm import Session

from hep.care import log_access
from hep.care_team import team
from hep.errors import NotFound
from hep.illustrations import illustration_url
from hep.models import Exercise, Media, Program, ProgramItem, Role, User
from hep.programs import program_for_patient, program_for_therapist, view
from hep.timezones import local_date

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_TIMES = {1: "Once a day", 2: "Twice a day"}
_SIDES = {"each": "each side", "left": "left side", "right": "right side"}


@dataclass(frozen=True)
class Picture:
    """What an item shows: hep's drawing of a built-in exercise, or the first photo of the
    item (else of its exercise). `media_id` and `slug` say where the bytes come from."""

    url: str
    alt: str
    media_id: uuid.UUID | None = None
    slug: str | None = None


@dataclass(frozen=True)
class HandoutItem:
    name: str
    summary: str
    dose: str
    schedule: str
    steps: list[str]
    cautions: list[str]
    notes: str
    picture: Picture | None


@dataclass(frozen=True)
class Handout:
    program_id: uuid.UUID
    version: int
    title: str
    patient_name: str
    therapist_name: str
    clinic_name: str
    printed_on: dt.date
    dates: str
    notes: str
    app_url: str
    items: list[HandoutItem] = field(default_factory=list)

    def qr_svg(self) -> str:
        """The QR code of `app_url` as an SVG data URI (dark modules on white)."""
        uri: str = segno.make(self.app_url, error="m").svg_data_uri(scale=4, border=2)
        return uri


def seconds_text(n: int) -> str:
    if n >= 60 and n % 60 == 0:
        return f"{n // 60} min"
    if n > 60:
        return f"{n // 60} min {n % 60} s"
    return f"{n} s"


def dose_text(item: ProgramItem) -> str:
    """The dose as a therapist says it: "3 sets of 10 reps, hold 5 s, rest 30 s between
    sets, each side, with a red band"."""
    sets = item.sets or 1
    if item.reps:
        work = f"{item.reps} reps"
        if item.hold_seconds:
            work += f", hold {seconds_text(item.hold_seconds)}"
    elif item.duration_seconds:
        work = seconds_text(item.duration_seconds)
    elif item.hold_seconds:
        work = f"hold {seconds_text(item.hold_seconds)}"
    else:
        work = ""
    if sets > 1 and work.startswith("hold "):
        parts = [f"{sets} holds of {work.removeprefix('hold ')}"]
    else:
        parts = [f"{sets} sets of {work}" if sets > 1 and work else work or f"{sets} sets"]
    if item.rest_seconds and sets > 1:
        parts.append(f"rest {seconds_text(item.rest_seconds)} between sets")
    if item.side in _SIDES:
        parts.append(_SIDES[item.side])
    if item.load_note:
        parts.append(f"with {item.load_note}")
    return ", ".join(p for p in parts if p)


def weekdays_text(mask: int) -> str:
    days = [name for i, name in enumerate(_WEEKDAYS) if mask & (1 << i)]
    if len(days) == 7:
        return "every day"
    if mask == 0b0011111:
        return "on weekdays"
    if mask == 0b1100000:
        return "at weekends"
    return "on " + ", ".join(days)


def schedule_text(item: ProgramItem) -> str:
    """How often: "Twice a day, on Mon, Wed, Fri"."""
    times = _TIMES.get(item.times_per_day, f"{item.times_per_day} times a day")
    return f"{times}, {weekdays_text(item.weekdays)}"


def dates_text(start: dt.date, end: dt.date | None) -> str:
    first = f"{start.day} {start:%B %Y}"
    if end is None:
        return f"From {first}"
    return f"From {first} to {end.day} {end:%B %Y}"


def _pictures(
    session: Session, program: Program, pairs: list[tuple[ProgramItem, Exercise]]
) -> dict[uuid.UUID, Picture]:
    """By item key: the item's first photo, else its exercise's first photo, else hep's
    drawing of a built-in exercise (videos are not pictures on paper)."""
    keys = [item.item_key for item, _ in pairs]
    exercises = [exercise.id for _, exercise in pairs]
    photos = session.scalars(
        select(Media)
        .where(Media.kind == "image", Media.stored_at.is_not(None))
        .where(
            ((Media.program_id == program.id) & Media.item_key.in_(keys))
            | Media.exercise_id.in_(exercises)
        )
        .order_by(Media.created_at, Media.id)
    ).all()
    by_item: dict[uuid.UUID, Media] = {}
    by_exercise: dict[uuid.UUID, Media] = {}
    for photo in photos:
        if photo.program_id == program.id and photo.item_key is not None:
            by_item.setdefault(photo.item_key, photo)
        elif photo.exercise_id is not None:
            by_exercise.setdefault(photo.exercise_id, photo)
    found: dict[uuid.UUID, Picture] = {}
    for item, exercise in pairs:
        first = by_item.get(item.item_key) or by_exercise.get(exercise.id)
        if first is not None:
            alt = first.caption or f"Photo: {exercise.name}"
            found[item.item_key] = Picture(
                f"/api/media/{first.id}/thumbnail", alt, media_id=first.id
            )
            continue
        drawing = illustration_url(exercise)
        if drawing is not None:
            found[item.item_key] = Picture(
                f"{drawing}?still=1", f"Drawing: {exercise.name}", slug=exercise.slug
            )
    return found


def _from_whom(session: Session, program: Program) -> tuple[str, str]:
    """The therapist who prescribed it, and the clinic they care for the patient under; the
    lead's when the prescriber is no longer on the team."""
    members = team(session, program.patient_id)
    chosen = next((m for m in members if m.therapist_id == program.therapist_id), None)
    chosen = chosen or (members[0] if members else None)
    if chosen is None:
        return "", ""
    return chosen.name, chosen.clinic_name


def handout(
    session: Session,
    reader: User,
    program_id: uuid.UUID,
    number: int | None,
    now: dt.datetime,
    *,
    base_url: str,
) -> Handout:
    """The handout of a program's version (default the current) for the patient or their
    care team (NotFound for anyone else); a therapist's read goes in the patient's access
    log (the caller commits)."""
    if reader.role is Role.THERAPIST:
        program = program_for_therapist(session, reader, program_id)
        log_access(session, reader, [program.patient_id], "program handout", now)
    elif reader.role is Role.PATIENT:
        program = program_for_patient(session, reader, program_id)
    else:
        raise NotFound()  # site admins read no health data
    found = view(session, program, number)
    patient = session.get_one(User, program.patient_id)
    therapist_name, clinic_name = _from_whom(session, program)
    pictures = _pictures(session, program, found.items)
    return Handout(
        program_id=program.id,
        version=found.version.version,
        title=found.version.title,
        patient_name=patient.name,
        therapist_name=therapist_name,
        clinic_name=clinic_name,
        printed_on=local_date(now, patient.timezone),
        dates=dates_text(found.version.start_date, found.version.end_date),
        notes=found.version.notes,
        app_url=f"{base_url.rstrip('/')}/#/today",
        items=[
            HandoutItem(
                name=exercise.name,
                summary=exercise.summary,
                dose=dose_text(item),
                schedule=schedule_text(item),
                steps=list(exercise.instructions or []),
                cautions=list(exercise.cautions or []),
                notes=item.notes,
                picture=pictures.get(item.item_key),
            )
            for item, exercise in found.items
        ],
    )
