"""The engine, the one session helper, and schema upgrades via Alembic."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import ColumnElement, event, literal, select, text, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, create_engine

from amane.settings import PACKAGE

MIGRATIONS = PACKAGE / "migrations"


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    """One engine (connection pool) per database URL per process. hide_parameters: a failed
    statement is logged, and its parameters would be pupils' names and picture hashes."""
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, hide_parameters=True)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A unit of work: commits on success, rolls back everything on any error."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def insert_if_absent(
    session: Session,
    row: SQLModel,
    *unique: str,
    only_if: ColumnElement[bool] | None = None,
    **computed: ColumnElement,
) -> bool:
    """INSERT the row in one statement unless one with the same `unique` columns exists, or
    `only_if` is false at that moment; `computed` columns take SQL expressions evaluated in the
    same statement. True if the row was inserted.

    Two tabs, a double click or a retry racing to create the same row all end with exactly one
    row, and the loser neither raises nor rolls back the rest of its unit of work (a plain
    INSERT would fail with an IntegrityError that aborts the whole transaction on PostgreSQL).
    """
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    table = type(row).__table__
    values = row.model_dump(exclude={"id"})
    columns = list(values)
    selected = [computed.get(name, literal(values[name], table.c[name].type)) for name in columns]
    # SQLite needs a WHERE in INSERT ... SELECT ... ON CONFLICT to parse it.
    source = select(*selected).where(true() if only_if is None else only_if)
    statement = dialect.insert(table).from_select(columns, source)
    return session.execute(statement.on_conflict_do_nothing(index_elements=unique)).rowcount == 1


def alembic_config(url: str):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """One migration at a time per database, across processes: a PostgreSQL advisory lock, or a
    lock file beside the SQLite file (replicas sharing SQLite are on one machine)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(hashtext('amane-migrate'))"))
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(hashtext('amane-migrate'))"))
                connection.commit()
    elif engine.url.database and engine.url.database != ":memory:":
        with open(f"{engine.url.database}.migrate-lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
    else:
        yield


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the schema to `revision`. Replicas starting together take turns, so the first one
    migrates and the others find it done."""
    from alembic import command

    engine = get_engine(url)  # creates the SQLite folder if needed
    with _migration_lock(engine):
        command.upgrade(alembic_config(url), revision)


def ready_engine(url: str) -> Engine:
    """The engine for `url` once its schema is up to date: what the app calls (once per process)
    before its first query."""
    upgrade(url)
    return get_engine(url)


def downgrade(url: str, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(url), revision)
