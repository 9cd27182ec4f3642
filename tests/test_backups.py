"""Backups: `hep backup` copies a running hep consistently (SQLite's online backup API, or
pg_dump), `hep restore` brings it back into an empty instance only, and hep starts on it."""

from __future__ import annotations

import json
import sqlite3
import tarfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, inspect, select, text

from hep import backups
from hep.db import db
from hep.instance import VAPID_FILE
from hep.migrate import upgrade
from hep.models import CheckIn, Role
from tests.conftest import NOW, PASSWORD, Cast, _postgres_database, make_test_app
from tests.test_logs import Client, hep_env, run_hep, web  # noqa: F401  (web: a fixture)

WRITERS = 20


@pytest.fixture
def empty_database(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A new, empty database of the same engine, to restore into."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored' / 'hep.sqlite3'}"
        return
    yield from _postgres_database()


def rows(url: str) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table, as text, sorted: two databases compared whole."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = {}
            for table in sorted(inspect(conn).get_table_names()):
                got = conn.execute(text(f'SELECT * FROM "{table}"')).all()
                found[table] = sorted(tuple(map(str, row)) for row in got)
            return found
    finally:
        engine.dispose()


def restore_settings(url: str) -> dict[str, Any]:
    return {"DATABASE_URL": url}


def test_a_backup_restores_every_row_the_key_and_media(
    app: Flask, cast: Cast, database_url: str, empty_database: str, tmp_path: Path
):
    patient = cast.user(Role.PATIENT, "Backed Up")
    cast.link(cast.user(Role.THERAPIST), patient)
    instance = Path(app.instance_path)
    (instance / VAPID_FILE).write_text("the key file")
    (instance / "media" / "a").mkdir(parents=True, exist_ok=True)
    (instance / "media" / "a" / "photo.jpg").write_bytes(b"\xff\xd8 media")
    written = backups.create(app.config, instance, tmp_path / "backups", NOW)
    assert written.path.name == "hep-backup-20260302T120000Z.tar.gz"
    assert written.path.stat().st_mode & 0o777 == 0o600

    target = tmp_path / "new-instance"
    restored = backups.restore(restore_settings(empty_database), target, written.path)
    assert restored.revision == written.revision is not None
    assert rows(empty_database) == rows(database_url)
    assert (target / VAPID_FILE).read_text() == "the key file"
    assert (target / "media" / "a" / "photo.jpg").read_bytes() == b"\xff\xd8 media"

    # a second restore would overwrite what is there now: only when asked to
    with pytest.raises(backups.BackupError, match="not empty"):
        backups.restore(restore_settings(empty_database), target, written.path)
    backups.restore(restore_settings(empty_database), target, written.path, force=True)
    assert rows(empty_database) == rows(database_url)


def test_media_in_a_folder_of_its_own_is_backed_up_and_restored_there(
    app: Flask, empty_database: str, tmp_path: Path
):
    folder = tmp_path / "srv-media"
    (folder / "ab").mkdir(parents=True)
    (folder / "ab" / "file").write_bytes(b"video")
    settings = {**app.config, "MEDIA_FOLDER": str(folder)}
    written = backups.create(settings, Path(app.instance_path), tmp_path / "backups", NOW)
    target, restored_media = tmp_path / "new-instance", tmp_path / "restored-media"
    config = {**restore_settings(empty_database), "MEDIA_FOLDER": str(restored_media)}
    backups.restore(config, target, written.path)
    assert (restored_media / "ab" / "file").read_bytes() == b"video"
    assert not (target / "media").exists()


def test_a_damaged_or_foreign_archive_is_refused(app: Flask, tmp_path: Path, empty_database: str):
    written = backups.create(app.config, Path(app.instance_path), tmp_path, NOW)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(written.path) as source, tarfile.open(damaged, "w:gz") as copy:
        for member in source.getmembers():
            data = source.extractfile(member)
            assert data is not None
            raw = data.read()
            if member.name.startswith("database"):
                raw = raw[:-1] + bytes([raw[-1] ^ 1])
            member.size = len(raw)
            copy.addfile(member, fileobj=__import__("io").BytesIO(raw))
    with pytest.raises(backups.BackupError, match="damaged"):
        backups.restore(restore_settings(empty_database), tmp_path / "i", damaged)
    other = "postgresql+psycopg://nobody@/x" if "sqlite" in empty_database else "sqlite://"
    with pytest.raises(backups.BackupError, match="database, HEP_DATABASE_URL is"):
        backups.restore(restore_settings(other), tmp_path / "i", written.path)


def test_old_backups_beyond_keep_are_deleted(tmp_path: Path):
    names = [f"hep-backup-2026030{d}T023000Z.tar.gz" for d in range(1, 6)]
    for name in [*names, "notes.txt"]:
        (tmp_path / name).write_text("")
    gone = backups.prune_old(tmp_path, 2)
    assert [p.name for p in gone] == names[:3]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*names[3:], "notes.txt"])


