"""Serving media: a large video read through the API (authorised, streamed from storage in
chunks) by concurrent clients through gunicorn, beside the same file served as a plain static
file by the same gunicorn; throughput and each run's peak worker memory, at two file sizes
(memory must not grow with the file)."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

WORKERS = 2
THREADS = 10
CLIENTS = 20
PASSWORD = "a long enough bench passphrase"
ROOT = Path(__file__).resolve().parents[1]


def static_app(environ: dict[str, Any], start_response: Any) -> Any:
    """The baseline: one file served by werkzeug's static-file middleware (sendfile through
    gunicorn's file wrapper), as a proxy or a static route would."""
    from werkzeug.middleware.shared_data import SharedDataMiddleware

    folder = os.environ["BENCH_STATIC_FOLDER"]
    global _static
    if _static is None:
        _static = SharedDataMiddleware(_not_found, {"/static": folder})
    return _static(environ, start_response)


_static: Any = None


def _not_found(_environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("404 Not Found", [("Content-Length", "0")])
    return []


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _env(instance: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEP_")}
    env.update(
        HEP_ENV="testing",
        HEP_DATABASE_URL=f"sqlite:///{instance / 'hep.sqlite3'}",
        HEP_INSTANCE_PATH=str(instance),
        HEP_ARGON2_TIME_COST="1",
        HEP_ARGON2_MEMORY_KIB="8",
        HEP_LOG_LEVEL="WARNING",
        BENCH_STATIC_FOLDER=str(instance / "static"),
    )
    return env


def _prepare(instance: Path, size: int) -> tuple[str, str]:
    """A patient with a program whose item has a `size`-byte video in folder storage, and the
    same bytes as a static file. Returns (media id, the patient's session cookie value)."""
    env = _env(instance)
    subprocess.run(
        [sys.executable, "-m", "hep.cli", "init"], env=env, check=True, capture_output=True
    )
    os.environ.update({k: v for k, v in env.items() if k.startswith("HEP_")})
    try:
        from hep import create_app
        from hep import media as media_app
        from hep.accounts import create_user
        from hep.clinics import care_clinic
        from hep.db import db
        from hep.media.attachments import file_key, thumbnail_key
        from hep.models import CareLink, Exercise, Media, Role
        from hep.programs import prescribe, view

        app = create_app()
    finally:
        for key in env:
            if key.startswith("HEP_"):
                os.environ.pop(key, None)
    now = dt.datetime.now(dt.UTC)
    static = instance / "static"
    static.mkdir(exist_ok=True)
    block = os.urandom(1 << 20)
    with (static / "video.mp4").open("wb") as out:
        for _ in range(size >> 20):
            out.write(block)
    with app.app_context():
        hasher = app.extensions["hep_hasher"]
        therapist, patient = (
            create_user(
                db.session,
                email=f"{uuid.uuid4().hex[:10]}@example.org",
                name=role.value,
                role=role,
                timezone="UTC",
                password=None,
                hasher=hasher,
                now=now,
            )
            for role in (Role.THERAPIST, Role.PATIENT)
        )
        patient.password_hash = hasher.hash(PASSWORD)
        clinic = care_clinic(db.session, therapist, None, now)
        db.session.add(
            CareLink(
                therapist_id=therapist.id,
                patient_id=patient.id,
                clinic_id=clinic.id,
                is_lead=True,
                created_at=now,
            )
        )
        db.session.commit()
        exercise = db.session.query(Exercise).filter(Exercise.slug.is_not(None)).first()
        assert exercise is not None
        program = prescribe(
            db.session,
            therapist,
            patient.id,
            {"title": "P", "start_date": now.date(), "items": [{"exercise_id": exercise.id}]},
            now,
        )
        item_key = view(db.session, program).items[0][0].item_key
        media = Media(
            kind="video",
            content_type="video/mp4",
            size=size,
            thumbnail_type="image/webp",
            thumbnail_size=1,
            poster="generic",
            caption="",
            program_id=program.id,
            item_key=item_key,
            uploaded_by=therapist.id,
            stored_at=now,
            created_at=now,
        )
        db.session.add(media)
        db.session.commit()
        storage = media_app.storage()
        with (static / "video.mp4").open("rb") as source:
            storage.put(file_key(media.id), source, "video/mp4")
        import io

        storage.put(thumbnail_key(media.id), io.BytesIO(b"x"), "image/webp")
        client = app.test_client()
        r = client.post(
            "/api/auth/login",
            json={"email": patient.email, "password": PASSWORD},
            headers={"X-HEP-CSRF": "1"},
        )
        assert r.status_code == 200, r.get_json()
        cookie = r.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
        return str(media.id), cookie


def _gunicorn(instance: Path, app: str, port: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "gthread",
        "--threads",
        str(THREADS),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    if app == "hep":
        command += ["--config", "python:hep.gunicorn_config"]
    else:
        command.append(app)
    process = subprocess.Popen(
        command,
        env=_env(instance),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=(instance / f"gunicorn-{app.replace(':', '_')}.log").open("ab"),
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/")
            connection.getresponse().read()
            return process
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError(f"gunicorn ({app}) did not start") from None
            time.sleep(0.1)


def _workers(master: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == master:
                found.append(int(entry.name))
    return found


def _peak_kb(pids: list[int]) -> int:
    """The largest resident-set high-water mark (VmHWM) among the workers."""
    peak = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            pass
    return peak


def _download(port: int, path: str, cookie: str | None, sizes: list[int]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Cookie": f"hep_session={cookie}"} if cookie else {}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    assert response.status == 200, response.status
    got = 0
    while chunk := response.read(1 << 20):
        got += len(chunk)
    sizes.append(got)
    connection.close()


def _run(
    port: int, path: str, cookie: str | None, process: subprocess.Popen[bytes]
) -> tuple[float, int]:
    sizes: list[int] = []
    workers = _workers(process.pid)
    _download(port, path, cookie, sizes)  # warm: imports, first connection
    threads = [
        threading.Thread(target=_download, args=(port, path, cookie, sizes)) for _ in range(CLIENTS)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    assert len(sizes) == CLIENTS + 1 and len(set(sizes)) == 1, sizes
    return sum(sizes[1:]) / seconds / 2**20, _peak_kb(workers)


def measure(size: int) -> dict[str, tuple[float, int]]:
    with tempfile.TemporaryDirectory(prefix="hep-bench-media-") as folder:
        instance = Path(folder)
        media_id, cookie = _prepare(instance, size)
        results = {}
        for name, app, path, auth in (
            ("hep /api/media/<id>/file", "hep", f"/api/media/{media_id}/file", cookie),
            ("static file (sendfile)", "bench.media:static_app", "/static/video.mp4", None),
        ):
            port = _free_port()
            process = _gunicorn(instance, app, port)
            try:
                results[name] = _run(port, path, auth, process)
            finally:
                process.terminate()
                process.wait(timeout=20)
        return results


def main(quick: bool = False) -> None:
    sizes = [2 << 20, 10 << 20] if quick else [10 << 20, 50 << 20]
    print(
        f"media: {CLIENTS} concurrent clients each download the whole file; gunicorn "
        f"{WORKERS} gthread workers x {THREADS} threads; peak = the largest worker's VmHWM"
    )
    print(f"{'file':>7}  {'served as':<26} {'MB/s':>8} {'peak worker RSS':>16}")
    rows = []
    for size in sizes:
        for name, (rate, peak) in measure(size).items():
            rows.append({"size_mb": size >> 20, "served_as": name, "mb_s": rate, "peak_kb": peak})
            print(f"{size >> 20:>5}MB  {name:<26} {rate:>8.0f} {peak / 1024:>13.1f} MB")
    print(json.dumps({"bench": "media", "rows": rows}))


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    main(quick=parser.parse_args().quick)
