"""`make backup` / `manage.py restore`: a backup taken while the app runs brings the school back
exactly as it was, on SQLite and on PostgreSQL; a restore first keeps what it replaces."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, SQLModel

from amane import cli
from amane.services import classes, help_requests, privacy
from amane.settings import get_settings
from tests.conftest import finish_lesson

LESSON = "sample-9-11"


def _everything(engine) -> dict[str, list]:
    with engine.connect() as connection:
        return {
            table.name: connection.execute(
                text(f'SELECT * FROM "{table.name}" ORDER BY {", ".join(table.primary_key.columns.keys())}')
            ).all()
            for table in SQLModel.metadata.sorted_tables
        }


@pytest.fixture
def operator_env(monkeypatch, database_url, tmp_path) -> Path:
    monkeypatch.setenv("AMANE_DATABASE_URL", database_url)
    monkeypatch.setenv("AMANE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield tmp_path / "data" / "backups"
    get_settings.cache_clear()


def test_restore_brings_back_the_school_as_it_was_at_the_backup(
    operator_env, engine, session: Session, teacher, school_class, pupils, fixture_catalogue, capsys
):
    adam = pupils[0][0]
    finish_lesson(session, adam, fixture_catalogue, LESSON)
    help_requests.ask_for_help(session, adam, "mean", in_person=True)
    session.commit()
    before = _everything(engine)

    assert cli.main(["backup"]) == 0
    [backup] = [path for path in operator_env.iterdir() if path.is_file()]
    assert f"backup written: {backup}" in capsys.readouterr().out
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # it holds pupils' names

    privacy.delete_pupil(session, teacher, adam.id)
    classes.create_class(session, teacher, "After the backup", "9-11", "fr", fixture_catalogue)
    session.commit()
    session.close()
    after = _everything(engine)
    assert after != before

    assert cli.main(["restore", str(backup)]) == 0
    assert _everything(engine) == before
    [kept] = (operator_env / "before-restore").iterdir()
    assert f"the database as it was before is kept in {kept}" in capsys.readouterr().out

    assert cli.main(["restore", str(kept)]) == 0  # and the restore itself can be undone
    assert _everything(engine) == after


def test_a_missing_or_wrong_backup_file_is_refused_and_changes_nothing(
    operator_env, engine, school_class, pupils, tmp_path, capsys
):
    before = _everything(engine)
    assert cli.main(["restore", str(tmp_path / "nope.db")]) == 1
    assert "nope.db does not exist" in capsys.readouterr().err
    wrong = tmp_path / "notes.txt"
    wrong.write_text("not a backup")
    assert cli.main(["restore", str(wrong)]) == 1
    assert "is not a" in capsys.readouterr().err
    assert _everything(engine) == before
    assert not operator_env.exists()  # nothing was written
