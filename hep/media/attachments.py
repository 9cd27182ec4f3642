"""Photos and videos attached to an exercise or to one item of a patient's program: who may
add, read and remove them, and the sweep that removes stored files nobody needs any more."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, delete, exists, or_, select
from sqlalchemy.orm import Session

from hep.care import export_section, patient_of
from hep.clinics import membership
from hep.errors import Forbidden, NotFound
from hep.library import editable, get_visible
from hep.media.content import THUMBNAIL_TYPE, Cleaned
from hep.media.storage import Storage
from hep.models import CareLink, Exercise, Media, Program, ProgramItem, ProgramVersion, Role, User
from hep.translations import _

PENDING_GRACE = dt.timedelta(hours=1)
"""A row whose files were never stored (the process died mid-upload) is swept after this."""
SWEEP_BATCH = 100


def file_key(media_id: uuid.UUID) -> str:
    return f"{media_id.hex}/file"


def thumbnail_key(media_id: uuid.UUID) -> str:
    return f"{media_id.hex}/thumbnail"


def exercise_for_upload(session: Session, therapist: User, exercise_id: uuid.UUID) -> Exercise:
    """An exercise the therapist may add media to: one they may edit, or one shared with a
    clinic of theirs. Built-ins have hep's own illustration (copy one to add your own)."""
    exercise = get_visible(session, therapist, exercise_id)
    if exercise.built_in:
        raise Forbidden(_("Built-in exercises are read-only; copy one to add your own media."))
    shared = exercise.clinic_id is not None and membership(
        session, exercise.clinic_id, therapist.id
    )
    if not shared:
        editable(session, therapist, exercise_id)  # 403 unless theirs to edit
    return exercise


def item_for_upload(
    session: Session, therapist: User, program_id: uuid.UUID, item_key: uuid.UUID
) -> Program:
    """A program of one of the therapist's patients whose current version has this item."""
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound()
    patient_of(session, therapist, program.patient_id)
    found = session.scalar(
        select(ProgramItem.id)
        .join(ProgramVersion, ProgramVersion.id == ProgramItem.version_id)
        .where(ProgramVersion.program_id == program.id)
        .where(ProgramVersion.version == program.current_version)
        .where(ProgramItem.item_key == item_key)
    )
    if found is None:
        raise NotFound(_("The program's current version has no such item."))
    return program


def begin(
    session: Session,
    uploader: User,
    cleaned: Cleaned,
    *,
    size: int,
    thumbnail_size: int,
    caption: str,
    now: dt.datetime,
    exercise: Exercise | None = None,
    program: Program | None = None,
    item_key: uuid.UUID | None = None,
) -> Media:
    """The row of a new upload, pending until its files are stored (`stored`)."""
    media = Media(
        kind=cleaned.kind,
        content_type=cleaned.content_type,
        size=size,
        width=cleaned.width,
        height=cleaned.height,
        thumbnail_type=THUMBNAIL_TYPE,
        thumbnail_size=thumbnail_size,
        poster=cleaned.poster,
        caption=caption,
        exercise_id=exercise.id if exercise else None,
        program_id=program.id if program else None,
        item_key=item_key,
        uploaded_by=uploader.id,
        created_at=now,
    )
    session.add(media)
    session.flush()
    return media


def put_files(storage: Storage, media: Media, cleaned: Cleaned) -> None:
    with cleaned.path.open("rb") as source:
        storage.put(file_key(media.id), source, media.content_type)
    with cleaned.thumbnail.open("rb") as source:
        storage.put(thumbnail_key(media.id), source, media.thumbnail_type)


def stored(session: Session, media: Media, now: dt.datetime) -> None:
    media.stored_at = now
    session.flush()


def _patients_readable(user: User) -> Any:
    """The ids of patients whose programs the user reads: their own, or their active team's."""
    if user.role is Role.PATIENT:
        return select(User.id).where(User.id == user.id)
    return select(CareLink.patient_id).where(
        CareLink.therapist_id == user.id, CareLink.ended_at.is_(None)
    )


def readable(session: Session, user: User, media_id: uuid.UUID) -> Media:
    """A stored upload the user may see, else 404 (never 403: its existence stays unknown).
    Item media: the patient and their care team. Exercise media: whoever sees the exercise in
    their library, and the patient (and team) of a program that uses it."""
    media = session.get(Media, media_id)
    if media is None or media.stored_at is None or user.role is Role.ADMIN:
        raise NotFound()
    patients = _patients_readable(user)
    if media.program_id is not None:
        ok = session.scalar(
            select(exists().where(Program.id == media.program_id, Program.patient_id.in_(patients)))
        )
    elif media.exercise_id is not None:
        ok = _exercise_readable(session, user, media.exercise_id, patients)
    else:
        ok = False
    if not ok:
        raise NotFound()
    return media


def _exercise_readable(session: Session, user: User, exercise_id: uuid.UUID, patients: Any) -> bool:
    if user.role is Role.THERAPIST:
        try:
            get_visible(session, user, exercise_id)
            return True
        except NotFound:
            pass
    used = (
        select(ProgramItem.id)
        .join(ProgramVersion, ProgramVersion.id == ProgramItem.version_id)
        .join(Program, Program.id == ProgramVersion.program_id)
        .where(ProgramItem.exercise_id == exercise_id, Program.patient_id.in_(patients))
    )
    return bool(session.scalar(select(exists(used))))


