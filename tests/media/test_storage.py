"""One contract for every media storage: the instance folder, and S3 (moto's S3 server on
loopback stands in for a real object store)."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from hep.media.storage import CHUNK, FolderStorage, S3Storage, Storage, media_root
from tests.tools import require_tool


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    try:
        import boto3  # noqa: F401
        import moto.server  # noqa: F401
    except ImportError as exc:
        require_tool("moto[server]", False, f"pip install 'moto[server]' boto3 ({exc})")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("moto's S3 server did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(params=["folder", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    if request.param == "folder":
        return FolderStorage(tmp_path / "media")
    endpoint = request.getfixturevalue("s3_endpoint")
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
    bucket = f"hep-{uuid.uuid4().hex[:12]}"
    found = S3Storage(bucket, endpoint_url=endpoint, region="us-east-1", prefix="media/")
    found.client.create_bucket(Bucket=bucket)
    return found


def key() -> str:
    return f"{uuid.uuid4().hex}/file"


def read(storage: Storage, name: str, start: int, length: int) -> bytes:
    chunks = list(storage.open(name, start, length))
    assert all(len(c) <= CHUNK for c in chunks)
    return b"".join(chunks)


@pytest.mark.slow
def test_a_stored_file_reads_back_whole_and_by_range(storage: Storage):
    data = os.urandom(CHUNK * 2 + 12345)  # more than one chunk
    name = key()
    assert not storage.exists(name)
    storage.put(name, io.BytesIO(data), "video/mp4")
    assert storage.exists(name)
    assert read(storage, name, 0, len(data)) == data
    assert read(storage, name, 0, 1) == data[:1]
    assert read(storage, name, len(data) - 1, 1) == data[-1:]
    assert read(storage, name, CHUNK - 10, 100) == data[CHUNK - 10 : CHUNK + 90]


@pytest.mark.slow
def test_a_file_put_again_is_replaced_whole(storage: Storage):
    name = key()
    storage.put(name, io.BytesIO(b"first version"), "image/jpeg")
    storage.put(name, io.BytesIO(b"second"), "image/jpeg")
    assert read(storage, name, 0, 6) == b"second"


@pytest.mark.slow
def test_delete_removes_the_file_and_may_be_repeated(storage: Storage):
    name = key()
    storage.put(name, io.BytesIO(b"x" * 10), "image/png")
    storage.delete(name)
    assert not storage.exists(name)
    storage.delete(name)  # idempotent: a sweep retried after a crash
    with pytest.raises(Exception):  # noqa: B017 - each back-end has its own not-found error
        read(storage, name, 0, 10)


@pytest.mark.slow
def test_keys_are_hep_s_own_never_a_path(storage: Storage):
    for bad in ("../etc/passwd", "a/b", "/abs/file", f"{uuid.uuid4().hex}/../x"):
        with pytest.raises(ValueError):
            storage.put(bad, io.BytesIO(b"x"), "image/png")


def test_the_media_root_is_in_the_instance_unless_named_or_in_object_storage(tmp_path: Path):
    config = {"MEDIA_STORAGE": "folder", "MEDIA_FOLDER": None}
    assert media_root(config, tmp_path) == tmp_path / "media"
    assert media_root(config | {"MEDIA_FOLDER": "/srv/media"}, tmp_path) == Path("/srv/media")
    assert media_root(config | {"MEDIA_STORAGE": "s3"}, tmp_path) is None


@pytest.mark.slow
def test_the_api_stores_and_streams_uploads_through_s3(
    s3_endpoint: str, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """HEP_MEDIA_STORAGE=s3 end to end: an upload lands in the bucket (nothing in the
    instance folder), reads back whole and by range, and removing it empties the bucket."""
    from hep.db import db
    from hep.library import create_exercise
    from hep.models import Role
    from tests.conftest import NOW, Cast, make_test_app, wipe
    from tests.media.samples import picture

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    bucket = f"hep-{uuid.uuid4().hex[:12]}"
    app = make_test_app(
        database_url,
        tmp_path / "instance",
        MEDIA_STORAGE="s3",
        MEDIA_S3_BUCKET=bucket,
        MEDIA_S3_ENDPOINT_URL=s3_endpoint,
        MEDIA_S3_REGION="us-east-1",
    )
    storage = app.extensions["hep_media"]
    assert isinstance(storage, S3Storage)
    storage.client.create_bucket(Bucket=bucket)
    wipe(app)
    with app.app_context():
        cast = Cast(app)
        therapist = cast.user(Role.THERAPIST)
        exercise = create_exercise(
            db.session, therapist, {"name": "E", "regions": ["neck"], "category": "stretch"}, NOW
        )
        db.session.commit()
        client = cast.client(therapist)
        r = client.post(
            f"/api/exercises/{exercise.id}/media",
            data={"file": (io.BytesIO(picture()), "photo.jpg")},
            content_type="multipart/form-data",
        )
        assert r.status_code == 201, r.get_json()
        media = r.get_json()
        listed = storage.client.list_objects_v2(Bucket=bucket).get("Contents", [])
        assert len(listed) == 2
        assert not (tmp_path / "instance" / "media").exists()
        whole = client.get(media["url"]).data
        assert len(whole) == media["size"]
        part = client.get(media["url"], headers={"Range": "bytes=10-19"})
        assert (part.status_code, part.data) == (206, whole[10:20])
        assert client.delete(f"/api/media/{media['id']}").status_code == 204
        assert storage.client.list_objects_v2(Bucket=bucket).get("KeyCount") == 0
        wipe(app)
