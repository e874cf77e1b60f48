"""The Alembic migrations build exactly the tables the models describe, and every migration goes
down and up again cleanly, on SQLite and (with AMANE_TEST_DATABASE_URL) on PostgreSQL."""

import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlmodel import SQLModel

from amane.models.db import alembic_config, downgrade, get_engine, upgrade
from amane.settings import ROOT


def _schema(engine) -> dict[str, tuple]:
    """Tables with their columns, indexes and unique constraints."""
    inspector = inspect(engine)
    return {
        table: (
            sorted(column["name"] for column in inspector.get_columns(table)),
            sorted(str(index["column_names"]) for index in inspector.get_indexes(table)),
            sorted(str(unique["column_names"]) for unique in inspector.get_unique_constraints(table)),
        )
        for table in inspector.get_table_names()
        if table != "alembic_version"
    }


def test_migrated_schema_matches_the_models(database_url):
    with get_engine(database_url).connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []


def test_every_migration_upgrades_and_downgrades(database_url):
    engine = get_engine(database_url)
    revisions = list(ScriptDirectory.from_config(alembic_config(database_url)).walk_revisions())
    downgrade(database_url, "base")
    assert _schema(engine) == {}
    for revision in reversed(revisions):  # oldest first
        before = _schema(engine)
        upgrade(database_url, revision.revision)
        after = _schema(engine)
        assert after != before, f"{revision.revision} changed nothing"
        downgrade(database_url, "-1")
        assert _schema(engine) == before, f"{revision.revision} did not downgrade cleanly"
        upgrade(database_url, revision.revision)
        assert _schema(engine) == after
    assert {t.name for t in SQLModel.metadata.sorted_tables} == set(_schema(engine))


def test_replicas_starting_together_migrate_once_without_errors(database_url):
    """Four app processes starting at once on an empty database: one migrates, the others wait
    and find it done; none fails on a half-created table."""
    downgrade(database_url, "base")
    get_engine(database_url).dispose()
    command = [sys.executable, "-c", f"from amane.models.db import upgrade; upgrade({database_url!r})"]
    starting = [subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    for process in starting:
        assert process.wait(timeout=120) == 0, process.stderr.read()
    assert {t.name for t in SQLModel.metadata.sorted_tables} == set(_schema(get_engine(database_url)))
