"""Migrations build the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

import hep.models  # noqa: F401
from hep.db import Base
from hep.migrate import alembic_config, upgrade
from tests.conftest import _postgres_database


def test_an_empty_database_upgraded_to_head_matches_the_models(database_url: str):
    # the database_url fixture upgraded an empty database with the migrations
    engine = create_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"


def test_migrations_form_one_line_of_history():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


# --- 0008: clinics and care teams, from data written before them ---------------------------


@pytest.fixture
def before_clinics(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A new database at 0007, the revision before clinics."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'before.sqlite3'}"
        upgrade(url, "0007")
        yield url
        return
    for url in _postgres_database():
        upgrade(url, "0007")
        yield url


U, T, S, J = sa.Uuid(), sa.DateTime(timezone=True), sa.String(), sa.JSON()


def typed(table: str, /, **columns: Any) -> sa.TableClause:
    """A table as this test writes and reads it (typed: SQLite stores UUIDs as hex)."""
    return sa.table(table, *(sa.column(c, kind) for c, kind in columns.items()))


USERS = typed(
    "users",
    id=U,
    email=S,
    name=S,
    role=S,
    timezone=S,
    password_hash=S,
    is_active=sa.Boolean(),
    created_at=T,
    stats_version=sa.Integer(),
)
LINKS = typed(
    "care_links",
    id=U,
    therapist_id=U,
    patient_id=U,
    created_at=T,
    clinic_id=U,
    is_lead=sa.Boolean(),
    ended_at=T,
)
INVITES = typed(
    "invites",
    id=U,
    patient_id=U,
    therapist_id=U,
    code_hash=S,
    created_at=T,
    expires_at=T,
    clinic_id=U,
    kind=S,
)
TEMPLATES = typed(
    "program_templates",
    id=U,
    owner_id=U,
    title=S,
    notes=S,
    items=J,
    created_at=T,
    current_version=sa.Integer(),
    updated_at=T,
)
CLINICS = typed("clinics", id=U, name=S)
MEMBERS = typed("clinic_members", clinic_id=U, user_id=U, role=S)
TEMPLATE_VERSIONS = typed(
    "program_template_versions", template_id=U, version=sa.Integer(), notes=S, items=J
)


def test_existing_therapists_get_a_clinic_each_and_their_first_links_lead(before_clinics: str):
    at = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    ann, ben, pat, quin = (uuid.uuid4() for _ in range(4))

    def user(uid: uuid.UUID, name: str, role: str) -> dict[str, Any]:
        return {
            "id": uid,
            "email": f"{uid.hex[:8]}@example.org",
            "name": name,
            "role": role,
            "timezone": "UTC",
            "password_hash": None,
            "is_active": True,
            "created_at": at,
            "stats_version": 0,
        }

    def link(therapist: uuid.UUID, patient: uuid.UUID, days: int) -> dict[str, Any]:
        return {
            "id": uuid.uuid4(),
            "therapist_id": therapist,
            "patient_id": patient,
            "created_at": at + dt.timedelta(days=days),
        }

    engine = create_engine(before_clinics)
    with engine.begin() as conn:
        conn.execute(
            USERS.insert(),
            [
                user(ann, "Dr Ann", "therapist"),
                user(ben, "Dr Ben", "therapist"),
                user(pat, "Pat Both", "patient"),
                user(quin, "Quin Ben", "patient"),
            ],
        )
        # Pat came to Ben first, then to Ann; Quin is Ben's alone
        conn.execute(LINKS.insert(), [link(ann, pat, 3), link(ben, pat, 1), link(ben, quin, 2)])
        invite = {
            "id": uuid.uuid4(),
            "patient_id": quin,
            "therapist_id": ben,
            "code_hash": "c" * 64,
            "created_at": at,
            "expires_at": at + dt.timedelta(days=7),
        }
        conn.execute(INVITES.insert(), [invite])
        template = {
            "id": uuid.uuid4(),
            "owner_id": ann,
            "title": "Desk",
            "notes": "Twice a day",
            "items": [{"exercise_id": str(uuid.uuid4()), "reps": 8}],
            "created_at": at,
        }
        conn.execute(TEMPLATES.insert(), [template])
    engine.dispose()

    upgrade(before_clinics)
    engine = create_engine(before_clinics)
    with engine.connect() as conn:
        clinics = {row.id: row.name for row in conn.execute(sa.select(CLINICS))}
        members = {
            row.user_id: (row.clinic_id, row.role) for row in conn.execute(sa.select(MEMBERS))
        }
        assert sorted(clinics.values()) == ["Dr Ann", "Dr Ben"]
        assert {uid: role for uid, (_, role) in members.items()} == {ann: "admin", ben: "admin"}
        clinic_of = {uid: clinic for uid, (clinic, _) in members.items()}
        assert clinics[clinic_of[ann]] == "Dr Ann"
        links = conn.execute(sa.select(LINKS)).all()
        assert {(r.therapist_id, r.patient_id): (r.clinic_id, r.is_lead) for r in links} == {
            (ann, pat): (clinic_of[ann], False),
            (ben, pat): (clinic_of[ben], True),  # the earliest link leads
            (ben, quin): (clinic_of[ben], True),
        }
        assert all(r.ended_at is None for r in links)
        [invited] = conn.execute(sa.select(INVITES)).all()
        assert (invited.clinic_id, invited.kind) == (clinic_of[ben], "account")
        [saved] = conn.execute(sa.select(TEMPLATES.c.current_version, TEMPLATES.c.updated_at)).all()
        [version] = conn.execute(sa.select(TEMPLATE_VERSIONS)).all()
        assert (saved.current_version, version.version, version.notes) == (1, 1, "Twice a day")
        assert version.items[0]["reps"] == 8 and saved.updated_at is not None
    engine.dispose()

    # and back: the data as it was
    command.downgrade(alembic_config(before_clinics), "0007")
    engine = create_engine(before_clinics)
    assert "clinics" not in sa.inspect(engine).get_table_names()
    with engine.connect() as conn:
        assert len(conn.execute(sa.select(LINKS.c.id)).all()) == 3
        [kept] = conn.execute(sa.select(TEMPLATES.c.notes, TEMPLATES.c["items"])).all()
        assert kept.notes == "Twice a day" and kept[1][0]["reps"] == 8
    engine.dispose()
