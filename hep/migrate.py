"""Schema migrations: Alembic driven from code, so `hep migrate` needs no alembic.ini."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the schema to `revision` and refresh the built-in exercise library."""
    command.upgrade(alembic_config(url), revision)
    if revision == "head":
        seed(url)


def seed(url: str) -> None:
    from sqlalchemy.orm import Session

    from hep.clock import utcnow
    from hep.db import make_engine
    from hep.library import seed_builtins

    engine = make_engine(url)
    with Session(engine) as session:
        seed_builtins(session, utcnow())
        session.commit()
    engine.dispose()


def upgrade_engine(engine: Engine, revision: str = "head") -> None:
    """Upgrade over an existing engine (tests reuse theirs)."""
    config = alembic_config(str(engine.url))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