def of_exercise(session: Session, exercise_id: uuid.UUID) -> Sequence[Media]:
    return session.scalars(
        select(Media)
        .where(Media.exercise_id == exercise_id, Media.stored_at.is_not(None))
        .order_by(Media.created_at, Media.id)
    ).all()


def of_program(session: Session, program: Program, version: int) -> Sequence[Media]:
    """Media of one version of a program: its items' own (by item_key) and their exercises'."""
    items = (
        select(ProgramItem.item_key, ProgramItem.exercise_id)
        .join(ProgramVersion, ProgramVersion.id == ProgramItem.version_id)
        .where(ProgramVersion.program_id == program.id, ProgramVersion.version == version)
    ).subquery()
    return session.scalars(
        select(Media)
        .where(Media.stored_at.is_not(None))
        .where(
            or_(
                and_(
                    Media.program_id == program.id,
                    Media.item_key.in_(select(items.c.item_key)),
                ),
                Media.exercise_id.in_(select(items.c.exercise_id)),
            )
        )
        .order_by(Media.created_at, Media.id)
    ).all()


def _removable(session: Session, user: User, media: Media) -> bool:
    if media.uploaded_by == user.id:
        return True
    if media.program_id is not None:
        program = session.get_one(Program, media.program_id)
        patient_of(session, user, program.patient_id)  # the patient's team may tidy up
        return True
    if media.exercise_id is not None:
        try:
            editable(session, user, media.exercise_id)
            return True
        except (Forbidden, NotFound):
            return False
    return False


def detach(session: Session, user: User, media_id: uuid.UUID) -> None:
    """Remove an upload: the therapist who added it, the exercise's editor, or the patient's
    care team. The row is let go here and `sweep` removes it with its files after commit."""
    if user.role is not Role.THERAPIST:
        raise NotFound()
    media = readable(session, user, media_id)
    if not _removable(session, user, media):
        raise Forbidden(_("Only whoever added it, or who may edit the exercise, can remove it."))
    media.exercise_id = None
    media.program_id = None
    session.flush()


def set_caption(session: Session, user: User, media_id: uuid.UUID, caption: str) -> Media:
    if user.role is not Role.THERAPIST:
        raise NotFound()
    media = readable(session, user, media_id)
    if not _removable(session, user, media):
        raise Forbidden(_("Only whoever added it, or who may edit the exercise, can change it."))
    media.caption = caption
    session.flush()
    return media


def sweep(session: Session, storage: Storage, now: dt.datetime) -> int:
    """Delete the files, then the rows, of uploads nothing holds any more: let go (`detach`),
    their exercise or program deleted (the reference set to null by the database), or left
    pending by a crash. Files first: a crash between leaves a row the next sweep retries.
    Returns how many went; the caller commits."""
    orphans = select(Media.id).where(
        or_(
            and_(Media.exercise_id.is_(None), Media.program_id.is_(None)),
            and_(Media.stored_at.is_(None), Media.created_at < now - PENDING_GRACE),
        )
    )
    found = list(session.scalars(orphans.limit(SWEEP_BATCH).with_for_update(skip_locked=True)))
    for media_id in found:
        storage.delete(file_key(media_id))
        storage.delete(thumbnail_key(media_id))
    if found:
        session.execute(
            delete(Media).where(Media.id.in_(found)).execution_options(synchronize_session=False)
        )
    return len(found)


def describe(media: Media) -> dict[str, Any]:
    """What a list or an export says about one upload."""
    return {
        "id": str(media.id),
        "kind": media.kind,
        "content_type": media.content_type,
        "size": media.size,
        "caption": media.caption,
        "exercise_id": str(media.exercise_id) if media.exercise_id else None,
        "program_id": str(media.program_id) if media.program_id else None,
        "item_key": str(media.item_key) if media.item_key else None,
        "created_at": media.created_at.isoformat(),
        "url": f"/api/media/{media.id}/file",
    }


@export_section
def _export_media(session: Session, user: User) -> tuple[str, Any]:
    """A patient's: the media of their programs and of the exercises in them. A therapist's:
    what they uploaded. Listed with their addresses (the files are fetched one by one)."""
    if user.role is Role.PATIENT:
        programs = select(Program.id).where(Program.patient_id == user.id)
        exercises = (
            select(ProgramItem.exercise_id)
            .join(ProgramVersion, ProgramVersion.id == ProgramItem.version_id)
            .where(ProgramVersion.program_id.in_(programs))
        )
        query = select(Media).where(
            or_(Media.program_id.in_(programs), Media.exercise_id.in_(exercises))
        )
    else:
        query = select(Media).where(Media.uploaded_by == user.id)
    found = session.scalars(
        query.where(Media.stored_at.is_not(None)).order_by(Media.created_at, Media.id)
    )
    return "media", [describe(m) for m in found]
