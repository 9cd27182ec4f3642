"""Alembic environment: runs against the URL hep passes in, with hep's metadata."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection

import hep.models  # noqa: F401  (registers every table)
from hep.db import Base, make_engine

config = context.config
target_metadata = Base.metadata


def _driver(connection: Connection) -> Any:
    """The DBAPI connection under SQLAlchemy's, to speak outside a transaction."""
    return connection.connection.driver_connection


def _run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite and not connection.in_transaction():
        # a batch migration rebuilds a table (copy, drop, rename), and the drop fails while
        # enforced foreign keys of other tables' rows point at it; SQLite ignores this pragma
        # inside a transaction, hence on the driver's connection before one begins. The keys
        # are checked once the migrations are done, and on again for the next user.
        _driver(connection).execute("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=sqlite,
        compare_type=True,
    )
    try:
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    tables = sorted({row[0] for row in broken})
                    raise RuntimeError(f"foreign keys broken by the migration in: {tables}")
    finally:
        if sqlite and not connection.in_transaction():
            _driver(connection).execute("PRAGMA foreign_keys=ON")


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()
