"""Staff accounts: setup, the password rule, sign-in with its lockout kept in the database."""

import time
from datetime import timedelta

import pytest
from sqlmodel import select

from amane.models.db import session_scope
from amane.models.tables import AuditEvent, StaffUser, utcnow
from amane.services import accounts
from amane.services.errors import AccessDenied, Invalid
from amane.services.rules import PASSWORD_MIN_LENGTH, STAFF_LOCKOUT, STAFF_MAX_FAILED_LOGINS
from tests.conftest import PASSWORD


def test_first_run_needs_setup_then_creates_school_and_admin(session):
    assert accounts.needs_setup(session)
    admin = accounts.create_school(session, "École Al Amal", "direction", "Mme B", PASSWORD)
    assert admin.role == "admin"
    assert not accounts.needs_setup(session)
    stored = session.get(StaffUser, admin.id).password_hash
    assert accounts.check_password(PASSWORD, stored)
    assert stored != PASSWORD


def test_setup_is_refused_once_a_school_exists(session, admin):
    with pytest.raises(Invalid, match="already set up"):
        accounts.create_school(session, "Another", "someone", "X", PASSWORD)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", f"at least {PASSWORD_MIN_LENGTH} characters"),
        ("azertyuiop", "too common"),
        ("Password123", "too common"),
        ("aaaaaaaaaaaa", "too common"),
        ("abababababab", "too common"),  # fewer than PASSWORD_MIN_DISTINCT_CHARACTERS
        ("teacher-rocks-2024", "username"),
    ],
)
def test_password_rule_refuses_weak_passwords(password, problem):
    assert problem in str(accounts.password_problem(password, "teacher"))


@pytest.mark.parametrize("password", ["كلمة سر طويلة جدا", "soleil citron vélo", "three random words"])
def test_password_rule_accepts_long_unicode_passphrases(password):
    assert accounts.password_problem(password, "teacher") is None


def test_only_an_admin_creates_staff(session, teacher):
    with pytest.raises(AccessDenied):
        accounts.create_staff(session, teacher, "newbie", "New", PASSWORD)


def test_duplicate_username_is_refused(session, admin, teacher):
    with pytest.raises(Invalid, match="already taken"):
        accounts.create_staff(session, admin, "teacher", "Again", PASSWORD)


def _refusal(call) -> Invalid:
    with pytest.raises(Invalid) as refused:
        call()
    return refused.value


def _failed_logins(engine) -> int:
    with session_scope(engine) as db:
        return db.exec(select(StaffUser.failed_logins).where(StaffUser.username == "teacher")).one()


def test_the_right_password_signs_in_and_resets_the_failure_count(session, teacher):
    for _ in range(3):
        accounts.record_failed_login(session, "teacher")
    assert accounts.sign_in(session, " Teacher ", PASSWORD + " ") == teacher  # as typed, with spaces
    user = session.get(StaffUser, teacher.id)
    assert (user.failed_logins, user.locked_until) == (0, None)
    signed_in = session.exec(select(AuditEvent).where(AuditEvent.action == "staff_signed_in")).one()
    assert signed_in.actor == teacher.ref


def test_a_wrong_password_and_an_unknown_username_get_the_same_answer(engine, session, teacher):
    wrong = _refusal(lambda: accounts.sign_in(session, "teacher", "not the password"))
    unknown = _refusal(lambda: accounts.sign_in(session, "nobody", PASSWORD))
    assert (
        (wrong.message, wrong.params) == (unknown.message, unknown.params) == (accounts.SIGN_IN_REFUSED, {})
    )
    assert _failed_logins(engine) == 1  # committed although sign_in raised


def test_an_unknown_username_costs_a_bcrypt_check_like_a_known_one(session, teacher):
    """Timing must not tell which usernames exist: the dummy hash has the real hashes' cost, and a
    try on an unknown username takes about as long as checking a real password."""
    stored = session.get(StaffUser, teacher.id).password_hash
    assert accounts._no_account_hash()[:7] == stored[:7]  # "$2b$12$": same algorithm and cost
    check = min(_timed(lambda: accounts.check_password("not the password", stored)) for _ in range(2))
    unknown = _timed(lambda: _refusal(lambda: accounts.sign_in(session, "nobody", "not the password")))
    assert unknown >= 0.5 * check


def _timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def test_a_disabled_account_is_refused_like_a_wrong_password(session, admin, teacher):
    accounts.set_staff_active(session, admin, teacher.id, False)
    refused = _refusal(lambda: accounts.sign_in(session, "teacher", PASSWORD))
    assert (refused.message, refused.params) == (accounts.SIGN_IN_REFUSED, {})
    assert accounts.staff_actor(session, "teacher") is None


def test_five_wrong_passwords_lock_the_account_until_the_lockout_ends(engine, session, teacher):
    now = utcnow()
    for attempt in range(1, STAFF_MAX_FAILED_LOGINS):
        with session_scope(engine) as unit:  # rolls back on the error, as a page's unit of work
            refused = _refusal(lambda unit=unit: accounts.sign_in(unit, "teacher", "wrong password!!", now))
        assert refused.message == accounts.SIGN_IN_REFUSED
        assert _failed_logins(engine) == attempt
    with session_scope(engine) as unit:
        locking = _refusal(lambda: accounts.sign_in(unit, "teacher", "wrong password!!", now))
    lock_ends = now + STAFF_LOCKOUT
    assert (locking.message, locking.params) == (accounts.LOCKED, {"time": lock_ends.strftime("%H:%M")})
    almost = now + STAFF_LOCKOUT - timedelta(minutes=1)
    still = _refusal(lambda: accounts.sign_in(session, "teacher", PASSWORD, almost))  # even the right one
    assert still.message == accounts.LOCKED
    assert (
        accounts.sign_in(session, "teacher", PASSWORD, now + STAFF_LOCKOUT + timedelta(minutes=1)) == teacher
    )
    assert len(session.exec(select(AuditEvent).where(AuditEvent.action == "staff_locked")).all()) == 1


def test_staff_are_listed_for_the_admin_without_their_password_hash(session, admin, teacher):
    members = accounts.list_staff(session, admin)
    assert [(m.username, m.role, m.active) for m in members] == [
        ("admin", "admin", True),
        ("teacher", "teacher", True),
    ]
    assert all(not hasattr(member, "password_hash") for member in members)


@pytest.mark.parametrize(
    "password",
    ["olive lantern river", "ﻻ نافذة زيتون ﻻ", "\ufdfa\ufdfa" + "abcdefghij", "Ｆｕｌｌｗｉｄｔｈ ｐａｓｓ"],
    ids=["latin", "arabic-ligature", "grows-when-normalized", "fullwidth"],
)
def test_a_password_that_was_accepted_signs_in(session, admin, password):
    """Whatever the rules accept must sign in, in any script (sign_in strips the typed password,
    and the rules refuse a password with spaces at either end)."""
    accounts.create_staff(session, admin, "newcomer", "Mme Nouvelle", password)
    assert accounts.sign_in(session, "newcomer", password).username == "newcomer"
