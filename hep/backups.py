"""Backups: one archive holding a consistent copy of the database (SQLite's online backup
API, or `pg_dump --format=custom`), the VAPID key file and the media folder, written while
hep runs; and restoring one into an empty instance."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, inspect, make_url, text
from sqlalchemy.engine import URL

from hep.instance import VAPID_FILE
from hep.media.storage import media_root

FORMAT = 1
MEDIA = "media"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
NAME = re.compile(r"^hep-backup-\d{8}T\d{6}Z\.tar\.gz$")


class BackupError(Exception):
    """A backup or restore cannot go on; the message says why (never a secret)."""


def _hep_version() -> str:
    try:
        return version("hep")
    except PackageNotFoundError:  # pragma: no cover - a checkout that was never installed
        return "unknown"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _revision(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            found = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            return str(found) if found is not None else None
    finally:
        engine.dispose()


# --- PostgreSQL through its own tools ------------------------------------------------------------


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URI for pg_dump/pg_restore (driver dropped) and the password as PGPASSWORD, so
    it never shows in a process list."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    uri = url.set(drivername="postgresql", password=None)
    return uri.render_as_string(hide_password=False), env


def _server_major(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            info = conn.dialect.server_version_info or (0,)
            return int(info[0])
    finally:
        engine.dispose()


def pg_tool(name: str, server_major: int) -> str:
    """pg_dump or pg_restore of the server's major version (Debian installs each version
    under /usr/lib/postgresql/N/bin), else the one on PATH if it is as new as the server."""
    candidates = [Path(f"/usr/lib/postgresql/{server_major}/bin/{name}")]
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        if not candidate.is_file():
            continue
        said = subprocess.run([str(candidate), "--version"], capture_output=True, text=True)
        found = re.search(r"(\d+)(?:\.\d+)?", said.stdout)
        if found and int(found.group(1)) >= server_major:
            return str(candidate)
    raise BackupError(
        f"no {name} for PostgreSQL {server_major}: install postgresql-client-{server_major}"
    )


def _run(argv: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        # pg_dump's own words name objects, not row values
        raise BackupError(f"{Path(argv[0]).name} failed: {done.stderr.strip()[-500:]}")


# --- writing a backup ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    path: Path
    engine: str
    revision: str | None
    files: int


def _copy_sqlite(source: Path, target: Path) -> None:
    """SQLite's online backup in one step: one read transaction, so the copy is the database
    as of one moment, taken while hep goes on writing (WAL: readers never block writers)."""
    if not source.is_file():
        raise BackupError(f"no database file at {source}")
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def create(config: Mapping[str, Any], instance: Path, folder: Path, now: dt.datetime) -> Written:
    """Write `hep-backup-<UTC time>.tar.gz` into `folder` (made 0700 if new), readable by its
    owner only: it holds health data and the VAPID private key."""
    url = str(config["DATABASE_URL"])
    parsed = make_url(url)
    engine = parsed.get_backend_name()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"hep-backup-{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="hep-backup-") as work_dir:
        work = Path(work_dir)
        members: list[tuple[Path, str]] = []
        revision = _revision(url)
        if engine == "sqlite":
            _copy_sqlite(Path(parsed.database or ""), work / SQLITE_FILE)
            members.append((work / SQLITE_FILE, SQLITE_FILE))
        else:
            uri, env = _libpq(parsed)
            tool = pg_tool("pg_dump", _server_major(url))
            _run([tool, "--format=custom", f"--file={work / PG_FILE}", f"--dbname={uri}"], env)
            members.append((work / PG_FILE, PG_FILE))
        key = instance / VAPID_FILE
        if key.is_file():
            members.append((key, VAPID_FILE))
        media = media_root(config, instance)  # None: in object storage, backed up there
        if media is not None and media.is_dir():
            members += [
                (path, f"{MEDIA}/{path.relative_to(media).as_posix()}")
                for path in sorted(media.rglob("*"))
                if path.is_file()
            ]
        manifest = {
            "format": FORMAT,
            "hep": _hep_version(),
            "created_at": now.astimezone(dt.UTC).isoformat(),
            "engine": engine,
            "revision": revision,
            "vapid_key": "file" if key.is_file() else "configured (HEP_VAPID_PRIVATE_KEY)",
            "files": {arcname: _sha256(path) for path, arcname in members},
        }
        partial = folder / f".{name}.partial"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mode, info.mtime = len(data), 0o600, int(now.timestamp())
            archive.addfile(info, io.BytesIO(data))
            for path, arcname in members:
                archive.add(path, arcname, recursive=False)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, folder / name)
    return Written(folder / name, engine, revision, len(members))


def prune_old(folder: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest backups hep wrote in `folder`."""
    found = sorted(p for p in folder.iterdir() if NAME.match(p.name))
    gone = found[:-keep] if keep > 0 else []
    for path in gone:
        path.unlink()
    return gone


