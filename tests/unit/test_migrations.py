"""The Alembic migrations build exactly the tables the models describe, and go down and up
again cleanly, on SQLite and (with AMANE_TEST_DATABASE_URL) on PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from models.db import downgrade, get_engine, upgrade


def test_migrated_schema_matches_the_models(database_url):
    with get_engine(database_url).connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []


def test_migrations_downgrade_to_nothing_and_upgrade_again(database_url):
    engine = get_engine(database_url)
    downgrade(database_url, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(database_url)
    assert {t.name for t in SQLModel.metadata.sorted_tables} <= set(inspect(engine).get_table_names())
