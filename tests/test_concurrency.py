"""Several gunicorn workers writing at once: no "database is locked", no 5xx, nothing lost."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from hep.models import User

CLIENTS = 8
WRITES_PER_CLIENT = 12


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def call(
    base: str, method: str, path: str, body: bytes | None, cookie: str = ""
) -> tuple[int, str]:
    request = urllib.request.Request(
        base + path,
        data=body,
        method=method,
        headers={"Content-Type": "application/json", "X-HEP-CSRF": "1", "Cookie": cookie},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Set-Cookie", "")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


@pytest.fixture
def server(database_url: str, tmp_path: Path, app):  # app: starts from empty tables
    port = free_port()
    env = dict(os.environ)
    env.update(
        HEP_ENV="testing",
        HEP_DATABASE_URL=database_url,
        HEP_INSTANCE_PATH=str(tmp_path),
        HEP_ARGON2_TIME_COST="1",
        HEP_ARGON2_MEMORY_KIB="8",
        HEP_LOGIN_LIMIT_ADDRESS="100000",
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "3",
            "--bind",
            f"127.0.0.1:{port}",
            "hep:create_app()",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/api/health", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("gunicorn did not start: " + process.stderr.read().decode()[-2000:])
    yield base
    process.terminate()
    _, err = process.communicate(timeout=20)
    assert b"database is locked" not in err, err.decode()[-2000:]


@pytest.mark.slow
def test_concurrent_writers_lose_nothing_and_never_5xx(server: str, database_url: str):
    def client(n: int) -> list[int]:
        statuses = []
        body = (
            f'{{"email": "writer{n}@example.org", "name": "W{n}", '
            f'"password": "a long enough test passphrase"}}'
        ).encode()
        status, cookie = call(server, "POST", "/api/auth/signup/patient", body)
        statuses.append(status)
        cookie = cookie.split(";")[0]
        for i in range(WRITES_PER_CLIENT):
            status, _ = call(server, "PATCH", "/api/me", f'{{"name": "W{n} {i}"}}'.encode(), cookie)
            statuses.append(status)
        return statuses

    with ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(client, range(CLIENTS)))
    flat = [s for r in results for s in r]
    assert [s for s in flat if s >= 500] == []
    assert all(s in (200, 201) for s in flat), flat
    engine = create_engine(database_url)
    with engine.connect() as conn:
        names = dict(conn.execute(select(User.email, User.name)).all())
        assert conn.execute(select(func.count()).select_from(User)).scalar() == CLIENTS
    engine.dispose()
    for n in range(CLIENTS):
        assert names[f"writer{n}@example.org"] == f"W{n} {WRITES_PER_CLIENT - 1}"


@pytest.mark.slow
def test_concurrent_therapist_reads_that_log_access_never_5xx(server: str):
    """Reads that also write (the access log) must not fail to upgrade a SQLite read lock."""
    body = b'{"email": "t@example.org", "name": "T", "password": "a long enough test passphrase"}'
    status, cookie = call(server, "POST", "/api/auth/signup/therapist", body)
    assert status == 201
    cookie = cookie.split(";")[0]
    status, _ = call(
        server, "POST", "/api/patients", b'{"email": "p@example.org", "name": "P"}', cookie
    )
    assert status == 201

    def read(_: int) -> int:
        return call(server, "GET", "/api/patients", None, cookie)[0]

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(read, range(48)))
    assert statuses == [200] * 48
