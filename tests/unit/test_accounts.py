"""Staff accounts: setup, the password rule, lockout kept in the database."""

from datetime import timedelta

import pytest
from sqlmodel import select

from amane.models.tables import AuditEvent, StaffUser, utcnow
from amane.services import accounts
from amane.services.errors import AccessDenied, Invalid
from amane.services.rules import STAFF_LOCKOUT, STAFF_MAX_FAILED_LOGINS
from tests.conftest import PASSWORD


def test_first_run_needs_setup_then_creates_school_and_admin(session):
    assert accounts.needs_setup(session)
    admin = accounts.create_school(session, "École Al Amal", "direction", "Mme B", PASSWORD)
    assert admin.role == "admin"
    assert not accounts.needs_setup(session)
    assert accounts.check_password(PASSWORD, admin.password_hash)
    assert admin.password_hash != PASSWORD


def test_setup_is_refused_once_a_school_exists(session, admin):
    with pytest.raises(Invalid, match="already set up"):
        accounts.create_school(session, "Another", "someone", "X", PASSWORD)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "at least 10"),
        ("azertyuiop", "too common"),
        ("Password123", "too common"),
        ("aaaaaaaaaaaa", "too common"),
        ("teacher-rocks-2024", "username"),
    ],
)
def test_password_rule_refuses_weak_passwords(password, problem):
    assert problem in accounts.password_problem(password, "teacher")


@pytest.mark.parametrize("password", ["كلمة سر طويلة جدا", "soleil citron vélo", "three random words"])
def test_password_rule_accepts_long_unicode_passphrases(password):
    assert accounts.password_problem(password, "teacher") is None


def test_only_an_admin_creates_staff(session, teacher):
    with pytest.raises(AccessDenied):
        accounts.create_staff(session, teacher, "newbie", "New", PASSWORD)


def test_duplicate_username_is_refused(session, admin, teacher):
    with pytest.raises(Invalid, match="already taken"):
        accounts.create_staff(session, admin, "teacher", "Again", PASSWORD)


def test_five_failed_logins_lock_the_account_for_fifteen_minutes(session, teacher):
    now = utcnow()
    for _ in range(STAFF_MAX_FAILED_LOGINS - 1):
        assert accounts.record_failed_login(session, "teacher", now) is None
    locked = accounts.record_failed_login(session, "teacher", now)
    assert locked == now + STAFF_LOCKOUT
    assert accounts.locked_until(session, "teacher", now + timedelta(minutes=14)) is not None
    assert accounts.locked_until(session, "teacher", now + timedelta(minutes=16)) is None
    credentials = accounts.login_credentials(session, now)
    assert credentials["usernames"]["teacher"]["password"] == "!locked"
    assert accounts.login_credentials(session, now + timedelta(minutes=16))["usernames"]["teacher"][
        "password"
    ].startswith("$2")
    assert len(session.exec(select(AuditEvent).where(AuditEvent.action == "staff_locked")).all()) == 1


def test_successful_login_resets_the_failure_count(session, teacher):
    for _ in range(3):
        accounts.record_failed_login(session, "teacher")
    accounts.record_successful_login(session, "teacher")
    user = session.exec(select(StaffUser).where(StaffUser.username == "teacher")).one()
    assert user.failed_logins == 0


def test_disabled_staff_are_not_actors_and_cannot_sign_in(session, teacher):
    user = session.get(StaffUser, teacher.id)
    user.active = False
    session.add(user)
    session.flush()
    assert accounts.staff_actor(session, "teacher") is None
    assert "teacher" not in accounts.login_credentials(session)["usernames"]


@pytest.mark.parametrize(
    "password",
    ["olive lantern river", "ﻻ نافذة زيتون ﻻ", "\ufdfa\ufdfa" + "abcdefghij", "Ｆｕｌｌｗｉｄｔｈ ｐａｓｓ"],
    ids=["latin", "arabic-ligature", "grows-when-normalized", "fullwidth"],
)
def test_a_password_that_was_accepted_signs_in_through_the_sign_in_form(session, admin, password):
    """The sign-in form (streamlit-authenticator) checks the typed password, stripped, against the
    stored hash: whatever the rules accept must pass that check, in any script."""
    from streamlit_authenticator.utilities.hasher import Hasher

    user = accounts.create_staff(session, admin, "newcomer", "Mme Nouvelle", password)
    assert Hasher.check_pw(password.strip(), user.password_hash)
    assert accounts.check_password(password, user.password_hash)