# --- restoring -----------------------------------------------------------------------------------


@contextmanager
def _unpacked(archive: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """The archive's files in a temporary folder, each checked against the manifest."""
    with tempfile.TemporaryDirectory(prefix="hep-restore-") as work_dir:
        work = Path(work_dir)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(work, filter="data")
        except (OSError, tarfile.TarError) as exc:
            raise BackupError(f"{archive} is not a hep backup ({type(exc).__name__})") from None
        try:
            manifest = json.loads((work / "manifest.json").read_text())
        except (OSError, ValueError):
            raise BackupError(f"{archive} has no readable manifest") from None
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{archive} is of an unknown backup format")
        for arcname, digest in manifest["files"].items():
            path = work / arcname
            if not path.is_file() or _sha256(path) != digest:
                raise BackupError(f"{arcname} in {archive} is damaged (checksum differs)")
        yield work, manifest


def _no_tables(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return not inspect(conn).get_table_names()
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Restored:
    engine: str
    revision: str | None
    created_at: str
    vapid_key: str


def restore(
    config: Mapping[str, Any], instance: Path, archive: Path, *, force: bool = False
) -> Restored:
    """Bring `archive` back into this instance's database (and its key file and media).
    Refuses a database that has tables, or an instance folder with a different key file,
    unless `force`; then the database's tables are replaced by the backup's."""
    url = str(config["DATABASE_URL"])
    parsed = make_url(url)
    engine = parsed.get_backend_name()
    with _unpacked(archive) as (work, manifest):
        if manifest["engine"] != engine:
            raise BackupError(
                f"the backup is of a {manifest['engine']} database, HEP_DATABASE_URL is {engine}"
            )
        key, backed_key = instance / VAPID_FILE, work / VAPID_FILE
        key_differs = (
            backed_key.is_file() and key.is_file() and key.read_bytes() != backed_key.read_bytes()
        )
        if not force and (not _database_empty(url, engine) or key_differs):
            raise BackupError(
                "this instance is not empty (its database has tables, or its VAPID key "
                "differs): restore into a new one, or pass --force to replace it"
            )
        if engine == "sqlite":
            _restore_sqlite(work / SQLITE_FILE, Path(parsed.database or ""))
        else:
            uri, env = _libpq(parsed)
            tool = pg_tool("pg_restore", _server_major(url))
            argv = [tool, "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={uri}"]
            if force:
                argv[1:1] = ["--clean", "--if-exists"]
            _run([*argv, str(work / PG_FILE)], env)
        instance.mkdir(parents=True, exist_ok=True)
        if backed_key.is_file():
            shutil.copyfile(backed_key, key)
            key.chmod(0o600)
        media = media_root(config, instance)
        if (work / MEDIA).is_dir() and media is not None:
            shutil.copytree(work / MEDIA, media, dirs_exist_ok=True)
    return Restored(engine, manifest["revision"], manifest["created_at"], manifest["vapid_key"])


def _database_empty(url: str, engine: str) -> bool:
    if engine == "sqlite":
        path = Path(make_url(url).database or "")
        if not path.exists() or path.stat().st_size == 0:
            return True
    return _no_tables(url)


def _restore_sqlite(copy: Path, target: Path) -> None:
    check = sqlite3.connect(copy)
    try:
        verdict = check.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        check.close()
    if verdict != "ok":
        raise BackupError("the backup's database fails SQLite's integrity check")
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(copy, f"{target}.restoring")
    os.replace(f"{target}.restoring", target)
