"""Printable handouts: a program version as a patient takes it home on paper (who it is for
and from, each exercise with its picture, dose, schedule, steps and cautions, the therapist's
notes, and a QR code that opens hep), the same words for the print view and the PDF, in
the patient's language."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

import segno
from babel import dates
from sqlalchemy import select
from sqlalchemy.orm import Session

from hep.care import log_access
from hep.care_team import team
from hep.errors import NotFound
from hep.illustrations import illustration_url
from hep.languages import DEFAULT, date_text, locale, supported
from hep.library import exercise_words
from hep.models import Exercise, Media, Program, ProgramItem, Role, User
from hep.programs import program_for_patient, program_for_therapist, view
from hep.timezones import local_date
from hep.translations import Text, _, _n

_TIMES = {1: _("Once a day"), 2: _("Twice a day")}
_SIDES = {"each": _("each side"), "left": _("left side"), "right": _("right side")}
_MONDAY = dt.date(2026, 3, 2)


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
    language: str = DEFAULT
    """The patient's: the handout's words are in it."""

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


def dose_text(item: ProgramItem, language: str = DEFAULT) -> str:
    """The dose as a therapist says it: "3 sets of 10 reps, hold 5 s, rest 30 s between
    sets, each side, with a red band"."""
    sets = item.sets or 1
    parts: list[Text | str] = []
    if item.reps:
        reps = _n("{count} rep", "{count} reps", item.reps)
        if sets > 1:
            parts.append(_n("{count} set of {reps}", "{count} sets of {reps}", sets, reps=reps))
        else:
            parts.append(reps)
        if item.hold_seconds:
            parts.append(_("hold {time}", time=seconds_text(item.hold_seconds)))
    elif item.duration_seconds:
        time = seconds_text(item.duration_seconds)
        if sets > 1:
            parts.append(_n("{count} set of {reps}", "{count} sets of {reps}", sets, reps=time))
        else:
            parts.append(time)
    elif item.hold_seconds:
        time = seconds_text(item.hold_seconds)
        if sets > 1:
            parts.append(_n("{count} hold of {time}", "{count} holds of {time}", sets, time=time))
        else:
            parts.append(_("hold {time}", time=time))
    else:
        parts.append(_n("{count} set", "{count} sets", sets))
    if item.rest_seconds and sets > 1:
        parts.append(_("rest {time} between sets", time=seconds_text(item.rest_seconds)))
    if item.side in _SIDES:
        parts.append(_SIDES[item.side])
    if item.load_note:
        parts.append(_("with {load}", load=item.load_note))
    return ", ".join(said for said in (_say(part, language) for part in parts) if said)


def _say(part: Text | str, language: str) -> str:
    return part.in_(language) if isinstance(part, Text) else part


def weekdays_text(mask: int, language: str = DEFAULT) -> str:
    if mask & 0b1111111 == 0b1111111:
        return _("every day").in_(language)
    if mask == 0b0011111:
        return _("on weekdays").in_(language)
    if mask == 0b1100000:
        return _("at weekends").in_(language)
    days = [
        dates.format_skeleton("EEE", _MONDAY + dt.timedelta(days=i), locale=locale(language))
        for i in range(7)
        if mask & (1 << i)
    ]
    return _("on {days}", days=", ".join(days)).in_(language)


def schedule_text(item: ProgramItem, language: str = DEFAULT) -> str:
    """How often: "Twice a day, on Mon, Wed, Fri"."""
    times = _TIMES.get(
        item.times_per_day,
        _n("{count} time a day", "{count} times a day", item.times_per_day),
    )
    return f"{times.in_(language)}, {weekdays_text(item.weekdays, language)}"


def day_text(day: dt.date, language: str = DEFAULT) -> str:
    """ "2 March 2026", "2. März 2026", "2 de marzo de 2026"."""
    if supported(language) == DEFAULT:
        return f"{day.day} {day:%B %Y}"
    return date_text(day, language)


def dates_text(start: dt.date, end: dt.date | None, language: str = DEFAULT) -> str:
    first = day_text(start, language)
    if end is None:
        return _("From {first}", first=first).in_(language)
    return _("From {first} to {last}", first=first, last=day_text(end, language)).in_(language)


def _pictures(
    session: Session,
    program: Program,
    pairs: list[tuple[ProgramItem, Exercise]],
    language: str,
) -> dict[uuid.UUID, Picture]:
    """By item key: the item's first photo, else its exercise's first photo, else hep's
    drawing of a built-in exercise (videos are not pictures on paper)."""
    keys = [item.item_key for item, _exercise in pairs]
    exercises = [exercise.id for _item, exercise in pairs]
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
        name = exercise_words(exercise, language).name
        first = by_item.get(item.item_key) or by_exercise.get(exercise.id)
        if first is not None:
            alt = first.caption or _("Photo: {name}", name=name).in_(language)
            found[item.item_key] = Picture(
                f"/api/media/{first.id}/thumbnail", alt, media_id=first.id
            )
            continue
        drawing = illustration_url(exercise)
        if drawing is not None:
            found[item.item_key] = Picture(
                f"{drawing}?still=1",
                _("Drawing: {name}", name=name).in_(language),
                slug=exercise.slug,
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
    care team (NotFound for anyone else), in the patient's language; a therapist's read goes
    in the patient's access log (the caller commits)."""
    if reader.role is Role.THERAPIST:
        program = program_for_therapist(session, reader, program_id)
        log_access(session, reader, [program.patient_id], "program handout", now)
    elif reader.role is Role.PATIENT:
        program = program_for_patient(session, reader, program_id)
    else:
        raise NotFound()  # site admins read no health data
    found = view(session, program, number)
    patient = session.get_one(User, program.patient_id)
    language = supported(patient.language)
    therapist_name, clinic_name = _from_whom(session, program)
    pictures = _pictures(session, program, found.items, language)
    return Handout(
        program_id=program.id,
        version=found.version.version,
        title=found.version.title,
        patient_name=patient.name,
        therapist_name=therapist_name,
        clinic_name=clinic_name,
        printed_on=local_date(now, patient.timezone),
        dates=dates_text(found.version.start_date, found.version.end_date, language),
        notes=found.version.notes,
        app_url=f"{base_url.rstrip('/')}/#/today",
        items=[
            HandoutItem(
                name=words.name,
                summary=words.summary,
                dose=dose_text(item, language),
                schedule=schedule_text(item, language),
                steps=words.instructions,
                cautions=words.cautions,
                notes=item.notes,
                picture=pictures.get(item.item_key),
            )
            for item, exercise in found.items
            for words in [exercise_words(exercise, language)]
        ],
        language=language,
    )
