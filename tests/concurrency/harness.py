"""gunicorn with several workers on the engine under test, and clients that really race it."""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, func, select

from tests.conftest import PASSWORD
from tests.push_service import BrowserSubscription, free_port

WORKERS = 4
# seconds a racer waits for the others at the barrier, and for its answer
RACE_TIMEOUT = 60


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: Any = None
    cookie: str = ""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]
    cookie: str = ""

    def json(self) -> Any:
        return json.loads(self.body)


class Server:
    """A running gunicorn: requests to it, and row counts straight from its database."""

    def __init__(self, port: int, database_url: str, log: Path) -> None:
        self.port = port
        self.log = log
        self.engine: Engine = create_engine(database_url)

    def connect(self) -> http.client.HTTPConnection:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=RACE_TIMEOUT)
        connection.connect()
        return connection

    @staticmethod
    def start(connection: http.client.HTTPConnection, call: Call) -> None:
        """Send the request; its answer is read by `finish`."""
        headers = {"X-HEP-CSRF": "1", **call.headers}
        body = None
        if call.body is not None:
            body = json.dumps(call.body).encode()
            headers["Content-Type"] = "application/json"
        if call.cookie:
            headers["Cookie"] = call.cookie
        connection.request(call.method, call.path, body=body, headers=headers)

    @staticmethod
    def finish(connection: http.client.HTTPConnection) -> Answer:
        response = connection.getresponse()
        payload = response.read()
        cookie = (response.getheader("Set-Cookie") or "").split(";")[0]
        return Answer(response.status, payload, dict(response.getheaders()), cookie)

    def send(self, connection: http.client.HTTPConnection, call: Call) -> Answer:
        self.start(connection, call)
        return self.finish(connection)

    def call(self, call: Call) -> Answer:
        connection = self.connect()
        try:
            return self.send(connection, call)
        finally:
            connection.close()

    def race(self, calls: Sequence[Call]) -> list[Answer]:
        """Send the calls at once: each on a connection opened first, then all released by a
        barrier, so they overlap in the workers."""
        barrier = threading.Barrier(len(calls))

        def one(call: Call) -> Answer:
            connection = self.connect()
            try:
                barrier.wait(timeout=RACE_TIMEOUT)
                return self.send(connection, call)
            finally:
                connection.close()

        with ThreadPoolExecutor(len(calls)) as pool:
            return list(pool.map(one, calls))

    def ok(self, call: Call, status: int = 200) -> Any:
        answer = self.call(call)
        assert answer.status == status, answer.body
        return answer.json() if answer.body else None

    def sign_up(self, role: str = "patient", email: str | None = None) -> str:
        """A new account; its session cookie."""
        email = email or f"{uuid.uuid4().hex[:12]}@example.org"
        body = {"email": email, "name": role.title(), "password": PASSWORD}
        answer = self.call(Call("POST", f"/api/auth/signup/{role}", body))
        assert answer.status == 201, answer.body
        return answer.cookie

    def habit(self, cookie: str) -> str:
        """A new daily yes/no habit of the signed-in patient, kept since last week; its id."""
        since = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=7)
        body = {"kind": "movement", "name": "Walk", "start_date": str(since)}
        return str(self.ok(Call("POST", "/api/habits", body, cookie), 201)["id"])

    def count(self, model: Any, *where: Any) -> int:
        with self.engine.connect() as connection:
            found = connection.execute(select(func.count()).select_from(model).where(*where))
            return int(found.scalar_one())

    def log_size(self) -> int:
        return self.log.stat().st_size

    def log_since(self, offset: int) -> str:
        with self.log.open("rb") as f:
            f.seek(offset)
            return f.read().decode(errors="replace")


def no_5xx(answers: Sequence[Answer]) -> list[tuple[int, bytes]]:
    return [(a.status, a.body[:300]) for a in answers if a.status >= 500]


def one_creator(answers: Sequence[Answer], created: int = 201, replayed: int = 200) -> None:
    """The racers' verdict: one created, the rest replayed it, all with the same body."""
    assert no_5xx(answers) == []
    assert sorted(a.status for a in answers) == sorted(
        [created] + [replayed] * (len(answers) - 1)
    ), [(a.status, a.body[:200]) for a in answers]
    assert len({a.body for a in answers}) == 1, [a.body for a in answers]


def subscription(port: int) -> dict[str, Any]:
    """A browser-like push subscription at a loopback push service."""
    browser = BrowserSubscription.create()
    return {
        "endpoint": f"http://127.0.0.1:{port}/push/{uuid.uuid4().hex}",
        "keys": {"p256dh": browser.p256dh, "auth": browser.auth},
    }


@contextlib.contextmanager
def serve(database_url: str, instance: Path, **env: str) -> Iterator[Server]:
    """gunicorn (WORKERS sync workers, as in production) serving hep on a free port."""
    port = free_port()
    log = instance / "gunicorn.log"
    settings = dict(os.environ)
    settings.update(
        HEP_ENV="testing",
        HEP_DATABASE_URL=database_url,
        HEP_INSTANCE_PATH=str(instance),
        HEP_ARGON2_TIME_COST="1",
        HEP_ARGON2_MEMORY_KIB="8",
        HEP_PUSH_ALLOW_LOOPBACK="true",
        **env,
    )
    command = [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS)]
    command += ["--bind", f"127.0.0.1:{port}", "hep:create_app()"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=settings, stdout=out, stderr=subprocess.STDOUT)
    server = Server(port, database_url, log)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if server.call(Call("GET", "/api/health")).status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("gunicorn did not start: " + log.read_text()[-2000:])
            time.sleep(0.1)
        yield server
    finally:
        process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown: the tests are over
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        server.engine.dispose()
