"""Staff accounts: school setup, passwords, sign-in with its growing delays, staff admin.

`sign_in` holds the whole staff sign-in rule (growing delays per username typed, kept in the
database by services/throttle.py; disabled accounts; the bcrypt check; the same work and the same
messages whatever was wrong, so nobody learns which usernames exist); `change_own_password` shares
its password check. A password change or reset and disabling an account end every session of the
account (services/staff_sessions.py). Pages get `StaffActor` and `StaffMember`, never a row with
its hash."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

import bcrypt
from sqlmodel import Session, func, select

from amane.i18n import LANGUAGES, N_, Nn_
from amane.models.db import insert_if_absent
from amane.models.tables import School, StaffUser, utcnow
from amane.services import audit, staff_sessions, throttle
from amane.services.errors import AccessDenied, Invalid
from amane.services.permissions import (
    Actor,
    StaffActor,
    require_admin,
    require_school_staff,
    require_staff,
    require_staff_account,
)
from amane.services.rules import (
    MAX_PASSWORD_BYTES,
    MAX_SCHOOL_NAME_LENGTH,
    MAX_STAFF_NAME_LENGTH,
    MAX_USERNAME_LENGTH,
    MIN_USERNAME_LENGTH,
    PASSWORD_MIN_DISTINCT_CHARACTERS,
    PASSWORD_MIN_LENGTH,
    STAFF_DELAYS,
)

USERNAME = re.compile(rf"[a-z0-9][a-z0-9._-]{{{MIN_USERNAME_LENGTH - 1},{MAX_USERNAME_LENGTH - 1}}}")
ROLES = ("teacher", "admin")
SIGN_IN_REFUSED = N_("The username or password is not right.")
TOO_MANY_TRIES = Nn_(
    "Too many tries. Wait {n} minute and try again.", "Too many tries. Wait {n} minutes and try again."
)
ALREADY_SET_UP = N_("This school is already set up.")


@dataclass(frozen=True)
class StaffMember:
    """A staff account as the admin page lists it."""

    id: int
    username: str
    display_name: str
    role: str
    active: bool


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    lines = (Path(__file__).with_name("common_passwords.txt")).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, username: str = "") -> Invalid | None:
    """Our password rule: PASSWORD_MIN_LENGTH characters or more (any script), not common, not the
    username, and no space at either end (sign_in strips them, so such a password could never
    sign in). Returns the refusal to raise, if any."""
    if password != password.strip():
        return Invalid(N_("The password must not start or end with a space."))
    normalized = unicodedata.normalize("NFKC", password)
    if len(normalized) < PASSWORD_MIN_LENGTH:
        return Invalid(
            Nn_(
                "The password must be at least {n} character long.",
                "The password must be at least {n} characters long.",
            ),
            n=PASSWORD_MIN_LENGTH,
        )
    lowered = normalized.casefold()
    if lowered in _common_passwords() or len(set(lowered)) < PASSWORD_MIN_DISTINCT_CHARACTERS:
        return Invalid(N_("This password is too common. Try three random words."))
    if username and username.casefold() in lowered:
        return Invalid(N_("The password must not contain the username."))
    return None


def password_too_long(password: str) -> bool:
    """bcrypt reads only the first 72 bytes, and refuses more."""
    return len(password.encode()) > MAX_PASSWORD_BYTES


def _require_good_password(password: str, username: str) -> None:
    if password_too_long(password):
        raise Invalid(
            Nn_(
                "This password is too long: at most {n} character, "
                "and accented or Arabic letters count as two.",
                "This password is too long: at most {n} characters, "
                "and accented or Arabic letters count as two.",
            ),
            n=MAX_PASSWORD_BYTES,
        )
    problem = password_problem(password, username)
    if problem:
        raise problem


def hash_password(password: str) -> str:
    """The password exactly as typed (the rule refuses spaces at either end, which sign_in strips)."""
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


@lru_cache(maxsize=1)
def _no_account_hash() -> str:
    """What a try on an unknown or disabled username is checked against, at the cost of a real
    hash: it takes as long as a wrong password, so the reply's timing does not tell which
    usernames exist."""
    return hash_password("no account has this password")


def check_password(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode(), hashed.encode())
    except ValueError:
        return False


def _validate_new_staff(session: Session, username: str, display_name: str, password: str) -> str:
    username = username.strip().lower()
    if not USERNAME.fullmatch(username):
        raise Invalid(
            N_("Usernames are {min}-{max} lowercase letters, digits, dots, dashes or underscores."),
            min=MIN_USERNAME_LENGTH,
            max=MAX_USERNAME_LENGTH,
        )
    if not display_name.strip() or len(display_name.strip()) > MAX_STAFF_NAME_LENGTH:
        raise Invalid(
            Nn_("Please enter a name (up to {n} character).", "Please enter a name (up to {n} characters)."),
            n=MAX_STAFF_NAME_LENGTH,
        )
    _require_good_password(password, username)
    if session.exec(select(StaffUser.id).where(StaffUser.username == username)).first():
        raise Invalid(N_("This username is already taken."))
    return username


def needs_setup(session: Session) -> bool:
    return session.exec(select(func.count()).select_from(School)).one() == 0


def create_school(
    session: Session, school_name: str, username: str, display_name: str, password: str
) -> StaffActor:
    """First run: the school and its admin. Refused once a school exists, also to the second of
    two people setting up at the same moment: the school is inserted only if absent (its unique
    `one_school`), so the loser gets the same refusal, without an error that would abort its
    transaction on PostgreSQL."""
    if not needs_setup(session):
        raise Invalid(ALREADY_SET_UP)
    if not school_name.strip() or len(school_name.strip()) > MAX_SCHOOL_NAME_LENGTH:
        raise Invalid(
            Nn_(
                "Please enter the school's name (up to {n} character).",
                "Please enter the school's name (up to {n} characters).",
            ),
            n=MAX_SCHOOL_NAME_LENGTH,
        )
    username = _validate_new_staff(session, username, display_name, password)
    password_hash = hash_password(password)  # before the insert: SQLite's write lock is held shorter
    if not insert_if_absent(session, School(name=school_name.strip()), "one_school"):
        raise Invalid(ALREADY_SET_UP)
    school_id = session.exec(select(School.id)).one()
    admin = StaffUser(
        school_id=school_id,
        username=username,
        display_name=display_name.strip(),
        password_hash=password_hash,
        role="admin",
    )
    session.add(admin)
    session.flush()
    audit.record(session, f"staff:{admin.id}", "school_created", f"school:{school_id}", school_id)
    return StaffActor.of(admin)


def create_staff(
    session: Session, actor: Actor, username: str, display_name: str, password: str, role: str = "teacher"
) -> StaffActor:
    admin = require_admin(actor)
    require_staff_account(session, admin)
    if role not in ROLES:
        raise Invalid(N_("Unknown role."))
    username = _validate_new_staff(session, username, display_name, password)
    user = StaffUser(
        school_id=admin.school_id,
        username=username,
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        role=role,
    )
    session.add(user)
    session.flush()
    audit.record(session, admin, "staff_created", f"staff:{user.id}", role=role)
    return StaffActor.of(user)


def sign_in(session: Session, username: str, password: str, now: datetime | None = None) -> StaffActor:
    """The staff sign-in rule, whole. Every refusal is an Invalid whose message does not tell
    whether the username exists: wrong tries are counted per username as typed, known or not
    (throttle.staff_key), and after STAFF_DELAYS.free of them each one makes the next try wait,
    longer each time; while a wait runs, any try is refused at once. Otherwise the same bcrypt work
    is done whatever the case (an unknown or disabled username is checked against a hash of its
    own). A wrong try is committed before raising; a right password forgets the wrong ones."""
    now = now or utcnow()
    key = throttle.staff_key(username)
    _refuse_while_waiting(session, key, now)
    user = session.exec(
        select(StaffUser).where(StaffUser.username == username.strip().lower(), StaffUser.active == True)  # noqa: E712
    ).first()
    # Leading and trailing spaces are dropped, as on every sign-in form; the rule refuses them.
    _check_password(session, user, key, password.strip(), now, SIGN_IN_REFUSED)
    throttle.clear(session, key)
    audit.record(session, f"staff:{user.id}", "staff_signed_in", school_id=user.school_id)
    return StaffActor.of(user)


def _refuse_while_waiting(session: Session, key: str, now: datetime) -> None:
    wait = throttle.wait_left(session, key, now)
    if wait:
        raise Invalid(TOO_MANY_TRIES, n=_whole_minutes(wait))


def _whole_minutes(wait: timedelta) -> int:
    return max(1, math.ceil(wait / timedelta(minutes=1)))


def _check_password(
    session: Session, user: StaffUser | None, key: str, password: str, now: datetime, wrong: str
) -> None:
    """The password check sign_in and change_own_password share: one bcrypt check whatever the
    case, and a wrong password counted under `key` and committed although we raise (like a wrong
    picture password), so that guessing slows down. `wrong` is the message for a wrong password;
    the try that starts a wait says how long instead."""
    right = check_password(password, user.password_hash if user is not None else _no_account_hash())
    if user is None or not right:
        wait = throttle.record_failure(session, key, STAFF_DELAYS, now)
        session.commit()
        if wait:
            raise Invalid(TOO_MANY_TRIES, n=_whole_minutes(wait))
        raise Invalid(wrong)


def set_staff_language(session: Session, actor: Actor, language: str) -> None:
    user = require_staff_account(session, actor)
    if language not in LANGUAGES:
        raise Invalid(N_("Please choose a language."))
    user.language = language
    session.add(user)


def staff_language(session: Session, actor: Actor) -> str | None:
    return require_staff_account(session, actor).language


def list_staff(session: Session, actor: Actor) -> list[StaffMember]:
    admin = require_admin(actor)
    users = session.exec(
        select(StaffUser).where(StaffUser.school_id == admin.school_id).order_by(StaffUser.display_name)
    ).all()
    return [StaffMember(user.id, user.username, user.display_name, user.role, user.active) for user in users]


def set_staff_active(session: Session, actor: Actor, staff_id: int, active: bool) -> None:
    """Disable or re-enable a staff account of the school. Disabling ends every session of the
    account at once, and it cannot sign in; its classes stay, visible to the admins."""
    admin = require_admin(actor)
    user = require_school_staff(session, admin, staff_id)
    if user.id == admin.id and not active:
        raise Invalid(N_("You cannot disable your own account."))
    if user.active != active:
        user.active = active
        session.add(user)
        if not active:
            staff_sessions.end_all(session, user.id)
        audit.record(session, admin, "staff_enabled" if active else "staff_disabled", f"staff:{user.id}")


def reset_staff_password(session: Session, actor: Actor, staff_id: int, new_password: str) -> None:
    """An admin gives a staff member a new password: every session of the account ends (whoever
    knew the old one is out), and its wrong tries are forgotten."""
    admin = require_admin(actor)
    user = require_school_staff(session, admin, staff_id)
    _require_good_password(new_password, user.username)
    user.password_hash = hash_password(new_password)
    session.add(user)
    staff_sessions.end_all(session, user.id)
    throttle.clear(session, throttle.staff_key(user.username))
    audit.record(session, admin, "staff_password_reset", f"staff:{user.id}")


def change_own_password(
    session: Session, actor: Actor, current_password: str, new_password: str, now: datetime | None = None
) -> None:
    """The current password is checked as sign_in checks it (a wrong one counts under the same
    key as a wrong sign-in, and waits alike), so this form cannot be used to guess passwords.
    Every session of the account ends, this one too: the page starts a new one for itself."""
    staff = require_staff(actor)
    now = now or utcnow()
    user = session.get(StaffUser, staff.id)
    if user is None or not user.active:
        raise AccessDenied()
    key = throttle.staff_key(user.username)
    _refuse_while_waiting(session, key, now)
    _check_password(session, user, key, current_password, now, N_("The current password is not right."))
    _require_good_password(new_password, user.username)
    if check_password(new_password, user.password_hash):
        raise Invalid(N_("The new password must be different from the current one."))
    user.password_hash = hash_password(new_password)
    session.add(user)
    staff_sessions.end_all(session, user.id)
    audit.record(session, staff, "staff_password_changed", f"staff:{user.id}")


def sign_in_wait_minutes(
    session: Session, actor: Actor, staff_id: int, now: datetime | None = None
) -> int | None:
    """How many minutes (rounded up) a staff member of the school must still wait before their
    next sign-in try, after wrong passwords typed with their username, or None: for the admin's
    unlock."""
    admin = require_admin(actor)
    user = require_school_staff(session, admin, staff_id)
    wait = throttle.wait_left(session, throttle.staff_key(user.username), now)
    return _whole_minutes(wait) if wait else None


def unlock_staff(session: Session, actor: Actor, staff_id: int) -> None:
    """An admin lets a staff member of the school sign in again at once: the wrong tries typed
    with their username are forgotten."""
    admin = require_admin(actor)
    user = require_school_staff(session, admin, staff_id)
    throttle.clear(session, throttle.staff_key(user.username))
    audit.record(session, admin, "staff_unlocked", f"staff:{user.id}")
