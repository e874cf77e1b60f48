"""Fixtures: a fresh, migrated database per test (SQLite by default, PostgreSQL when
AMANE_TEST_DATABASE_URL is set), actors to act with, and the app's settings for AppTest."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlmodel import Session, SQLModel, func, select

import amane.models.tables  # noqa: F401
from amane.models.content_loader import Catalogue, load_catalogue
from amane.models.db import get_engine, upgrade
from amane.models.tables import School
from amane.services import accounts, classes
from amane.services.permissions import PupilActor, StaffActor
from amane.settings import ROOT, get_settings
from amane.testing.queries import QueryCounter

FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "content"
PASSWORD = "correct horse battery"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres_only: needs PostgreSQL")
    config.addinivalue_line("markers", "sqlite_only: about SQLite's own files; not run on PostgreSQL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL run leaves out (deselects, never skips) the tests of SQLite's own files."""
    if not os.environ.get("AMANE_TEST_DATABASE_URL"):
        return
    sqlite_only = [item for item in items if item.get_closest_marker("sqlite_only")]
    if sqlite_only:
        config.hook.pytest_deselected(items=sqlite_only)
        items[:] = [item for item in items if not item.get_closest_marker("sqlite_only")]


@pytest.fixture(scope="session")
def pg_url() -> str | None:
    """AMANE_TEST_DATABASE_URL; with parallel workers (pytest -n), a database of each worker's
    own beside it, created on first use."""
    url = os.environ.get("AMANE_TEST_DATABASE_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    base = make_url(url)
    own = base.set(database=f"{base.database}_{worker}")
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = text("SELECT 1 FROM pg_database WHERE datname = :name")
        if connection.execute(exists, {"name": own.database}).first() is None:
            connection.execute(text(f'CREATE DATABASE "{own.database}"'))
    engine.dispose()
    return own.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    get_engine(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture(scope="session")
def _pg_migrated(pg_url: str | None) -> None:
    if pg_url:
        engine = get_engine(pg_url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade(pg_url)


@pytest.fixture
def database_url(pg_url, _pg_migrated, sqlite_template, tmp_path) -> Iterator[str]:
    if pg_url:
        yield pg_url
        tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
        with get_engine(pg_url).begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    else:
        path = tmp_path / "amane.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        get_engine(f"sqlite:///{path}").dispose()


@pytest.fixture
def engine(database_url):
    return get_engine(database_url)


@pytest.fixture
def session(engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as db_session:
        yield db_session
        db_session.rollback()


@pytest.fixture
def count_queries(engine):
    """`with count_queries() as counter: ...; counter.count` counts SQL statements sent."""
    return lambda: QueryCounter(engine)


@pytest.fixture(scope="session")
def fixture_catalogue() -> Catalogue:
    return load_catalogue(FIXTURE_CONTENT)


@pytest.fixture(scope="session")
def real_catalogue() -> Catalogue:
    return load_catalogue(ROOT)


def finish_lesson(session, pupil: PupilActor, catalogue: Catalogue, lesson_id: str) -> None:
    """The pupil completes the lesson and gets every quiz question right."""
    from amane.services import progress, quizzes

    progress.complete_lesson(session, pupil, lesson_id, len(catalogue.lesson(lesson_id).steps))
    quiz = catalogue.quiz_for(lesson_id)
    attempt = quizzes.open_attempt(session, pupil, quiz)
    for question in quiz.questions:
        quizzes.submit_answer(session, pupil, attempt.id, question, question.right_answer())
    quizzes.finish_attempt(session, pupil, attempt.id, quiz)
    session.commit()


def old_picture_hash(pictures: tuple[str, ...]) -> str:
    """A picture password as the app stored it before scrypt (3 pictures from the first 9)."""
    salt = "ab" * 16
    digest = hashlib.pbkdf2_hmac("sha256", "-".join(pictures).encode(), bytes.fromhex(salt), 60_000)
    return f"pbkdf2_sha256$60000${salt}${digest.hex()}"


def seed_far_school(session) -> dict[str, StaffActor]:
    """A teacher and an admin of another school. An install holds exactly one school
    (School.one_school), so they are actors no row stands for, with another school's id: what a
    stale or forged session would carry. Every service must refuse them our school's data."""
    school_id = (session.exec(select(func.max(School.id))).one() or 0) + 1000
    return {
        role: StaffActor(school_id + number, school_id, role, f"far-{role}", f"Far {role}")
        for number, role in enumerate(("teacher", "admin"), start=1)
    }


@pytest.fixture
def far_school(session) -> dict[str, StaffActor]:
    """A teacher and an admin of another school."""
    return seed_far_school(session)


@pytest.fixture
def admin(session) -> StaffActor:
    actor = accounts.create_school(session, "École Test", "admin", "Admin", PASSWORD)
    session.commit()
    return actor


@pytest.fixture
def teacher(session, admin) -> StaffActor:
    actor = accounts.create_staff(session, admin, "teacher", "Teacher One", PASSWORD)
    session.commit()
    return actor


@pytest.fixture
def other_teacher(session, admin) -> StaffActor:
    actor = accounts.create_staff(session, admin, "other", "Teacher Two", PASSWORD)
    session.commit()
    return actor


@pytest.fixture
def school_class(session, teacher, fixture_catalogue) -> classes.ClassInfo:
    """CM2 A (9-11, English) of the teacher, doing every 9-11 lesson of the fixture content."""
    created = classes.create_class(session, teacher, "CM2 A", "9-11", "en", fixture_catalogue)
    session.commit()
    return created


@pytest.fixture
def pupils(session, teacher, school_class) -> list[tuple[PupilActor, tuple[str, ...]]]:
    result = classes.add_pupils(session, teacher, school_class.id, "Adam\nYasmine\nOmar")
    session.commit()
    return [
        (PupilActor(p.pupil.id, school_class.id, school_class.school_id, p.pupil.display_name), p.pictures)
        for p in result.added
    ]


@pytest.fixture
def app_env(monkeypatch, database_url, tmp_path) -> Iterator[None]:
    """Settings for an AppTest run of app.py against this test's database."""
    monkeypatch.setenv("AMANE_DATABASE_URL", database_url)
    monkeypatch.setenv("AMANE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("AMANE_CONTENT_DIR", str(FIXTURE_CONTENT))
    monkeypatch.setenv("AMANE_DEFAULT_LANGUAGE", "en")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
