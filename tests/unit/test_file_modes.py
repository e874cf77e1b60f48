"""Files that hold pupils' names are private (issue 14, item 5): the data folder 0700, the SQLite
database and its -wal and -shm 0600, backups 0600 in a 0700 folder, from the moment they exist,
even under the usual umask 022 (which would make them readable by every account)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

from amane import cli
from amane.models import backup as backups
from amane.models.db import get_engine, ready_engine
from amane.settings import get_settings


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.fixture
def umask_022() -> Iterator[None]:
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.fixture
def data_dir(monkeypatch, tmp_path, umask_022) -> Iterator[Path]:
    """A data folder that does not exist yet, as on a new school server."""
    folder = tmp_path / "srv" / "data"
    monkeypatch.setenv("AMANE_DATA_DIR", str(folder))
    monkeypatch.setenv("AMANE_COOKIE_KEY", "k" * 48)  # so that settings write nothing themselves
    monkeypatch.delenv("AMANE_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()


def test_a_new_database_its_wal_and_its_folder_are_private(data_dir):
    engine = ready_engine(get_settings().database_url)
    with engine.connect() as connection:  # SQLite removes -wal and -shm after the last one closes
        connection.execute(text("UPDATE alembic_version SET version_num = version_num"))
        connection.commit()
        files = {path.name: _mode(path) for path in data_dir.iterdir()}
    assert set(files) == {"amane.db", "amane.db-wal", "amane.db-shm", "amane.db.migrate-lock"}
    assert files == dict.fromkeys(files, 0o600)
    assert _mode(data_dir) == 0o700
    engine.dispose()


def test_an_existing_wider_data_folder_and_database_are_tightened_at_start(data_dir):
    data_dir.mkdir(parents=True)
    database = data_dir / "amane.db"
    with closing(sqlite3.connect(database)) as older:  # as an earlier Amane left them
        older.execute("PRAGMA journal_mode=WAL")
        older.execute("CREATE TABLE t (x)")
        wal = Path(f"{database}-wal")
        assert (_mode(data_dir), _mode(database), _mode(wal)) == (0o755, 0o644, 0o644)
        ready_engine(get_settings().database_url)
        assert (_mode(data_dir), _mode(database), _mode(wal)) == (0o700, 0o600, 0o600)
    get_engine(get_settings().database_url).dispose()


@pytest.fixture
def watched_copy(monkeypatch) -> list[tuple[int, int]]:
    """(mode, size) of the backup file at the moment the copy into it starts: the real copy then
    runs. The copy writes into that file in place, so a file that is 0600 and empty then was never
    readable by others with anything in it."""
    seen: list[tuple[int, int]] = []
    sqlite_copy, run = backups._sqlite_copy, backups._run

    def watch_sqlite(source: Path, target: Path) -> None:
        seen.append((_mode(target), target.stat().st_size))
        sqlite_copy(source, target)

    def watch_pg_dump(command: list[str], url) -> None:
        target = Path(next(arg for arg in command if arg.startswith("--file=")).removeprefix("--file="))
        seen.append((_mode(target), target.stat().st_size))
        run(command, url)

    monkeypatch.setattr(backups, "_sqlite_copy", watch_sqlite)
    monkeypatch.setattr(backups, "_run", watch_pg_dump)
    return seen


def test_backups_are_0600_from_the_moment_they_exist_in_a_0700_folder(
    monkeypatch, database_url, school_class, pupils, tmp_path, umask_022, watched_copy, capsys
):
    monkeypatch.setenv("AMANE_DATABASE_URL", database_url)
    monkeypatch.setenv("AMANE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    folder = tmp_path / "data" / "backups"
    folder.mkdir(parents=True, mode=0o755)  # an older Amane made it 0755: tightened
    try:
        assert cli.main(["backup"]) == 0
    finally:
        get_settings.cache_clear()
    [written] = folder.iterdir()
    assert f"backup written: {written}" in capsys.readouterr().out
    assert watched_copy == [(0o600, 0)]  # created 0600 and empty, before the copy
    assert written.stat().st_size > 0 and _mode(written) == 0o600
    assert _mode(folder) == 0o700


def test_a_failed_backup_leaves_no_file(tmp_path, umask_022):
    missing = tmp_path / "nowhere.db"  # sqlite3 would create it; make the copy fail instead
    missing.mkdir()
    with pytest.raises(sqlite3.Error):
        backups.backup(f"sqlite:///{missing}", tmp_path / "backups")
    assert list((tmp_path / "backups").iterdir()) == []
    assert _mode(tmp_path / "backups") == 0o700
