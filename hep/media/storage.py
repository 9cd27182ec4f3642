"""Media storage behind one small interface: a folder (the instance folder's `media/` by
default) or an S3-compatible bucket, for deployments with several web hosts."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO, Protocol

CHUNK = 256 * 1024
"""What one read hands the client: media is streamed, never read whole into memory."""

_KEY = re.compile(r"[0-9a-f]{32}/(file|thumbnail)")


class Storage(Protocol):
    """Where cleaned uploads live. Keys are hep's own (`<media id hex>/file`), never a client's
    name. Writes are whole (a reader never sees half a file); deletes are idempotent."""

    def put(self, key: str, source: BinaryIO, content_type: str) -> None: ...

    def open(self, key: str, start: int, length: int) -> Iterator[bytes]:
        """`length` bytes from `start`, in chunks of at most CHUNK; the caller knows the size
        (it is in the media row) and has checked the range."""
        ...

    def delete(self, key: str) -> None: ...

    def exists(self, key: str) -> bool: ...


def _checked(key: str) -> str:
    if not _KEY.fullmatch(key):
        raise ValueError("not a media storage key")
    return key


class FolderStorage:
    """Files under one folder, two levels by the id's first characters."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        _checked(key)
        return self.root / key[:2] / key

    def put(self, key: str, source: BinaryIO, content_type: str) -> None:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        # written aside, then renamed into place: a reader sees the whole file or none
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := source.read(CHUNK):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def open(self, key: str, start: int, length: int) -> Iterator[bytes]:
        # opened before the first chunk is asked for: a missing file fails here, not mid-answer
        handle = self.path(key).open("rb")
        return _read_range(handle, start, length)

    def open_file(self, key: str, start: int) -> BinaryIO:
        """The file itself from `start` to its end, for the server to send with sendfile."""
        handle = self.path(key).open("rb")
        handle.seek(start)
        return handle

    def delete(self, key: str) -> None:
        path = self.path(key)
        path.unlink(missing_ok=True)
        for folder in (path.parent, path.parent.parent):
            try:
                folder.rmdir()  # only when empty
            except OSError:
                break

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()


def _read_range(handle: BinaryIO, start: int, length: int) -> Iterator[bytes]:
    with handle:
        handle.seek(start)
        left = length
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk


class S3Storage:
    """Objects in one bucket of an S3-compatible store, through boto3 (credentials from its
    usual sources: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, an instance role)."""

    def __init__(
        self, bucket: str, *, endpoint_url: str | None, region: str | None, prefix: str = ""
    ) -> None:
        try:
            import boto3
            from botocore.config import Config
        except ImportError:  # pragma: no cover - the extra is missing
            raise RuntimeError("S3 media storage needs boto3: pip install 'hep[s3]'") from None
        self.bucket = bucket
        self.prefix = prefix
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            config=Config(
                retries={"max_attempts": 3, "mode": "standard"},
                s3={"addressing_style": "path"},
                connect_timeout=5,
                read_timeout=30,
            ),
        )

    def _name(self, key: str) -> str:
        return self.prefix + _checked(key)

    def put(self, key: str, source: BinaryIO, content_type: str) -> None:
        # multipart for large files, in chunks: never the whole file in memory
        self.client.upload_fileobj(
            source, self.bucket, self._name(key), ExtraArgs={"ContentType": content_type}
        )

    def open(self, key: str, start: int, length: int) -> Iterator[bytes]:
        if length <= 0:
            return iter(())
        answer = self.client.get_object(
            Bucket=self.bucket, Key=self._name(key), Range=f"bytes={start}-{start + length - 1}"
        )
        return _stream(answer["Body"])

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True


def _stream(body: Any) -> Iterator[bytes]:
    try:
        yield from body.iter_chunks(CHUNK)
    finally:
        body.close()


def media_root(config: Mapping[str, Any], instance_path: str | Path) -> Path | None:
    """The folder media lives in (what a backup must copy), or None when it is in object
    storage. `instance_path`: the app's (app.instance_path)."""
    if config.get("MEDIA_STORAGE", "folder") != "folder":
        return None
    folder = config.get("MEDIA_FOLDER")
    return Path(folder) if folder else Path(instance_path) / "media"


def storage_for(config: Mapping[str, Any], instance_path: str | Path) -> Storage:
    """The storage the settings name (HEP_MEDIA_STORAGE)."""
    root = media_root(config, instance_path)
    if root is not None:
        return FolderStorage(root)
    return S3Storage(
        config["MEDIA_S3_BUCKET"],
        endpoint_url=config["MEDIA_S3_ENDPOINT_URL"],
        region=config["MEDIA_S3_REGION"],
        prefix=config["MEDIA_S3_PREFIX"],
    )
