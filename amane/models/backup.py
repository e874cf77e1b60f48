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

from amane.models.db import get_engine, private_file, private_folder, upgrade


class BackupError(RuntimeError):
    pass


def _new_file(folder: Path, now: datetime | None, suffix: str) -> Path:
    """Create amane-<UTC time><suffix> empty and 0600 in a 0700 folder, before any data goes into
    it; never an existing file (two backups in the same second)."""
    private_folder(folder)
    stem = "amane-" + (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    path, number = folder / f"{stem}{suffix}", 1
    while True:
        try:
            return private_file(path, exclusive=True)
        except FileExistsError:
            path, number = folder / f"{stem}-{number}{suffix}", number + 1


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy into `target`, an existing file whose mode stays as it is (SQLite writes in place)."""
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
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"no backup method for {backend}")
    target = _new_file(folder, now, ".db" if backend == "sqlite" else ".dump")
    try:
        if backend == "sqlite":
            _sqlite_copy(Path(url.database), target)
        else:  # pg_dump writes into the existing file, which keeps its mode
            _run([_postgres_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}"], url)
    except BaseException:
        target.unlink(missing_ok=True)  # no half-written backup that looks like a good one
        raise
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
    safety = backup(database_url, private_folder(folder) / "before-restore")
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
