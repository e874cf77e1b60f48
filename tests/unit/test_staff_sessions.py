"""Staff sessions on the server: they end when idle or too old, can be ended everywhere at once,
and a page's check costs one query (two when last_seen_at is due for its once-a-minute touch)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from amane.models.tables import StaffSession, utcnow
from amane.services import accounts, staff_sessions
from amane.services.rules import STAFF_IDLE_TIMEOUT, STAFF_SESSION_LIMIT
from tests.conftest import PASSWORD

SECOND = timedelta(seconds=1)


def _rows(session) -> list[StaffSession]:
    session.expire_all()
    return list(session.exec(select(StaffSession)).all())


def test_only_the_tokens_hash_is_stored_and_a_wrong_token_resumes_nothing(session, teacher):
    token = staff_sessions.start(session, teacher.id)
    (row,) = _rows(session)
    assert token not in row.token_hash and len(row.token_hash) == 64
    assert staff_sessions.resume(session, token) == teacher
    assert staff_sessions.resume(session, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert staff_sessions.resume(session, row.token_hash) is None  # the stored hash is no token


def test_a_session_used_now_and_then_lives_until_the_day_limit(session, teacher):
    start = utcnow()
    token = staff_sessions.start(session, teacher.id, start)
    at = start
    while at + STAFF_IDLE_TIMEOUT < start + STAFF_SESSION_LIMIT:  # a click every 29 minutes
        at += STAFF_IDLE_TIMEOUT - timedelta(minutes=1)
        assert staff_sessions.resume(session, token, at) == teacher
    assert staff_sessions.resume(session, token, start + STAFF_SESSION_LIMIT + SECOND) is None
    assert _rows(session) == []  # the ended session found is deleted


def test_a_session_left_idle_ends(session, teacher):
    start = utcnow()
    token = staff_sessions.start(session, teacher.id, start)
    assert staff_sessions.resume(session, token, start + STAFF_IDLE_TIMEOUT) == teacher
    assert staff_sessions.resume(session, token, start + 2 * STAFF_IDLE_TIMEOUT + SECOND) is None
    assert _rows(session) == []


def test_the_idle_timeout_can_be_shorter(session, teacher):
    """As AMANE_STAFF_IDLE_MINUTES sets it (3 seconds in the browser test): the touch then comes
    more often than once a minute, so a session in use does not end."""
    idle = timedelta(seconds=3)
    start = utcnow()
    token = staff_sessions.start(session, teacher.id, start, idle)
    for second in (2, 4, 6, 8):
        assert staff_sessions.resume(session, token, start + second * SECOND, idle) == teacher
    assert staff_sessions.resume(session, token, start + 11.5 * SECOND, idle) is None


def test_last_seen_is_touched_at_most_once_a_minute(session, teacher):
    start = utcnow()
    token = staff_sessions.start(session, teacher.id, start)
    for seconds in (10, 59):
        staff_sessions.resume(session, token, start + seconds * SECOND)
        assert _rows(session)[0].last_seen_at == start
    staff_sessions.resume(session, token, start + 60 * SECOND)
    assert _rows(session)[0].last_seen_at == start + 60 * SECOND


def test_resume_costs_one_query_and_one_more_when_the_touch_is_due(session, teacher, count_queries):
    start = utcnow()
    token = staff_sessions.start(session, teacher.id, start)
    session.commit()
    with count_queries() as quiet:
        assert staff_sessions.resume(session, token, start + 30 * SECOND) == teacher
    with count_queries() as touching:
        assert staff_sessions.resume(session, token, start + 90 * SECOND) == teacher
    with count_queries() as unknown:
        assert staff_sessions.resume(session, "no such token") is None
    assert (quiet.count, touching.count, unknown.count) == (1, 2, 1)


def test_end_all_ends_every_session_of_the_account_only(session, teacher, other_teacher):
    mine = [staff_sessions.start(session, teacher.id) for _ in range(3)]  # three computers
    theirs = staff_sessions.start(session, other_teacher.id)
    staff_sessions.end_all(session, teacher.id)
    assert [staff_sessions.resume(session, token) for token in mine] == [None] * 3
    assert staff_sessions.resume(session, theirs) == other_teacher


def test_sessions_of_closed_tabs_are_deleted_when_someone_signs_in(session, teacher, other_teacher):
    start = utcnow()
    staff_sessions.start(session, teacher.id, start)  # a tab closed without signing out
    live = staff_sessions.start(session, other_teacher.id, start + STAFF_IDLE_TIMEOUT)
    later = start + STAFF_IDLE_TIMEOUT + timedelta(minutes=5)
    staff_sessions.start(session, other_teacher.id, later)
    assert sorted(row.staff_id for row in _rows(session)) == [other_teacher.id, other_teacher.id]
    assert staff_sessions.resume(session, live, later) == other_teacher


@pytest.mark.parametrize("end", ["disable", "reset", "change"])
def test_account_changes_end_every_session_of_the_account(session, admin, teacher, end):
    token = staff_sessions.start(session, teacher.id)
    if end == "disable":
        accounts.set_staff_active(session, admin, teacher.id, False)
    elif end == "reset":
        accounts.reset_staff_password(session, admin, teacher.id, "olive lantern river")
    else:
        accounts.change_own_password(session, teacher, PASSWORD, "olive lantern river")
    assert staff_sessions.resume(session, token) is None
    assert _rows(session) == []
