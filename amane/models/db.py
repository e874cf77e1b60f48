"""The engine, the one session helper, and schema upgrades via Alembic."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import ColumnElement, event, literal, make_url, select, text, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, SQLModel, create_engine

from amane.settings import PACKAGE, get_settings

MIGRATIONS = PACKAGE / "migrations"
PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
CHECKPOINT_WAIT_MS = 2000
_FORGET = "amane_forget_deleted"  # session.info flag: personal data was deleted in this unit of work


def private_folder(folder: Path) -> Path:
    """Create `folder` (and any missing parent) 0700, or tighten it to 0700: it holds pupils' data."""
    for missing in reversed([path for path in (folder, *folder.parents) if not path.exists()]):
        missing.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
    folder.chmod(PRIVATE_FOLDER)
    return folder


def private_file(path: Path, exclusive: bool = False) -> Path:
    """Create `path` empty and 0600 (O_EXCL: a new file, or FileExistsError), or tighten an existing
    one, before anything is written into it: it is never readable by others, not even for a moment.
    SQLite gives the -wal and -shm it creates the mode of the database file."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else 0)
    os.close(os.open(path, flags, PRIVATE_FILE))
    path.chmod(PRIVATE_FILE)  # an older file may be wider; a new one is at most 0600 (umask)
    return path


def _private_sqlite_files(database: Path) -> None:
    private_file(database)
    for suffix in SQLITE_SIDE_FILES:
        side = database.with_name(database.name + suffix)
        if side.exists():
            side.chmod(PRIVATE_FILE)


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    """One engine (connection pool) per database URL per process. hide_parameters: a failed
    statement is logged, and its parameters would be pupils' names and picture hashes."""
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:":
            folder = Path(path).parent
            if not folder.exists():
                private_folder(folder)
            _private_sqlite_files(Path(path))
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            # Deleted rows are overwritten with zeros, whatever this SQLite was compiled with.
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, hide_parameters=True)


def forget_deleted_on_commit(session: Session) -> None:
    """A pupil's data is deleted in this unit of work: once it commits, also clear it from the
    database's files (see forget_deleted)."""
    session.info[_FORGET] = True


def forget_deleted(engine: Engine) -> bool:
    """SQLite: move the WAL into the database file and truncate the WAL to zero bytes, so deleted
    rows (zeroed in the database by secure_delete) are not left in the WAL's older frames. True
    if done; False if a reader still used the WAL (it is then cleared by a later checkpoint).
    PostgreSQL keeps dead rows until VACUUM (autovacuum): nothing to do here."""
    if engine.dialect.name != "sqlite":
        return True
    with engine.connect() as connection:
        # A page reading at this moment should not hold the teacher's "Delete" for 30 s.
        connection.exec_driver_sql(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")
        try:
            busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()[0]
        finally:
            connection.exec_driver_sql("PRAGMA busy_timeout=30000")
    return busy == 0


@event.listens_for(OrmSession, "after_commit")
def _forget_after_commit(session: OrmSession) -> None:
    if session.info.pop(_FORGET, False):
        bind = session.get_bind()
        forget_deleted(getattr(bind, "engine", bind))


@event.listens_for(OrmSession, "after_rollback")
def _nothing_to_forget(session: OrmSession) -> None:
    session.info.pop(_FORGET, None)


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
    # preserve_rowcount: SQLAlchemy keeps an INSERT's row count only when asked (psycopg gives -1)
    statement = statement.on_conflict_do_nothing(index_elements=unique)
    return session.execute(statement.execution_options(preserve_rowcount=True)).rowcount == 1


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
        lock = private_file(Path(f"{engine.url.database}.migrate-lock"))
        with open(lock, "w") as handle:
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
    before its first query. The data folder (AMANE_DATA_DIR) is tightened to 0700 here, at start,
    in case an older version or a hand-made folder left it readable by others."""
    private_folder(get_settings().data_dir)
    upgrade(url)
    return get_engine(url)


def downgrade(url: str, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(url), revision)
