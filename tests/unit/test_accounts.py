"""Staff accounts: setup, the password rule, sign-in with its growing delays kept in the database
(the same for unknown and existing usernames)."""

from datetime import timedelta

import bcrypt
import pytest
from sqlmodel import select

from amane.models.db import session_scope
from amane.models.tables import AuditEvent, StaffUser, utcnow
from amane.services import accounts, throttle
from amane.services.errors import AccessDenied, Invalid
from amane.services.rules import PASSWORD_MIN_LENGTH, STAFF_DELAYS
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


def _failures(engine, username: str = "teacher") -> int:
    with session_scope(engine) as db:
        return throttle.failures(db, throttle.staff_key(username), utcnow() - timedelta(days=1))


def test_the_right_password_signs_in_and_forgets_the_wrong_tries(engine, session, teacher):
    now = utcnow()
    for _ in range(3):
        throttle.record_failure(session, throttle.staff_key("teacher"), STAFF_DELAYS, now)
    assert accounts.sign_in(session, " Teacher ", PASSWORD + " ", now) == teacher  # as typed, with spaces
    session.commit()
    assert _failures(engine) == 0
    signed_in = session.exec(select(AuditEvent).where(AuditEvent.action == "staff_signed_in")).one()
    assert signed_in.actor == teacher.ref


def test_a_wrong_password_and_an_unknown_username_get_the_same_answer(engine, session, teacher):
    wrong = _refusal(lambda: accounts.sign_in(session, "teacher", "not the password"))
    unknown = _refusal(lambda: accounts.sign_in(session, "nobody", PASSWORD))
    assert (
        (wrong.message, wrong.params) == (unknown.message, unknown.params) == (accounts.SIGN_IN_REFUSED, {})
    )
    assert (_failures(engine), _failures(engine, "nobody")) == (1, 1)  # committed although sign_in raised


def test_an_unknown_username_is_checked_against_a_hash_of_the_same_cost(session, teacher):
    """Timing must not tell which usernames exist: an unknown username costs one bcrypt check
    (counted in test_unknown_and_existing_usernames_get_the_same_replies_and_bcrypt_work) against
    a dummy hash of the real hashes' algorithm and cost."""
    stored = session.get(StaffUser, teacher.id).password_hash
    assert accounts._no_account_hash()[:7] == stored[:7] == "$2b$12$"  # noqa: SLF001


def test_a_disabled_account_is_refused_like_a_wrong_password(session, admin, teacher):
    accounts.set_staff_active(session, admin, teacher.id, False)
    refused = _refusal(lambda: accounts.sign_in(session, "teacher", PASSWORD))
    assert (refused.message, refused.params) == (accounts.SIGN_IN_REFUSED, {})


def _replies(engine, username: str, tries: int, now) -> list[tuple[str, dict]]:
    """The message of each of `tries` wrong sign-ins one second apart, each in a unit of work of
    its own that rolls back on the error, as a page's does."""
    replies = []
    for second in range(tries):
        with pytest.raises(Invalid) as refused, session_scope(engine) as unit:
            accounts.sign_in(unit, username, "not the password", now + timedelta(seconds=second))
        replies.append((refused.value.message, refused.value.params))
    return replies


def test_unknown_and_existing_usernames_get_the_same_replies_and_bcrypt_work(engine, teacher, monkeypatch):
    """Nothing tells which usernames exist: the messages at every try, and the bcrypt checks (one
    per try until the wait starts, none while it runs)."""
    checks: list[bytes] = []
    real_check = bcrypt.checkpw

    def counted(password: bytes, hashed: bytes) -> bool:
        checks.append(hashed)
        return real_check(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", counted)
    now = utcnow()
    tries = STAFF_DELAYS.free + 3
    existing = _replies(engine, "teacher", tries, now)
    existing_checks = len(checks)
    checks.clear()
    unknown = _replies(engine, "nobody", tries, now)
    assert existing == unknown
    refused = (accounts.SIGN_IN_REFUSED, {})
    waiting = (accounts.TOO_MANY_TRIES, {"n": 1})
    assert existing == [refused] * STAFF_DELAYS.free + [waiting] * 3  # no account named, no "locked"
    assert existing_checks == len(checks) == STAFF_DELAYS.free + 1  # the try that starts the wait checks too


WRONG = "wrong password!!"
REFUSED = "The username or password is not right."


def _waiting(minutes: int) -> str:
    return f"Too many tries. Wait {minutes} minute{'s' if minutes > 1 else ''} and try again."


def _sign_in(session, password: str, at) -> str:
    """What a sign-in as `teacher` at `at` replies: "in", or the refusal in English."""
    try:
        accounts.sign_in(session, "teacher", password, at)
    except Invalid as refused:
        return str(refused)
    return "in"


def test_delays_grow_then_age_and_never_lock_for_good(session, teacher):
    key = throttle.staff_key("teacher")
    at = utcnow()
    replies, waits = [], []
    for _ in range(STAFF_DELAYS.free + 6):
        replies.append(_sign_in(session, WRONG, at))
        wait = throttle.wait_left(session, key, at)
        if wait:  # even the right password waits, with the same reply
            assert _sign_in(session, PASSWORD, at + wait - timedelta(seconds=1)) == _waiting(1)
            waits.append(wait)
        at += wait or timedelta(seconds=1)
    assert replies == [REFUSED] * STAFF_DELAYS.free + [_waiting(n) for n in (1, 2, 4, 8, 15, 15)]
    assert waits == [timedelta(minutes=n) for n in (1, 2, 4, 8, 15, 15)]
    assert _sign_in(session, PASSWORD, at) == "in"  # once the wait has passed: never locked for good
    for second in range(STAFF_DELAYS.free):  # the right password forgot the wrong tries
        assert _sign_in(session, WRONG, at + timedelta(seconds=second)) == REFUSED
    later = at + STAFF_DELAYS.forget_after + timedelta(minutes=1)
    assert _sign_in(session, WRONG, later) == REFUSED  # the old tries aged: this is the first again


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