# --- a backup of a busy hep ----------------------------------------------------------------------


def _export(base: str, token: str) -> dict[str, Any]:
    request = urllib.request.Request(
        base + "/api/me/export", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return comparable(json.loads(response.read()))


def comparable(document: dict[str, Any]) -> dict[str, Any]:
    """An export less what each export changes: its time, and the event of its own making."""
    document.pop("exported_at")
    document["security_events"] = [
        e for e in document["security_events"] if e["action"] != "export"
    ]
    return document


@pytest.mark.slow
def test_a_backup_taken_while_20_clients_write_restores_every_acknowledged_write(
    app: Flask,
    database_url: str,
    empty_database: str,
    tmp_path: Path,
    web: tuple[str, Path, Path],  # noqa: F811
):
    base = web[0]
    today = time.strftime("%Y-%m-%d", time.gmtime())

    def patient(n: int) -> tuple[Client, str]:
        client = Client(base)
        email = f"writer{n}-{uuid.uuid4().hex[:6]}@example.org"
        client.ok(
            "POST",
            "/api/auth/signup/patient",
            {"email": email, "name": f"Writer {n}", "password": PASSWORD},
        )
        habit = client.ok("POST", "/api/habits", {"kind": "hydration", "name": "Water"})
        return client, habit["id"]

    # one patient who is done writing before the backup: their export must come back whole
    quiet, quiet_habit = patient(-1)
    token = quiet.ok(
        "POST",
        "/api/auth/tokens",
        {"email": quiet.call("GET", "/api/me")[1]["email"], "password": PASSWORD},
    )["token"]
    quiet.ok("PUT", f"/api/pain/{today}", {"score": 4, "note": "after the walk"})
    quiet.ok(
        "PUT",
        f"/api/check-ins/{uuid.uuid4()}",
        {"habit_id": quiet_habit, "local_date": today, "state": "done", "note": "all of it"},
    )
    with ThreadPoolExecutor(WRITERS) as pool:
        writers = list(pool.map(patient, range(WRITERS)))

    stop = threading.Event()
    acknowledged: list[tuple[str, float]] = []
    failures: list[int] = []

    def write(writer: tuple[Client, str]) -> None:
        client, habit = writer
        while not stop.is_set():
            check_in = str(uuid.uuid4())
            status, _ = client.call(
                "PUT",
                f"/api/check-ins/{check_in}",
                {"habit_id": habit, "local_date": today, "state": "done"},
            )
            if status == 201:
                acknowledged.append((check_in, time.monotonic()))
            else:
                failures.append(status)

    env = hep_env(database_url, Path(app.instance_path), app.config["VAPID_PRIVATE_KEY"])
    threads = [threading.Thread(target=write, args=(w,)) for w in writers]
    for thread in threads:
        thread.start()
    try:
        time.sleep(0.5)
        started = time.monotonic()
        done = run_hep(env, "backup", "--to", str(tmp_path / "backups"))
        finished = time.monotonic()
        time.sleep(0.3)  # writes go on after the backup too
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert done.returncode == 0, done.stderr[-3000:]
    assert failures == []
    before = {c for c, at in acknowledged if at < started}
    after = {c for c, at in acknowledged if at > finished}
    assert before and after, (len(before), len(after))
    source_export = _export(base, token)

    # restore into a new instance and database, as on a new machine, then migrate
    (archive,) = (tmp_path / "backups").iterdir()
    new_instance = tmp_path / "new-instance"
    new_env = {**env, "HEP_DATABASE_URL": empty_database, "HEP_INSTANCE_PATH": str(new_instance)}
    restored = run_hep(new_env, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr[-3000:]
    assert "Run `hep migrate`" in restored.stdout
    upgrade(empty_database)  # as `hep migrate` does

    if empty_database.startswith("sqlite"):
        path = empty_database.removeprefix("sqlite:///")
        with sqlite3.connect(path) as check:
            assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    engine = create_engine(empty_database)
    with engine.connect() as conn:
        kept = set(map(str, conn.execute(select(CheckIn.client_id)).scalars()))
    engine.dispose()
    assert before <= kept, f"{len(before - kept)} acknowledged writes lost"
    assert kept & after == set(), "the copy holds writes made after it finished"

    # hep starts on the restored instance and serves the same data
    restored_app = make_test_app(empty_database, new_instance)
    client = restored_app.test_client()
    assert client.get("/api/health/live").status_code == 200
    r = client.get("/api/me/export", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    assert comparable(r.get_json()) == source_export
    with restored_app.app_context():
        db.session.rollback()
