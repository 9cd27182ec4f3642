"""Upgrades: a database at the previous release's newest migration, with realistic rows in
every table, upgraded to head on both engines keeps every row and serves the app; a downgrade
to that release and a second upgrade keep them too.

The previous release is found in hep/migrations/releases.json (each release's newest
revision), so revisions added later need no change here; a table added before that revision
without rows below fails the test until it gets some."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, MetaData, create_engine, inspect, select

from hep.migrate import MIGRATIONS, alembic_config, upgrade
from hep.passwords import Hasher
from tests.conftest import PASSWORD, _postgres_database, make_test_app

RELEASES = json.loads((MIGRATIONS / "releases.json").read_text())
PREVIOUS = RELEASES[max(RELEASES, key=lambda v: tuple(map(int, v.split("."))))]
AT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
TODAY = AT.date()
RENAMED = {
    ("deliveries", "http_status"): "status_code",
    ("deliveries", "subscription_id"): "address_id",
}
MOVED = {("program_templates", "items"), ("program_templates", "notes")}
"""Columns that moved elsewhere (a template's items and notes became its version 1)."""


def ids(*names: str) -> dict[str, uuid.UUID]:
    return {name: uuid.uuid4() for name in names}


SEED = ids(
    "therapist", "patient", "link", "invite", "exercise", "program", "version", "item", "key",
    "template", "habit", "check_in", "client", "pain", "reminder", "subscription", "occurrence",
    "delivery", "session",
)  # fmt: skip


def seed_rows() -> dict[str, list[dict[str, Any]]]:
    """A therapist and a patient a week into a program: one row or more in every table."""
    hasher = Hasher(1, 8)
    week_ago = AT - dt.timedelta(days=7)
    return {
        "users": [
            {
                "id": SEED["therapist"],
                "email": "t@example.org",
                "name": "Terry Therapist",
                "role": "therapist",
                "timezone": "Europe/Berlin",
                "password_hash": hasher.hash(PASSWORD),
                "is_active": True,
                "created_at": week_ago,
                "stats_version": 1,
            },
            {
                "id": SEED["patient"],
                "email": "p@example.org",
                "name": "Pat Patient",
                "role": "patient",
                "timezone": "America/New_York",
                "password_hash": hasher.hash(PASSWORD),
                "is_active": True,
                "created_at": week_ago,
                "stats_version": 3,
            },
        ],
        "care_links": [
            {
                "id": SEED["link"],
                "therapist_id": SEED["therapist"],
                "patient_id": SEED["patient"],
                "created_at": week_ago,
            }
        ],
        "invites": [
            {
                "id": SEED["invite"],
                "patient_id": SEED["patient"],
                "therapist_id": SEED["therapist"],
                "code_hash": "ab" * 32,
                "created_at": week_ago,
                "expires_at": week_ago + dt.timedelta(days=7),
                "used_at": week_ago + dt.timedelta(hours=2),
                "revoked_at": None,
            }
        ],
        "exercises": [
            {
                "id": SEED["exercise"],
                "slug": None,
                "owner_id": SEED["therapist"],
                "name": "Chin tucks against the wall",
                "summary": "Neck retraction",
                "regions": "neck",
                "category": "posture",
                "equipment": "",
                "sets": 2,
                "reps": 10,
                "hold_seconds": 3,
                "duration_seconds": None,
                "rest_seconds": 30,
                "side": "both",
                "times_per_day": 2,
                "instructions": ["Stand tall", "Tuck the chin"],
                "cautions": [],
                "media_url": None,
                "created_at": week_ago,
                "updated_at": week_ago,
            }
        ],
        "programs": [
            {
                "id": SEED["program"],
                "patient_id": SEED["patient"],
                "therapist_id": SEED["therapist"],
                "current_version": 1,
                "created_at": week_ago,
                "archived_at": None,
            }
        ],
        "program_versions": [
            {
                "id": SEED["version"],
                "program_id": SEED["program"],
                "version": 1,
                "title": "Neck and upper back",
                "notes": "Gently",
                "start_date": TODAY - dt.timedelta(days=7),
                "end_date": None,
                "created_at": week_ago,
                "created_by": SEED["therapist"],
                "change_note": "",
            }
        ],
        "program_items": [
            {
                "id": SEED["item"],
                "version_id": SEED["version"],
                "item_key": SEED["key"],
                "exercise_id": SEED["exercise"],
                "position": 0,
                "sets": 2,
                "reps": 10,
                "hold_seconds": 3,
                "duration_seconds": None,
                "rest_seconds": 30,
                "side": "both",
                "load_note": "",
                "times_per_day": 2,
                "weekdays": 0b1111111,
                "notes": "Slowly",
            }
        ],
        "program_templates": [
            {
                "id": SEED["template"],
                "owner_id": SEED["therapist"],
                "title": "Desk neck",
                "notes": "For desk workers",
                "items": [{"exercise_id": SEED["exercise"].hex, "sets": 2}],
                "created_at": week_ago,
            }
        ],
        "habits": [
            {
                "id": SEED["habit"],
                "owner_id": SEED["patient"],
                "suggested_by": SEED["therapist"],
                "kind": "hydration",
                "name": "Water",
                "target": 8.0,
                "direction": "at_least",
                "unit": "glasses",
                "weekdays": 0b1111111,
                "per_week": None,
                "start_date": TODAY - dt.timedelta(days=7),
                "created_at": week_ago,
                "archived_at": None,
            }
        ],
        "check_ins": [
            {
                "id": SEED["check_in"],
                "owner_id": SEED["patient"],
                "client_id": SEED["client"],
                "item_key": SEED["key"],
                "habit_id": None,
                "local_date": TODAY,
                "state": "done",
                "value": None,
                "skip_reason": None,
                "pain": 2,
                "difficulty": 3,
                "note": "Felt looser",
                "source": "app",
                "created_at": AT,
                "updated_at": AT,
                "deleted_at": None,
            }
        ],
        "check_in_edits": [
            {
                "check_in_id": SEED["check_in"],
                "editor_id": SEED["patient"],
                "action": "create",
                "before": None,
                "after": {"state": "done"},
                "at": AT,
            }
        ],
        "pain_entries": [
            {
                "id": SEED["pain"],
                "owner_id": SEED["patient"],
                "local_date": TODAY,
                "score": 3,
                "regions": "neck",
                "note": "Morning stiffness",
                "created_at": AT,
                "updated_at": AT,
            }
        ],
        "reminders": [
            {
                "id": SEED["reminder"],
                "owner_id": SEED["patient"],
                "proposed_by": None,
                "label": "Neck routine",
                "target_kind": "program",
                "habit_id": None,
                "program_id": SEED["program"],
                "item_keys": None,
                "rule_type": "times",
                "times": ["08:00", "18:00"],
                "weekdays": 0b1111111,
                "every_minutes": None,
                "window_start": None,
                "window_end": None,
                "skip_if_done": True,
                "paused_until": None,
                "pause_reason": "",
                "next_fire_at": AT + dt.timedelta(hours=8, minutes=30),
                "claimed_until": None,
                "created_at": week_ago,
                "updated_at": week_ago,
            }
        ],
        "notification_settings": [
            {
                "user_id": SEED["patient"],
                "quiet_start": "22:00",
                "quiet_end": "07:00",
                "daily_cap": 6,
            }
        ],
        "push_subscriptions": [
            {
                "id": SEED["subscription"],
                "user_id": SEED["patient"],
                "endpoint": "https://fcm.googleapis.com/fcm/send/abc",
                "p256dh": "B" + "A" * 86,
                "auth": "A" * 22,
                "created_at": week_ago,
                "last_success_at": AT,
            }
        ],
        "reminder_occurrences": [
            {
                "id": SEED["occurrence"],
                "reminder_id": SEED["reminder"],
                "owner_id": SEED["patient"],
                "fire_at": AT - dt.timedelta(hours=1),
                "local_date": TODAY,
                "outcome": "sent",
                "push_id": SEED["occurrence"],
                "decided_at": AT - dt.timedelta(hours=1),
            }
        ],
        "deliveries": [
            {
                "id": SEED["delivery"],
                "occurrence_id": SEED["occurrence"],
                "subscription_id": SEED["subscription"],
                "status": "sent",
                "attempts": 1,
                "http_status": 201,
                "last_error": "",
                "next_attempt_at": AT,
                "claimed_until": None,
                "expires_at": AT + dt.timedelta(hours=1),
                "created_at": AT - dt.timedelta(hours=1),
                "updated_at": AT,
            }
        ],
        "adherence_snapshots": [
            {
                "patient_id": SEED["patient"],
                "basis": 3,
                "as_of": TODAY,
                "valid_until": AT + dt.timedelta(hours=12),
                "computed_at": AT,
                "percent_7_days": 71.4,
                "percent_prev_7_days": None,
                "pain_trend": "flat",
                "last_activity_at": AT,
                "document": None,
            }
        ],
        "score_checkpoints": [
            {
                "patient_id": SEED["patient"],
                "day": TODAY - dt.timedelta(days=42),
                "fingerprint": "f" * 64,
                "walks": {"x": [1, 0.5]},
            }
        ],
        "access_log": [
            {
                "patient_id": SEED["patient"],
                "actor_id": SEED["therapist"],
                "actor_name": "Terry Therapist",
                "action": "adherence",
                "at": AT,
            }
        ],
        "access_log_pending": [
            {
                "actor_id": SEED["therapist"],
                "actor_name": "Terry Therapist",
                "action": "patient list",
                "at": AT,
                "patient_ids": [str(SEED["patient"])],
            }
        ],
        "auth_sessions": [
            {
                "id": SEED["session"],
                "user_id": SEED["patient"],
                "token_hash": "cd" * 32,
                "kind": "token",
                "created_at": AT,
                "last_used_at": AT,
                "expires_at": AT + dt.timedelta(days=90),
            }
        ],
        "login_failures": [{"key": "address:203.0.113.9", "at": AT}],
    }


def norm(value: Any) -> Any:
    """One spelling of a value on either engine, before and after."""
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(dt.UTC).isoformat()
    if isinstance(value, str) and len(value) == 36 and value.count("-") == 4:
        return uuid.UUID(value).hex
    return value


def insert_seed(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    metadata = MetaData()
    metadata.reflect(engine)
    rows = seed_rows()
    sqlite = engine.dialect.name == "sqlite"
    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            for row in rows.get(table.name, []):
                values = {
                    k: (v.hex if sqlite and isinstance(v, uuid.UUID) else v) for k, v in row.items()
                }
                if sqlite:
                    values = {
                        k: v.astimezone(dt.UTC).replace(tzinfo=None)
                        if isinstance(v, dt.datetime)
                        else v
                        for k, v in values.items()
                    }
                conn.execute(table.insert().values(**values))
    return rows


def read(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as conn:
        return {
            table.name: [
                {k: norm(v) for k, v in row._mapping.items()} for row in conn.execute(select(table))
            ]
            for table in metadata.sorted_tables
        }


def assert_kept(seeded: dict[str, list[dict[str, Any]]], found: dict[str, list[dict[str, Any]]]):
    """Every seeded row is there with its values (under a column's new name where one was
    renamed; moved columns are checked where they went)."""
    for table, rows in seeded.items():
        assert table in found, f"table {table} is gone"
        kept = found[table]
        if table == "exercises":  # hep migrate adds the built-in library
            kept = [r for r in kept if r["slug"] is None]
        assert len(kept) == len(rows), table
        for row in rows:
            expected = {
                RENAMED.get((table, k), k): norm(v)
                for k, v in row.items()
                if (table, k) not in MOVED
                and not (table.endswith(("log", "failures", "edits", "pending")) and k == "id")
            }
            matches = [
                r for r in kept
                if all(r.get(k) == v for k, v in expected.items())
            ]  # fmt: skip
            assert matches, (table, expected, found[table])


@pytest.fixture
def old_database(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A new database at the previous release's newest migration."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
        upgrade(url, PREVIOUS)
        yield url
        return
    for url in _postgres_database():
        upgrade(url, PREVIOUS)
        yield url


def test_every_table_of_the_previous_release_gets_rows(old_database: str):
    engine = create_engine(old_database)
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    engine.dispose()
    assert tables == set(seed_rows())


def test_an_upgrade_from_the_previous_release_keeps_every_row_and_serves_them(
    old_database: str, tmp_path: Path
):
    engine = create_engine(old_database)
    seeded = insert_seed(engine)
    upgrade(old_database)  # as `hep migrate` does
    found = read(engine)
    engine.dispose()
    assert_kept(seeded, found)
    (version,) = found["program_template_versions"]
    assert (version["notes"], version["items"]) == (
        "For desk workers",
        seeded["program_templates"][0]["items"],
    )

    app = make_test_app(old_database, tmp_path / "instance")
    client = app.test_client()
    token = client.post("/api/auth/tokens", json={"email": "p@example.org", "password": PASSWORD})
    assert token.status_code == 201, token.get_json()
    patient = {"Authorization": f"Bearer {token.get_json()['token']}"}
    document = client.get("/api/me/export", headers=patient).get_json()
    assert [c["note"] for c in document["check_ins"]] == ["Felt looser"]
    history = client.get(f"/api/reminders/{SEED['reminder']}/history", headers=patient)
    assert [o["outcome"] for o in history.get_json()] == ["sent"]
    therapist = client.post(
        "/api/auth/tokens", json={"email": "t@example.org", "password": PASSWORD}
    )
    listed = client.get(
        "/api/patients", headers={"Authorization": f"Bearer {therapist.get_json()['token']}"}
    )
    assert listed.status_code == 200
    assert "Pat Patient" in json.dumps(listed.get_json())
    app.extensions["hep_db"].kw["bind"].dispose()


def test_a_downgrade_to_the_previous_release_and_a_new_upgrade_keep_every_row(old_database: str):
    engine = create_engine(old_database)
    seeded = insert_seed(engine)
    upgrade(old_database)
    command.downgrade(alembic_config(old_database), PREVIOUS)
    back = read(engine)
    for table, rows in seeded.items():
        kept = [r for r in back[table] if table != "exercises" or r["slug"] is None]
        assert len(kept) == len(rows), table
    assert back["program_templates"][0]["notes"] == "For desk workers"
    upgrade(old_database)
    assert_kept(seeded, read(engine))
    engine.dispose()
