"""hep.media.attachments: the sweep that removes the files of uploads nothing holds."""

from __future__ import annotations

import datetime as dt
import io
import uuid

from flask import Flask
from sqlalchemy import delete, func, select

from hep import media as media_app
from hep.db import db
from hep.library import create_exercise
from hep.media.attachments import PENDING_GRACE, file_key, sweep, thumbnail_key
from hep.models import Exercise, Media, Role
from hep.scheduler import housekeeping
from tests.conftest import NOW, Cast


def _upload(exercise: Exercise, *, stored: bool = True, at: dt.datetime = NOW) -> Media:
    media = Media(
        kind="image",
        content_type="image/jpeg",
        size=3,
        thumbnail_type="image/webp",
        thumbnail_size=3,
        caption="",
        exercise_id=exercise.id,
        stored_at=at if stored else None,
        created_at=at,
    )
    db.session.add(media)
    db.session.flush()
    for key in (file_key(media.id), thumbnail_key(media.id)):
        media_app.storage().put(key, io.BytesIO(b"abc"), "image/jpeg")
    db.session.commit()
    return media


def _exercise(cast: Cast) -> Exercise:
    therapist = cast.user(Role.THERAPIST)
    exercise = create_exercise(
        db.session, therapist, {"name": "E", "regions": ["neck"], "category": "stretch"}, NOW
    )
    db.session.commit()
    return exercise


def _files(media_id: uuid.UUID) -> list[bool]:
    storage = media_app.storage()
    return [storage.exists(file_key(media_id)), storage.exists(thumbnail_key(media_id))]


def test_the_housekeeping_tick_removes_uploads_of_an_exercise_deleted_any_way(
    app: Flask, cast: Cast
):
    exercise = _exercise(cast)
    media = _upload(exercise)
    # a deletion that knows nothing of media (a clinic closing, retention): the database
    # lets go of the upload
    db.session.execute(delete(Exercise).where(Exercise.id == exercise.id))
    db.session.commit()
    assert _files(media.id) == [True, True]
    housekeeping(app, NOW)
    assert _files(media.id) == [False, False]
    assert db.session.scalar(select(func.count()).select_from(Media)) == 0


def test_an_upload_left_pending_by_a_crash_is_swept_after_the_grace(app: Flask, cast: Cast):
    exercise = _exercise(cast)
    pending = _upload(exercise, stored=False)
    kept = _upload(exercise)
    assert sweep(db.session, media_app.storage(), NOW + PENDING_GRACE / 2) == 0
    assert sweep(db.session, media_app.storage(), NOW + PENDING_GRACE * 2) == 1
    db.session.commit()
    assert _files(pending.id) == [False, False]
    assert _files(kept.id) == [True, True]
