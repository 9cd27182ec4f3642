"""Photos and videos: uploaded to an exercise or a program item, listed, read (with ranges,
for video seeking), captioned and removed."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from typing import Any

from flask import Response, abort, request
from flask.views import MethodView
from flask_smorest import Blueprint
from werkzeug.datastructures import ContentRange, FileStorage
from werkzeug.wsgi import wrap_file

from hep import media as media_app
from hep.api.access import current_user, requires
from hep.api.media.schemas import MULTIPART, MediaOut, MediaPatch, ProgramMediaArgs, UploadIn
from hep.care import log_access
from hep.clock import utcnow
from hep.db import db
from hep.errors import Invalid
from hep.media import attachments
from hep.media.content import clean
from hep.media.storage import FolderStorage
from hep.models import Exercise, Media, Program, Role
from hep.programs import program_for_patient, program_for_therapist
from hep.translations import _
from hep.web import MEDIA_CSP, upload

blp = Blueprint("media", __name__, url_prefix="/api", description="Photos and videos")

FILE_TYPES = ("image/jpeg", "image/png", "image/webp", "video/mp4", "video/webm")
_BINARY = {"schema": {"type": "string", "format": "binary"}}
_EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "video/mp4": "mp4",
    "video/webm": "webm",
}


def _file_responses(types: tuple[str, ...]) -> dict[int, Any]:
    content = {t: _BINARY for t in types}
    return {
        200: {"description": "The whole file", "content": content},
        206: {"description": "The byte range asked for (Range: bytes=...)", "content": content},
        304: {"description": "Unchanged (If-None-Match)"},
        416: {"description": "The range lies outside the file"},
    }


def _store(
    file: FileStorage,
    caption: str,
    *,
    exercise: Exercise | None = None,
    program: Program | None = None,
    item_key: uuid.UUID | None = None,
) -> Media:
    """Clean the upload, write its row (pending), store its files, mark it stored. Nothing
    is stored for a refused file; a failure to store leaves no row."""
    name = file.filename or ""
    if any(c in name for c in "/\\\0") or ".." in name:
        raise Invalid.field("file", _("A file name may not hold path separators."))
    storage = media_app.storage()
    with tempfile.TemporaryDirectory(prefix="hep-upload-") as folder:
        cleaned = clean(file.stream, Path(folder), media_app.limits())
        now = utcnow()
        media = attachments.begin(
            db.session,
            current_user(),
            cleaned,
            size=cleaned.path.stat().st_size,
            thumbnail_size=cleaned.thumbnail.stat().st_size,
            caption=caption,
            now=now,
            exercise=exercise,
            program=program,
            item_key=item_key,
        )
        db.session.commit()
        try:
            attachments.put_files(storage, media, cleaned)
        except BaseException:
            db.session.rollback()
            db.session.delete(media)
            db.session.commit()
            for key in (attachments.file_key(media.id), attachments.thumbnail_key(media.id)):
                storage.delete(key)
            raise
    attachments.stored(db.session, media, utcnow())
    db.session.commit()
    return media


@blp.route("/exercises/<uuid:exercise_id>/media")
class ExerciseMedia(MethodView):
    @blp.response(200, MediaOut(many=True))
    @requires(Role.THERAPIST)
    def get(self, exercise_id: uuid.UUID) -> Any:
        """Photos and videos of an exercise in your library, oldest first"""
        from hep.library import get_visible

        get_visible(db.session, current_user(), exercise_id)
        return attachments.of_exercise(db.session, exercise_id)

    @blp.arguments(UploadIn, location=MULTIPART)
    @blp.response(201, MediaOut)
    @upload("MEDIA_MAX_BYTES")
    @requires(Role.THERAPIST)
    def post(self, body: dict[str, Any], exercise_id: uuid.UUID) -> Any:
        """Add a photo or video to your own exercise or one shared with your clinic"""
        exercise = attachments.exercise_for_upload(db.session, current_user(), exercise_id)
        return _store(body["file"], body["caption"], exercise=exercise)


@blp.route("/programs/<uuid:program_id>/media")
class ProgramMedia(MethodView):
    @blp.arguments(ProgramMediaArgs, location="query")
    @blp.response(200, MediaOut(many=True))
    @requires(Role.PATIENT, Role.THERAPIST)
    def get(self, args: dict[str, int], program_id: uuid.UUID) -> Any:
        """Photos and videos of a program's version (default the current): its items' own
        (by item_key) and those of its exercises"""
        user = current_user()
        if user.role is Role.THERAPIST:
            program = program_for_therapist(db.session, user, program_id)
            log_access(db.session, user, [program.patient_id], "program media", utcnow())
            db.session.commit()
        else:
            program = program_for_patient(db.session, user, program_id)
        version = args.get("version", program.current_version)
        if version > program.current_version:
            abort(404)
        return attachments.of_program(db.session, program, version)


@blp.route("/programs/<uuid:program_id>/items/<uuid:item_key>/media")
class ItemMedia(MethodView):
    @blp.arguments(UploadIn, location=MULTIPART)
    @blp.response(201, MediaOut)
    @upload("MEDIA_MAX_BYTES")
    @requires(Role.THERAPIST)
    def post(self, body: dict[str, Any], program_id: uuid.UUID, item_key: uuid.UUID) -> Any:
        """Add a photo or video to one item of your patient's program ("this is you doing
        it"); the patient and their care team see it"""
        program = attachments.item_for_upload(db.session, current_user(), program_id, item_key)
        return _store(body["file"], body["caption"], program=program, item_key=item_key)


