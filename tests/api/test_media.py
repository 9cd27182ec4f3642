"""/api/.../media: uploads refused unless proven clean, authorised reads with ranges, and
removal that takes the stored files along."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select

from hep import media as media_app
from hep.db import db
from hep.library import create_exercise
from hep.models import Exercise, Media, Program, Role, User
from hep.programs import prescribe, revise, view
from tests.conftest import NOW, PASSWORD, Cast
from tests.media.samples import GPS_LATITUDE, SERIAL, picture, video


@dataclass
class Scene:
    therapist: User
    patient: User
    exercise: Exercise
    program: Program
    item_key: uuid.UUID
    t: FlaskClient
    p: FlaskClient


@pytest.fixture
def scene(cast: Cast) -> Scene:
    therapist, patient = cast.user(Role.THERAPIST), cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    exercise = create_exercise(
        db.session,
        therapist,
        {"name": "Mine", "regions": ["neck"], "category": "stretch"},
        NOW,
    )
    program = prescribe(
        db.session,
        therapist,
        patient.id,
        {"title": "P", "start_date": NOW.date(), "items": [{"exercise_id": exercise.id}]},
        NOW,
    )
    db.session.commit()
    item_key = view(db.session, program).items[0][0].item_key
    return Scene(
        therapist,
        patient,
        exercise,
        program,
        item_key,
        cast.client(therapist),
        cast.client(patient),
    )


def stored_files(app: Flask) -> set[Path]:
    root = media_app.root(app)
    assert root is not None
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def send(client: FlaskClient, url: str, data: bytes, name: str = "photo.jpg", **form: str) -> Any:
    body: dict[str, Any] = {"file": (io.BytesIO(data), name), **form}
    return client.post(url, data=body, content_type="multipart/form-data")


def upload_to_item(scene: Scene, data: bytes, name: str = "photo.jpg") -> Any:
    return send(
        scene.t, f"/api/programs/{scene.program.id}/items/{scene.item_key}/media", data, name
    )


def media_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Media)) or 0


def test_a_therapist_attaches_a_photo_to_an_exercise_and_it_is_listed(scene: Scene):
    r = send(scene.t, f"/api/exercises/{scene.exercise.id}/media", picture(), caption="Start here")
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["kind"] == "image" and body["content_type"] == "image/jpeg"
    assert body["caption"] == "Start here"
    listed = scene.t.get(f"/api/exercises/{scene.exercise.id}/media").get_json()
    assert [m["id"] for m in listed] == [body["id"]]
    # the patient's program uses the exercise: they see it too
    mine = scene.p.get(f"/api/programs/{scene.program.id}/media").get_json()
    assert [m["id"] for m in mine] == [body["id"]]
    assert scene.p.get(body["url"]).status_code == 200


def test_exif_location_and_camera_serial_are_gone_after_upload(scene: Scene):
    original = picture()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # it had a location
    body = upload_to_item(scene, original).get_json()
    served = scene.p.get(body["url"]).data
    image = Image.open(io.BytesIO(served))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert SERIAL.encode() not in served
    assert str(GPS_LATITUDE[2]).encode() not in served
    # the phone's orientation tag was applied before it went: the picture stands upright
    assert (body["width"], body["height"]) == (480, 640)


def _jpeg_with_comment(text: bytes) -> bytes:
    data = picture(gps=False)
    segment = b"\xff\xfe" + (len(text) + 2).to_bytes(2, "big") + text
    return data[:2] + segment + data[2:]


HOSTILE = {
    "svg named .jpg": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    "html named .jpg": b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
    "jpeg with a script appended": picture(gps=False) + b"<script>alert(1)</script>",
    "jpeg with a zip appended": picture(gps=False) + b"PK\x03\x04" + bytes(200),
    "jpeg and html polyglot": _jpeg_with_comment(b"<html><script>alert(1)</script></html>"),
    "zero bytes": b"",
    "a pdf": b"%PDF-1.4\n" + bytes(100),
    "truncated jpeg": picture(gps=False)[:-500],
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_upload_is_refused_with_a_reason_and_nothing_is_stored(
    app: Flask, scene: Scene, case: str
):
    before = stored_files(app)
    r = upload_to_item(scene, HOSTILE[case])
    assert r.status_code == 422, r.get_json()
    assert r.get_json()["errors"]["file"][0]
    assert media_count() == 0
    assert stored_files(app) == before


def test_a_truncated_video_is_refused_and_nothing_is_stored(
    app: Flask, scene: Scene, tmp_path: Path
):
    before = stored_files(app)
    for kind in ("mp4", "webm"):
        whole = video(tmp_path, kind)
        r = upload_to_item(scene, whole[: len(whole) * 2 // 3], f"clip.{kind}")
        assert r.status_code == 422, r.get_json()
        assert "cut short" in r.get_json()["errors"]["file"][0]
    assert media_count() == 0
    assert stored_files(app) == before


def test_a_name_with_path_separators_is_refused(app: Flask, scene: Scene):
    before = stored_files(app)
    for name in ("../../etc/passwd.jpg", "..\\evil.jpg", "a/b.jpg"):
        r = upload_to_item(scene, picture(), name)
        assert r.status_code == 422, name
    assert media_count() == 0
    assert stored_files(app) == before


def test_an_oversized_upload_is_refused_before_it_is_read(app: Flask, scene: Scene):
    app.config["MEDIA_MAX_BYTES"] = 10_000
    try:
        r = upload_to_item(scene, picture(size=(2000, 2000)) + bytes(100_000))
    finally:
        app.config["MEDIA_MAX_BYTES"] = 100 * 2**20
    assert r.status_code == 413
    assert media_count() == 0


def test_a_picture_over_the_picture_cap_is_refused(app: Flask, scene: Scene):
    app.config["MEDIA_MAX_IMAGE_BYTES"] = 1000
    try:
        r = upload_to_item(scene, picture())
    finally:
        app.config["MEDIA_MAX_IMAGE_BYTES"] = 20 * 2**20
    assert r.status_code == 422
    assert "at most" in r.get_json()["errors"]["file"][0]


def test_json_to_an_upload_answers_415_and_multipart_elsewhere_too(scene: Scene):
    url = f"/api/programs/{scene.program.id}/items/{scene.item_key}/media"
    assert scene.t.post(url, json={"file": "x"}).status_code == 415
    r = scene.t.patch(
        f"/api/exercises/{scene.exercise.id}",
        data={"name": "x"},
        content_type="multipart/form-data",
    )
    assert r.status_code == 415


def test_a_video_is_stored_with_a_poster_and_without_its_metadata(scene: Scene, tmp_path: Path):
    r = upload_to_item(scene, video(tmp_path, "mp4"), "clip.mp4")
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["kind"] == "video" and body["poster"] in ("frame", "generic")
    served = scene.p.get(body["url"]).data
    assert SERIAL.encode() not in served
    thumbnail = scene.p.get(body["thumbnail_url"])
    assert thumbnail.mimetype == "image/webp"
    assert Image.open(io.BytesIO(thumbnail.data)).format == "WEBP"


def test_a_webm_recording_is_accepted(scene: Scene, tmp_path: Path):
    r = upload_to_item(scene, video(tmp_path, "webm"), "clip.webm")
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["content_type"] == "video/webm"


def test_a_patients_media_is_hidden_from_everyone_outside_the_care_team(cast: Cast, scene: Scene):
    body = upload_to_item(scene, picture()).get_json()
    other_patient = cast.client(cast.user(Role.PATIENT))
    outsider = cast.client(cast.user(Role.THERAPIST))
    for client in (other_patient, outsider):
        for url in (body["url"], body["thumbnail_url"], f"/api/media/{body['id']}"):
            r = client.get(url)
            assert r.status_code == 404, url
            assert b"\xff\xd8" not in r.data
        assert client.get(f"/api/programs/{scene.program.id}/media").status_code == 404
    # no session: 401 like every protected operation; an admin's role reads no health data
    for client, status in ((cast.client(), 401), (cast.client(cast.user(Role.ADMIN)), 403)):
        for url in (body["url"], body["thumbnail_url"]):
            r = client.get(url)
            assert r.status_code == status
            assert b"\xff\xd8" not in r.data
    # the patient and the team read it
    assert scene.p.get(body["url"]).status_code == 200
    assert scene.t.get(body["url"]).status_code == 200


def test_a_colleague_who_joins_the_team_reads_it_and_one_who_leaves_does_not(
    cast: Cast, scene: Scene
):
    body = upload_to_item(scene, picture()).get_json()
    colleague = cast.user(Role.THERAPIST)
    link = cast.link(colleague, scene.patient)
    client = cast.client(colleague)
    assert client.get(body["url"]).status_code == 200
    link.ended_at = NOW
    db.session.commit()
    assert client.get(body["url"]).status_code == 404


def test_files_are_served_inline_with_their_type_and_nothing_to_sniff(scene: Scene):
    body = upload_to_item(scene, picture()).get_json()
    r = scene.p.get(body["url"])
    assert r.mimetype == "image/jpeg"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Content-Disposition"].startswith('inline; filename="image-')
    assert "photo" not in r.headers["Content-Disposition"]  # the client's name is never used
    assert "sandbox" in r.headers["Content-Security-Policy"]
    assert r.headers["Accept-Ranges"] == "bytes"
    assert "private" in r.headers["Cache-Control"]
    again = scene.p.get(body["url"], headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304


def test_range_requests_answer_206_or_416(scene: Scene, tmp_path: Path):
    body = upload_to_item(scene, video(tmp_path, "mp4"), "clip.mp4").get_json()
    whole = scene.p.get(body["url"]).data
    size = len(whole)
    assert size == body["size"]

    def get(spec: str) -> Any:
        return scene.p.get(body["url"], headers={"Range": spec})

    first = get("bytes=0-0")
    assert first.status_code == 206
    assert first.data == whole[:1]
    assert first.headers["Content-Range"] == f"bytes 0-0/{size}"
    last = get(f"bytes={size - 1}-{size - 1}")
    assert (last.status_code, last.data) == (206, whole[-1:])
    suffix = get("bytes=-100")
    assert (suffix.status_code, suffix.data) == (206, whole[-100:])
    assert suffix.headers["Content-Range"] == f"bytes {size - 100}-{size - 1}/{size}"
    middle = get("bytes=100-199")
    assert (middle.data, middle.headers["Content-Length"]) == (whole[100:200], "100")
    beyond = get(f"bytes={size}-")
    assert beyond.status_code == 416
    assert beyond.headers["Content-Range"] == f"bytes */{size}"
    # another version asked for: the whole file
    stale = scene.p.get(body["url"], headers={"Range": "bytes=0-0", "If-Range": '"other"'})
    assert (stale.status_code, stale.data) == (200, whole)


def test_removing_media_removes_its_stored_files(app: Flask, scene: Scene):
    before = stored_files(app)
    body = upload_to_item(scene, picture()).get_json()
    assert len(stored_files(app) - before) == 2  # the file and its thumbnail
    assert scene.p.delete(f"/api/media/{body['id']}").status_code == 403  # patients cannot
    assert scene.t.delete(f"/api/media/{body['id']}").status_code == 204
    assert stored_files(app) == before
    assert media_count() == 0
    assert scene.p.get(body["url"]).status_code == 404


def test_deleting_the_patients_account_removes_their_programs_media(app: Flask, scene: Scene):
    before = stored_files(app)
    upload_to_item(scene, picture())
    r = scene.p.delete("/api/me", json={"password": PASSWORD})
    assert r.status_code == 204
    assert stored_files(app) == before
    assert media_count() == 0


def test_deleting_the_therapists_account_removes_their_exercises_media(
    app: Flask, cast: Cast, scene: Scene
):
    before = stored_files(app)
    spare = create_exercise(
        db.session,
        scene.therapist,
        {"name": "Unused", "regions": ["neck"], "category": "stretch"},
        NOW,
    )
    db.session.commit()
    send(scene.t, f"/api/exercises/{spare.id}/media", picture())
    kept = send(scene.t, f"/api/exercises/{scene.exercise.id}/media", picture()).get_json()
    item = upload_to_item(scene, picture()).get_json()
    r = scene.t.delete("/api/me", json={"password": PASSWORD})
    assert r.status_code == 204
    # the unused exercise went with its media; the prescribed one stays for the patient, and
    # so does what the therapist added to the patient's program
    assert len(stored_files(app) - before) == 4
    assert scene.p.get(kept["url"]).status_code == 200
    assert scene.p.get(item["url"]).status_code == 200


def test_a_revision_without_the_item_keeps_its_media_with_the_old_version(scene: Scene):
    body = upload_to_item(scene, picture()).get_json()
    other = db.session.scalar(select(Exercise).where(Exercise.slug.is_not(None)).limit(1))
    revise(
        db.session,
        scene.therapist,
        scene.program.id,
        {"items": [{"exercise_id": other.id}]},
        NOW + dt.timedelta(days=1),
    )
    db.session.commit()
    now = scene.p.get(f"/api/programs/{scene.program.id}/media").get_json()
    assert body["id"] not in [m["id"] for m in now]
    then = scene.p.get(f"/api/programs/{scene.program.id}/media?version=1").get_json()
    assert body["id"] in [m["id"] for m in then]
    assert scene.p.get(body["url"]).status_code == 200
    # an item that left the current version takes no new media
    assert upload_to_item(scene, picture()).status_code == 404


def test_the_export_lists_the_patients_media(scene: Scene):
    body = upload_to_item(scene, picture()).get_json()
    exported = scene.p.get("/api/me/export").get_json()
    assert [m["id"] for m in exported["media"]] == [body["id"]]
    assert exported["media"][0]["url"] == body["url"]


def test_built_ins_take_no_uploads_and_strangers_exercises_none_either(cast: Cast, scene: Scene):
    builtin = db.session.scalar(select(Exercise).where(Exercise.slug.is_not(None)).limit(1))
    assert send(scene.t, f"/api/exercises/{builtin.id}/media", picture()).status_code == 403
    stranger = cast.client(cast.user(Role.THERAPIST))
    assert send(stranger, f"/api/exercises/{scene.exercise.id}/media", picture()).status_code == (
        404
    )
    assert media_count() == 0


def test_a_therapist_outside_the_team_cannot_attach_to_the_program(cast: Cast, scene: Scene):
    stranger = cast.client(cast.user(Role.THERAPIST))
    url = f"/api/programs/{scene.program.id}/items/{scene.item_key}/media"
    assert send(stranger, url, picture()).status_code == 404
    assert media_count() == 0


def test_the_app_shell_may_show_photos_and_play_videos_from_hep_only(client: FlaskClient):
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["media-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
