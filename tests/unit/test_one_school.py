"""Exactly one school: two people running the first-visit setup at the same moment end with one
school and one admin, and the second is told the school is already set up (on SQLite and on
PostgreSQL, where the refusal must not abort the caller's transaction)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from amane.models.tables import School, StaffUser
from amane.services import accounts
from amane.services.errors import Invalid
from tests.conftest import PASSWORD


def _setup(engine, barrier: threading.Barrier, username: str) -> str:
    with Session(engine, expire_on_commit=False) as session:
        barrier.wait()
        try:
            accounts.create_school(session, f"École de {username}", username, username.title(), PASSWORD)
        except Invalid as refused:
            # The transaction is still usable (on PostgreSQL a failed INSERT would have aborted it).
            assert session.exec(select(func.count()).select_from(School)).one() == 1
            return refused.message
        session.commit()
        return "created"


def test_two_setups_at_the_same_moment_make_one_school_and_one_admin(engine, session):
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def run(username: str) -> None:
        outcomes[username] = _setup(engine, barrier, username)

    threads = [threading.Thread(target=run, args=(name,)) for name in ("direction", "directrice")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == sorted(["created", accounts.ALREADY_SET_UP])
    assert session.exec(select(func.count()).select_from(School)).one() == 1
    admins = session.exec(select(StaffUser.username)).all()
    assert admins == [name for name, outcome in outcomes.items() if outcome == "created"]


def test_the_database_itself_refuses_a_second_school(session, admin):
    session.add(School(name="Another"))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()
    assert session.exec(select(func.count()).select_from(School)).one() == 1
