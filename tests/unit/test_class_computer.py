"""A class computer: the cookie that names its class counts only if we signed it for that use and
it has not expired, and the door it opens keeps the sign-in rules of the class-code door."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from amane.services import classes, throttle
from amane.services.errors import Invalid
from amane.services.pictures import PICTURES
from amane.services.rules import PUPIL_MAX_FAILED_LOGINS
from amane.settings import get_settings
from amane.views import auth

CLIENT = throttle.client_key("203.0.113.9")


def _token(claims: dict, key: str | None = None) -> str:
    return jwt.encode(claims, key or get_settings().cookie_key, algorithm="HS256")


def _claims(code: str, **changes) -> dict:
    claims = {
        "sub": code,
        "exp": datetime.now(UTC) + timedelta(days=30),
        "aud": auth.CLASS_COMPUTER_AUDIENCE,
    }
    return {**claims, **changes}


def test_our_class_computer_cookie_names_its_class(app_env, school_class):
    assert auth.class_computer_code(_token(_claims(school_class.join_code))) == school_class.join_code


def test_a_forged_or_expired_class_computer_cookie_is_ignored(app_env, school_class):
    code = school_class.join_code
    forged = _token(_claims(code), key="someone else's key, long enough for HS256")
    expired = _token(_claims(code, exp=datetime.now(UTC) - timedelta(seconds=1)))
    for token in (forged, expired, "not a token", "", None):
        assert auth.class_computer_code(token) is None


def test_the_staff_cookie_and_the_class_computer_cookie_cannot_stand_for_each_other(app_env, school_class):
    staff_token = _token({"sub": "teacher", "exp": datetime.now(UTC) + timedelta(days=1)})
    computer_token = _token(_claims(school_class.join_code))
    assert auth.class_computer_code(staff_token) is None  # no class-computer audience
    assert auth._subject(computer_token) is None  # noqa: SLF001  (how the staff cookie is read)
    assert auth._subject(staff_token) == "teacher"  # noqa: SLF001
    no_audience = _token({"sub": school_class.join_code, "exp": datetime.now(UTC) + timedelta(days=1)})
    assert auth.class_computer_code(no_audience) is None


def test_the_class_computer_door_is_the_class_door_in_two_queries(
    session, count_queries, school_class, pupils
):
    with count_queries() as counter:
        door = classes.open_class(session, school_class.join_code)
    assert counter.count == 2
    assert door.join_code == school_class.join_code
    assert [name for _, name in door.pupils] == ["Adam", "Omar", "Yasmine"]


def test_an_archived_class_gives_no_door(session, teacher, school_class):
    classes.archive_class(session, teacher, school_class.id)
    session.commit()
    assert classes.open_class(session, school_class.join_code) is None


def test_sign_in_through_the_door_keeps_the_lockout(session, teacher, school_class, pupils):
    actor, pictures = pupils[0]
    wrong = [next(p for p in PICTURES if p != pictures[0]), *pictures[1:]]
    for tries_left in range(PUPIL_MAX_FAILED_LOGINS - 1, 0, -1):
        with pytest.raises(classes.WrongPictures) as raised:
            classes.pupil_sign_in(session, school_class.join_code, actor.id, wrong, CLIENT)
        assert raised.value.tries_left == tries_left
    with pytest.raises(classes.PupilLocked):
        classes.pupil_sign_in(session, school_class.join_code, actor.id, wrong, CLIENT)
    with pytest.raises(classes.PupilLocked):  # the right pictures no longer open
        classes.pupil_sign_in(session, school_class.join_code, actor.id, list(pictures), CLIENT)


def test_a_pupil_of_another_class_cannot_sign_in_through_this_class(
    session, teacher, school_class, pupils, fixture_catalogue
):
    other = classes.create_class(session, teacher, "CM1 B", "9-11", "fr", fixture_catalogue)
    added = classes.add_pupils(session, teacher, other.id, "Zoé").added[0]
    session.commit()
    with pytest.raises(Invalid):
        classes.pupil_sign_in(session, school_class.join_code, added.pupil.id, list(added.pictures), CLIENT)
