"""Browser tests: a real hep server (gunicorn, 2 workers, SQLite) and headless Chromium.

Fixtures here start one server and one browser for the whole run; each test gets fresh
browser contexts (an empty profile each) and signs in whom it needs through the API."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.tools import require_tool

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
REPO = Path(__file__).resolve().parents[2]
PASSWORD = "a calm river under seven bridges"
PHONE = {"width": 360, "height": 780}
ZONE = "Europe/Berlin"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _server_env(tmp: Path, port: int) -> dict[str, str]:
    # hep refuses unknown HEP_* variables, so none of the caller's may leak in
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEP_") or "TEST" in k}
    env.update(
        HEP_ENV="testing",
        HEP_DATABASE_URL=f"sqlite:///{tmp / 'hep.sqlite3'}",
        HEP_INSTANCE_PATH=str(tmp),
        HEP_ARGON2_TIME_COST="1",
        HEP_ARGON2_MEMORY_KIB="8",
        HEP_PUSH_ALLOW_LOOPBACK="true",
        HEP_BASE_URL=f"http://127.0.0.1:{port}",
    )
    return env


@dataclass
class HepServer:
    base: str
    instance: Path
    database_url: str

    def app(self) -> Any:
        """An app object on the same database and keys, to run the dispatcher in-process."""
        from hep import create_app

        return create_app(
            {
                "ENV": "testing",
                "DATABASE_URL": self.database_url,
                "INSTANCE_PATH": str(self.instance),
                "PUSH_ALLOW_LOOPBACK": True,
                "BASE_URL": self.base,
                "ARGON2_TIME_COST": 1,
                "ARGON2_MEMORY_KIB": 8,
            }
        )


@contextlib.contextmanager
def running_hep(
    tmp: Path, port: int | None = None, settings: dict[str, str] | None = None
) -> Iterator[HepServer]:
    """A real hep: `hep init` (a no-op on an instance that has run before), then gunicorn with
    two workers on a loopback port, with `settings` (HEP_* variables) on top of the tests'.
    Stopping and starting again on the same folder and port is a restart the browser cannot
    tell from a deployment."""
    port = port or _free_port()
    env = {**_server_env(tmp, port), **(settings or {})}
    subprocess.run(
        [sys.executable, "-m", "hep.cli", "init"],
        env=env,
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=60,
    )
    log = (tmp / "gunicorn.log").open("a")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "hep:create_app()",
        ],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/health", timeout=1) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log.close()
            raise RuntimeError("hep did not start:\n" + (tmp / "gunicorn.log").read_text())
        time.sleep(0.1)
    try:
        yield HepServer(base, tmp, env["HEP_DATABASE_URL"])
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="package")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HepServer]:
    """The hep every browser test shares."""
    tmp = tmp_path_factory.mktemp("hep-e2e")
    with running_hep(tmp) as hep:
        yield hep
    server_log = (tmp / "gunicorn.log").read_text()
    if "Traceback" in server_log:
        print("hep server log had tracebacks:\n" + server_log[-6000:], file=sys.stderr)


@pytest.fixture(scope="package")
def playwright_instance() -> Iterator[Any]:
    require_tool(
        "Chromium",
        Path(CHROMIUM).exists(),
        f"{CHROMIUM} not found (apt-get install chromium) — browser tests need it",
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="package")
def browser(playwright_instance: Any) -> Iterator[Any]:
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@dataclass
class Person:
    """A user made through the API, with a signed-in API client of their own."""

    email: str
    name: str
    role: str
    api: Any
    id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def get(self, path: str) -> Any:
        response = self.api.get(path)
        assert response.ok, f"GET {path}: {response.status} {response.text()}"
        return response.json()

    def send(self, method: str, path: str, body: Any = None, expect: int | None = None) -> Any:
        response = self.api.fetch(path, method=method, data=body)
        if expect is not None:
            assert response.status == expect, (
                f"{method} {path}: {response.status} {response.text()}"
            )
        else:
            assert response.ok, f"{method} {path}: {response.status} {response.text()}"
        return response.json() if response.status != 204 else None


class World:
    """Makes people and programs through the API, and browser contexts signed in as them."""

    def __init__(self, base: str, playwright: Any, browser: Any) -> None:
        self.base = base
        self.playwright = playwright
        self.browser = browser
        self._closers: list[Callable[[], None]] = []
        self.page_errors: list[str] = []

    def api_client(self) -> Any:
        client = self.playwright.request.new_context(
            base_url=self.base, extra_http_headers={"X-HEP-CSRF": "1"}
        )
        self._closers.append(client.dispose)
        return client

    def therapist(self, name: str = "Dana Therapist") -> Person:
        client = self.api_client()
        email = f"t-{uuid.uuid4().hex[:8]}@example.org"
        r = client.post(
            "/api/auth/signup/therapist",
            data={"email": email, "name": name, "password": PASSWORD, "timezone": ZONE},
        )
        assert r.status == 201, r.text()
        return Person(email, name, "therapist", client, r.json()["user"]["id"])

    def patient_of(
        self, therapist: Person, name: str = "Pat Patient", timezone: str = ZONE
    ) -> Person:
        """A patient added by the therapist who accepted the invite (as the phone would)."""
        email = f"p-{uuid.uuid4().hex[:8]}@example.org"
        added = therapist.send(
            "POST", "/api/patients", {"email": email, "name": name, "timezone": timezone}
        )
        code = added["invite"]["url"].split("#/invite/")[1]
        client = self.api_client()
        r = client.post(
            f"/api/invites/{code}/accept", data={"password": PASSWORD, "timezone": timezone}
        )
        assert r.status == 200, r.text()
        return Person(email, name, "patient", client, added["patient"]["id"])

    def program(self, therapist: Person, patient: Person, slugs: list[str]) -> dict[str, Any]:
        """Prescribe built-in exercises (by slug), every day from today."""
        exercises = therapist.get("/api/exercises?page_size=100")
        by_slug = {e["slug"]: e for e in exercises}
        today = patient.get("/api/today")["date"]
        program: dict[str, Any] = therapist.send(
            "POST",
            f"/api/patients/{patient.id}/programs",
            {
                "title": "Neck and shoulders",
                "start_date": today,
                "items": [{"exercise_id": by_slug[s]["id"], "times_per_day": 1} for s in slugs],
            },
        )
        return program

    def sign_in(self, person: Person) -> Any:
        """A new session for `person` (a browser gets its own, apart from the test's client)."""
        client = self.api_client()
        r = client.post("/api/auth/login", data={"email": person.email, "password": PASSWORD})
        assert r.status == 200, r.text()
        return client

    def context(self, person: Person | None = None, **options: Any) -> Any:
        """A fresh browser profile at phone size; signed in as `person` (cookie copied)."""
        opts: dict[str, Any] = {
            "base_url": self.base,
            "viewport": PHONE,
            "timezone_id": ZONE,
            "locale": "en-GB",
        }
        opts.update(options)
        if person is not None:
            opts["storage_state"] = self.sign_in(person).storage_state()
        context = self.browser.new_context(**opts)
        context.set_default_timeout(10_000)
        self._closers.append(context.close)
        return context

    def profile(self, directory: Path, person: Person | None = None, **options: Any) -> Any:
        """A browser with a real (non-incognito) profile: Chromium refuses to install web apps
        from an incognito context, which is what new_context() gives."""
        opts: dict[str, Any] = {
            "base_url": self.base,
            "viewport": PHONE,
            "timezone_id": ZONE,
            "locale": "en-GB",
            "executable_path": CHROMIUM,
            "args": CHROMIUM_ARGS,
        }
        opts.update(options)
        context = self.playwright.chromium.launch_persistent_context(str(directory), **opts)
        context.set_default_timeout(10_000)
        self._closers.append(context.close)
        if person is not None:
            context.add_cookies(self.sign_in(person).storage_state()["cookies"])
        return context

    def page(self, context: Any) -> Any:
        page = context.new_page()
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        return page

    def close(self) -> None:
        for close in reversed(self._closers):
            # best effort: a context the test already closed must not hide the real failure
            with contextlib.suppress(Exception):
                close()


@pytest.fixture
def world(server: HepServer, playwright_instance: Any, browser: Any) -> Iterator[World]:
    w = World(server.base, playwright_instance, browser)
    yield w
    w.close()
    # an uncaught error in the app is a failure even when the screen looked right
    assert not w.page_errors, f"JavaScript errors in the page: {w.page_errors}"
