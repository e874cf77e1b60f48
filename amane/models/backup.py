"""Backups of the whole database, and restoring one: SQLite with its online backup API (safe while
the app runs), PostgreSQL with pg_dump / pg_restore."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from amane.models.db import get_engine, upgrade


class BackupError(RuntimeError):
    pass


def _new_file(folder: Path, now: datetime | None, suffix: str) -> Path:
    """amane-<UTC time><suffix>, never an existing file (two backups in the same second)."""
    stem = "amane-" + (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    path, number = folder / f"{stem}{suffix}", 1
    while path.exists():
        path, number = folder / f"{stem}-{number}{suffix}", number + 1
    return path


def _sqlite_copy(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(target)) as copy:
        live.backup(copy)  # a consistent snapshot, -wal included, even while the app writes
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file (the app sets WAL again)
        if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{target} failed SQLite's integrity check")


def _libpq(url: URL) -> dict[str, str]:
    """Connection settings for pg_dump/pg_restore as environment variables, so the password never
    appears on a command line."""
    env = {"PGHOST": url.host or "localhost", "PGPORT": str(url.port or 5432), "PGDATABASE": url.database}
    if url.username:
        env["PGUSER"] = url.username
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return {**os.environ, **env}


def _postgres_tool(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)), None
    )
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return str(found)


def _run(command: list[str], url: URL) -> None:
    done = subprocess.run(command, env=_libpq(url), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


def backup(database_url: str, folder: Path, now: datetime | None = None) -> Path:
    """Write a full backup into `folder` and return its path (amane-<UTC time>.db or .dump)."""
    url = make_url(database_url)
    folder.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        target = _new_file(folder, now, ".db")
        _sqlite_copy(Path(url.database), target)
    elif url.get_backend_name() == "postgresql":
        target = _new_file(folder, now, ".dump")
        _run([_postgres_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}"], url)
    else:
        raise BackupError(f"no backup method for {url.get_backend_name()}")
    target.chmod(0o600)  # it holds pupils' names
    return target


def restore(database_url: str, backup_file: Path, folder: Path) -> Path:
    """Replace the database's contents with a backup, after backing up what is there now (returned),
    then upgrade the schema in case the backup is older than the code. Stop the app first."""
    url = make_url(database_url)
    if not backup_file.is_file():
        raise BackupError(f"{backup_file} does not exist")
    expected = ".db" if url.get_backend_name() == "sqlite" else ".dump"
    if backup_file.suffix != expected:
        raise BackupError(f"{backup_file} is not a {url.get_backend_name()} backup ({expected})")
    safety = backup(database_url, folder / "before-restore")
    get_engine(database_url).dispose()
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(backup_file, Path(url.database))
    else:
        _run(
            [
                _postgres_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={url.database}",
                str(backup_file),
            ],
            url,
        )
    upgrade(database_url)
    return safety