@blp.route("/media/<uuid:media_id>")
class MediaResource(MethodView):
    @blp.response(200, MediaOut)
    @requires(Role.PATIENT, Role.THERAPIST)
    def get(self, media_id: uuid.UUID) -> Any:
        """One photo or video's details"""
        return attachments.readable(db.session, current_user(), media_id)

    @blp.arguments(MediaPatch)
    @blp.response(200, MediaOut)
    @requires(Role.THERAPIST)
    def patch(self, body: dict[str, str], media_id: uuid.UUID) -> Any:
        """Change the caption"""
        media = attachments.set_caption(db.session, current_user(), media_id, body["caption"])
        db.session.commit()
        return media

    @blp.response(204)
    @requires(Role.THERAPIST)
    def delete(self, media_id: uuid.UUID) -> Any:
        """Remove a photo or video (whoever added it, the exercise's editor, or the patient's
        care team); its stored files go with it"""
        attachments.detach(db.session, current_user(), media_id)
        db.session.commit()
        return None


@blp.route("/media/<uuid:media_id>/file")
class MediaFile(MethodView):
    @blp.doc(responses=_file_responses(FILE_TYPES))
    @requires(Role.PATIENT, Role.THERAPIST)
    def get(self, media_id: uuid.UUID) -> Response:
        """The photo or video itself; supports Range requests (video seeking)"""
        found = attachments.readable(db.session, current_user(), media_id)
        return _send(found, attachments.file_key(found.id), found.content_type, found.size)


@blp.route("/media/<uuid:media_id>/thumbnail")
class MediaThumbnail(MethodView):
    @blp.doc(responses=_file_responses(("image/webp",)))
    @requires(Role.PATIENT, Role.THERAPIST)
    def get(self, media_id: uuid.UUID) -> Response:
        """A small picture of it (a video's poster)"""
        found = attachments.readable(db.session, current_user(), media_id)
        key = attachments.thumbnail_key(found.id)
        return _send(found, key, found.thumbnail_type, found.thumbnail_size, "thumbnail")


def _send(media: Media, key: str, content_type: str, size: int, variant: str = "file") -> Response:
    """Stream the stored bytes (all, or the one range asked for) in chunks, never whole."""
    etag = f'"{media.id.hex}-{variant}"'
    headers = {
        "ETag": etag,
        "Accept-Ranges": "bytes",
        "Cache-Control": "private, no-cache",
        "Content-Security-Policy": MEDIA_CSP,
        "Content-Disposition": (
            f'inline; filename="{media.kind}-{media.id.hex[:8]}'
            f'{"-thumbnail" if variant != "file" else ""}.{_EXTENSIONS[content_type]}"'
        ),
    }
    if etag in request.headers.get("If-None-Match", ""):
        return Response(status=304, headers=headers)
    start, stop, status = 0, size, 200
    asked = request.range
    if_range = request.headers.get("If-Range")
    # one byte range, unless If-Range names another version (ours never change); several
    # ranges at once are answered whole
    single = asked is not None and asked.units == "bytes" and len(asked.ranges) == 1
    if asked is not None and single and if_range in (None, etag):
        found = asked.range_for_length(size)
        if found is None:
            headers["Content-Range"] = f"bytes */{size}"
            return Response(status=416, headers=headers)
        start, stop = found
        status = 206
        headers["Content-Range"] = str(ContentRange("bytes", start, stop, size))
    storage = media_app.storage()
    body: Any
    if isinstance(storage, FolderStorage) and stop == size:
        # to the end of a local file: the WSGI server's file wrapper (gunicorn: sendfile)
        body = wrap_file(request.environ, storage.open_file(key, start))
    else:
        body = storage.open(key, start, stop - start)
    response = Response(body, status=status, mimetype=content_type, direct_passthrough=True)
    response.headers.update(headers)
    response.content_length = stop - start
    return response
