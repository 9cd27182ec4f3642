"""Database engine and sessions: one engine per app, one session per request or tick."""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, cast

from flask import Flask, current_app, g
from sqlalchemy import DateTime, Engine, MetaData, Table, create_engine, event, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes on every engine; SQLite would otherwise hand back naive values."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def dialect_insert(session: Session) -> Any:
    """The engine's own INSERT construct, which knows ON CONFLICT."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def upsert(
    session: Session,
    model: type[Base],
    rows: list[dict[str, Any]],
    *,
    only_if: Callable[[Table, Any], Any] | None = None,
) -> None:
    """Insert the rows, or update the ones whose primary key exists (when `only_if(table,
    excluded)` holds), in one statement on either engine."""
    table = cast(Table, model.__table__)
    insert = dialect_insert(session)
    # the Core table, not the entity: one executemany whatever values are null
    statement = insert(table)
    keys = [c.name for c in table.primary_key.columns]
    session.execute(
        statement.on_conflict_do_update(
            index_elements=keys,
            set_={c.name: statement.excluded[c.name] for c in table.columns if c.name not in keys},
            where=None if only_if is None else only_if(table, statement.excluded),
        ),
        rows,
    )


def is_unique_violation(error: IntegrityError) -> bool:
    """A duplicate key (PostgreSQL SQLSTATE 23505; SQLite UNIQUE or PRIMARY KEY), as opposed to
    any other broken constraint, which stays an error."""
    found = error.orig
    if getattr(found, "sqlstate", None) == "23505":
        return True
    return getattr(found, "sqlite_errorname", None) in _SQLITE_DUPLICATE


_SQLITE_DUPLICATE = ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY")


def insert_first(session: Session, row: Base) -> bool:
    """Insert `row` unless a unique constraint holds its twin already. True: this transaction
    created it. False: another one did (committed; PostgreSQL makes us wait for it), nothing
    was written, and the caller re-reads that row and goes on as a replay. A savepoint keeps
    the rest of the transaction; an ORM flush keeps the flush events (data versions)."""
    session.flush()  # whatever else is pending is not this row's to lose
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as error:
        if not is_unique_violation(error):
            raise
        return False
    return True


def lock_names(session: Session, names: Iterable[str]) -> None:
    """Hold these names until the transaction ends, so transactions naming the same one run
    their check-then-write one after the other (a count against a limit, then the insert).
    PostgreSQL: transaction-scoped advisory locks, taken in sorted order so two holders never
    deadlock. SQLite: nothing to take, as a writing transaction begins IMMEDIATE (requests
    under /api/, `immediate_transactions`) and holds the one write lock."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in sorted(set(names)):
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        session.execute(select(func.pg_advisory_xact_lock(key)))


def new_id() -> uuid.UUID:
    return uuid.uuid4()


# SQLite upgrades a read lock to a write lock lazily, which fails with "database is locked"
# under concurrent writers; transactions that will write start with BEGIN IMMEDIATE instead.
_sqlite_immediate: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "sqlite_immediate", default=False
)


@contextmanager
def immediate_transactions() -> Iterator[None]:
    """Within this block, SQLite transactions begin IMMEDIATE (take the write lock up front)."""
    token = _sqlite_immediate.set(True)
    try:
        yield
    finally:
        _sqlite_immediate.reset(token)


def set_immediate(value: bool) -> None:
    _sqlite_immediate.set(value)


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and foreign keys on every connection.
    Errors never carry the statement's parameters (health data would reach the logs)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # hand transaction control to SQLAlchemy so BEGIN IMMEDIATE can be emitted
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if _sqlite_immediate.get() else "BEGIN")

        return engine
    return create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=10, hide_parameters=True
    )


def session_factory(url: str) -> sessionmaker[Session]:
    """Sessions on a new engine (`make_engine`), as the app and dispatcher processes use them."""
    return sessionmaker(make_engine(url), expire_on_commit=False)


class Database:
    """Flask extension: created unbound, attached with init_app."""

    def init_app(self, app: Flask) -> None:
        factory = session_factory(app.config["DATABASE_URL"])
        from hep import snapshots  # imports the models, which import this module

        snapshots.install(factory)
        app.extensions["hep_db"] = factory
        app.teardown_request(self._end_transaction)
        app.teardown_appcontext(self._teardown)

    @staticmethod
    def sessionmaker(app: Flask | None = None) -> sessionmaker[Session]:
        app = app or current_app._get_current_object()  # type: ignore[attr-defined]
        factory: sessionmaker[Session] = app.extensions["hep_db"]
        return factory

    @property
    def engine(self) -> Engine:
        bind = self.sessionmaker().kw["bind"]
        assert isinstance(bind, Engine)
        return bind

    @property
    def session(self) -> Session:
        """The session of the current app context (request or CLI command)."""
        if "hep_session" not in g:
            g.hep_session = self.sessionmaker()()
        session: Session = g.hep_session
        return session

    @staticmethod
    def _end_transaction(_exc: BaseException | None) -> None:
        # views commit what they write; whatever is left (a read) ends with the request, so no
        # lock outlives it even when the app context does (as in tests and CLI commands)
        session = g.get("hep_session")
        if session is not None:
            session.rollback()

    @staticmethod
    def _teardown(_exc: BaseException | None) -> None:
        session = g.pop("hep_session", None)
        if session is not None:
            session.close()


db = Database()
