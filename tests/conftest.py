"""One fixture set for the whole suite: every database test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from hep import create_app
from hep.accounts import create_user
from hep.cli import generate_private_key_pem
from hep.clinics import care_clinic, found_clinic
from hep.db import Base, db
from hep.migrate import upgrade
from hep.models import CareLink, Clinic, ClinicMember, ClinicRole, NotificationSettings, Role, User
from tests.tools import require_tool

PG_ADMIN_URL = os.environ.get(
    "HEP_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PASSWORD = "a long enough test passphrase"
NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def _postgres_database() -> Iterator[str]:
    import psycopg

    conninfo = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        admin = psycopg.connect(conninfo, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        require_tool("PostgreSQL", False, f"cannot connect to {PG_ADMIN_URL}: {exc}")
        raise
    name = f"hep_test_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = PG_ADMIN_URL.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """An empty database migrated to head, one per engine for the whole run."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'hep.sqlite3'}"
        upgrade(url)
        yield url
        return
    for url in _postgres_database():
        upgrade(url)
        yield url


def make_test_app(database_url: str, instance: Path, **overrides: Any) -> Flask:
    instance.mkdir(parents=True, exist_ok=True)
    config = {
        "ENV": "testing",
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(instance),
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_KIB": 8,
        "VAPID_PRIVATE_KEY": generate_private_key_pem(),
        "PUSH_ALLOW_LOOPBACK": True,
        "BASE_URL": "http://localhost",
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def _app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return make_test_app(database_url, tmp_path_factory.mktemp("instance"))


def wipe(app: Flask) -> None:
    """Empty every table but the built-in exercises (faster than a new schema per test) and
    the audit log, which the database keeps append-only (tests read their own entries)."""
    with app.app_context(), db.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name == "audit_log":
                continue
            if table.name == "exercises":
                conn.execute(table.delete().where(table.c.slug.is_(None)))
            else:
                conn.execute(table.delete())


@pytest.fixture
def app(_app: Flask) -> Iterator[Flask]:
    wipe(_app)
    _app.config["TESTING"] = True
    with _app.app_context():
        yield _app
        db.session.rollback()


class ApiClient(FlaskClient):
    """A test client that behaves like the PWA: JSON bodies and the CSRF header."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", None) or {})
        headers.setdefault("X-HEP-CSRF", "1")
        kwargs["headers"] = headers
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return ApiClient(app, app.response_class, use_cookies=True)


class Cast:
    """Users made straight through the domain, and clients signed in as them."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def user(
        self,
        role: Role,
        name: str | None = None,
        *,
        email: str | None = None,
        timezone: str = "UTC",
        password: str | None = PASSWORD,
    ) -> User:
        name = name or f"{role.value.title()} {uuid.uuid4().hex[:6]}"
        user = create_user(
            db.session,
            email=email or f"{uuid.uuid4().hex[:12]}@example.org",
            name=name,
            role=role,
            timezone=timezone,
            password=None,
            hasher=self.app.extensions["hep_hasher"],
            now=NOW,
        )
        if password is not None:  # hashed once per run: the strength check and hash cost time
            user.password_hash = self._hash(password)
        db.session.commit()
        return user

    def _hash(self, password: str) -> str:
        hashes: dict[str, str] = self.app.extensions.setdefault("test_password_hashes", {})
        if password not in hashes:
            hashes[password] = self.app.extensions["hep_hasher"].hash(password)
        return hashes[password]

    def link(self, therapist: User, patient: User) -> CareLink:
        """Put the therapist on the patient's team under their clinic (a clinic of their own
        if they have none); the first therapist of a patient leads. Straight rows: no access
        log or audit entries."""
        clinic = care_clinic(db.session, therapist, None, NOW)
        lead = db.session.scalar(
            select(CareLink.id).where(
                CareLink.patient_id == patient.id, CareLink.is_lead, CareLink.ended_at.is_(None)
            )
        )
        link = CareLink(
            therapist_id=therapist.id,
            patient_id=patient.id,
            clinic_id=clinic.id,
            is_lead=lead is None,
            created_at=NOW,
        )
        db.session.add(link)
        db.session.commit()
        return link

    def no_quiet_hours(self, user: User) -> None:
        """Turn off the quiet hours every account starts with, for a test that sends at
        whatever hour the clock says."""
        settings = db.session.get_one(NotificationSettings, user.id)
        settings.quiet_start = settings.quiet_end = None
        db.session.commit()

    def clinic(self, admin: User, *therapists: User, name: str = "Clinic") -> Clinic:
        """A clinic with this admin and these therapists as members."""
        clinic = found_clinic(db.session, name, NOW, founder=admin, actor=admin)
        for therapist in therapists:
            db.session.add(
                ClinicMember(
                    clinic_id=clinic.id,
                    user_id=therapist.id,
                    role=ClinicRole.THERAPIST,
                    joined_at=NOW,
                )
            )
        db.session.commit()
        return clinic

    def client(self, user: User | None = None) -> FlaskClient:
        """A cookie-signed-in client (or an anonymous one)."""
        c = ApiClient(self.app, self.app.response_class, use_cookies=True)
        if user is not None:
            r = c.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
            assert r.status_code == 200, r.get_json()
        return c

    def token(self, user: User) -> str:
        c = self.app.test_client()
        r = c.post("/api/auth/tokens", json={"email": user.email, "password": PASSWORD})
        assert r.status_code == 201, r.get_json()
        token: str = r.get_json()["token"]
        return token


@pytest.fixture
def cast(app: Flask) -> Cast:
    return Cast(app)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked `postgresql_only` (what it races cannot happen on SQLite, which runs one
    writing transaction at a time) is not collected for SQLite at all, rather than skipped."""
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        engine = callspec.params.get("database_url") if callspec else None
        marked = item.get_closest_marker("postgresql_only") is not None
        (drop if marked and engine == "sqlite" else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from tests.tools import MISSING

    if MISSING:
        terminalreporter.write_sep(
            "!",
            f"tests SKIPPED because these tools are missing: {', '.join(sorted(MISSING))}",
            red=True,
            bold=True,
        )
        terminalreporter.write_line("Run `make test` to install the test tools, or see README.")
