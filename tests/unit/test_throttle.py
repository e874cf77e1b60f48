"""Guessing picture passwords and class codes: growing delays per class and per client
(services/throttle.py, with the `now` argument instead of waiting), pupil locks that expire, the
teacher's alert and a new class code. And the chance that guessing gets into an account."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import func, select

from amane.models.tables import Pupil
from amane.services import classes, throttle
from amane.services.errors import Invalid
from amane.services.pictures import PICTURES
from amane.services.rules import (
    CLASS_ALERT_WINDOW,
    CLASS_PICTURE_DELAYS,
    CLIENT_DELAYS,
    PICTURE_PASSWORD_LENGTH,
    PICTURE_SET_SIZE,
    PUPIL_LOCKOUT,
    PUPIL_MAX_FAILED_LOGINS,
    Delays,
)

START = datetime(2030, 3, 2, 8, 0, tzinfo=UTC)  # a school morning
CLIENT = throttle.client_key("203.0.113.7")
OTHER_CLIENT = throttle.client_key("198.51.100.20")
COMBINATIONS = PICTURE_SET_SIZE**PICTURE_PASSWORD_LENGTH


def _wrong(pictures: tuple[str, ...]) -> list[str]:
    return [next(p for p in PICTURES if p != pictures[0]), *pictures[1:]]


# ---------------------------------------------------------------- the chance of guessing


def _tries_in_a_day(session, key: str, delays: Delays, burst: int | None) -> int:
    """Wrong tries one attacker gets in 24 h under `key`: each as soon as allowed, and with
    `burst`, after that many a pause until the failures are forgotten."""
    now, end, tries, in_burst, last = START, START + timedelta(days=1), 0, 0, START
    while True:
        if burst is not None and in_burst == burst:
            now, in_burst = last + delays.forget_after + timedelta(seconds=1), 0
        now += throttle.wait_left(session, key, now) or timedelta(0)
        if now >= end:
            return tries
        throttle.record_failure(session, key, delays, now)
        tries, in_burst, last = tries + 1, in_burst + 1, now


def test_guessing_gets_into_no_account_of_a_class_with_a_chance_of_one_in_a_hundred_a_day(session):
    """The wrong picture tries of a whole class share one growing delay, whoever taps and from
    whichever computer; so T, the most tries an attacker gets in 24 h against one class (always as
    soon as allowed, or pausing so that failures are forgotten, whichever gives more), bounds the
    guessing in that class. Each try checks one password of one pupil, so it can open at most one
    account, and the chance that any of T tries opens any account of the class is at most
    T / 16^4, for any number of pupils and any order of guesses (without repeats on a pupil, that
    bound is exact for one pupil). Per-pupil locks and per-client delays only lower T."""
    key = throttle.class_key(1)
    per_strategy = {}
    # Bursts of free + 1 or fewer all go at once, so free + 1 gets the most of those.
    for burst in [None, *range(CLASS_PICTURE_DELAYS.free + 1, CLASS_PICTURE_DELAYS.free + 12)]:
        throttle.clear(session, key)
        per_strategy[burst] = _tries_in_a_day(session, key, CLASS_PICTURE_DELAYS, burst)
    tries = max(per_strategy.values())
    assert per_strategy[None] < tries  # pausing pays a little, and is counted
    assert 1 - (1 - 1 / COMBINATIONS) ** tries < 0.01
    assert tries / COMBINATIONS < 0.01  # the union bound: any number of pupils
    # A class of 30: the attacker spreads the T tries over the pupils, never repeating a guess.
    per_pupil = [tries // 30 + (1 if i < tries % 30 else 0) for i in range(30)]
    no_account = 1.0
    for guesses in per_pupil:
        no_account *= 1 - guesses / COMBINATIONS
    assert 1 - no_account < 0.01
    assert COMBINATIONS == 65_536 and tries <= 390  # what the README says: under 0.6% a day


def test_class_delays_grow_and_are_forgotten_after_a_quiet_while(session):
    key, delays = throttle.class_key(2), CLASS_PICTURE_DELAYS
    now = START
    for _ in range(delays.free):
        assert throttle.record_failure(session, key, delays, now) is None
    waits = []
    for _ in range(8):
        waits.append(throttle.record_failure(session, key, delays, now))
        assert throttle.wait_left(session, key, now) == waits[-1]
        now += waits[-1]
        assert throttle.wait_left(session, key, now) is None
    first = delays.first_delay
    assert waits == [
        first,
        2 * first,
        4 * first,
        8 * first,
        16 * first,
        32 * first,
        delays.max_delay,
        delays.max_delay,
    ]
    later = now + delays.forget_after + timedelta(seconds=1)
    assert throttle.record_failure(session, key, delays, later) is None  # counted from 1 again
    assert throttle.failures(session, key, later - timedelta(minutes=1)) == 1


# ---------------------------------------------------------------- pupils' sign-in


def test_a_locked_pupil_signs_in_by_themselves_after_the_lockout(session, school_class, pupils):
    actor, pictures = pupils[0]
    for _ in range(PUPIL_MAX_FAILED_LOGINS - 1):
        with pytest.raises(classes.WrongPictures):
            classes.pupil_sign_in(session, school_class.join_code, actor.id, _wrong(pictures), CLIENT, START)
    with pytest.raises(classes.PupilLocked):
        classes.pupil_sign_in(session, school_class.join_code, actor.id, _wrong(pictures), CLIENT, START)
    almost = START + PUPIL_LOCKOUT - timedelta(seconds=1)
    with pytest.raises(classes.PupilLocked):
        classes.pupil_sign_in(session, school_class.join_code, actor.id, list(pictures), CLIENT, almost)
    after = START + PUPIL_LOCKOUT
    assert (
        classes.pupil_sign_in(session, school_class.join_code, actor.id, list(pictures), CLIENT, after).id
        == actor.id
    )
    session.commit()
    # And the count starts again: the next wrong try leaves all the tries but one.
    with pytest.raises(classes.WrongPictures) as wrong:
        classes.pupil_sign_in(session, school_class.join_code, actor.id, _wrong(pictures), CLIENT, after)
    assert wrong.value.tries_left == PUPIL_MAX_FAILED_LOGINS - 1


def test_while_the_class_waits_no_try_is_checked_not_even_the_right_pictures(session, school_class, pupils):
    (adam, adam_pictures), (yasmine, yasmine_pictures) = pupils[0], pupils[1]
    now = START
    for number in range(CLASS_PICTURE_DELAYS.free + 1):  # spread over pupils: no pupil is locked
        actor, pictures = pupils[number % 3]
        with pytest.raises(classes.WrongPictures):
            classes.pupil_sign_in(session, school_class.join_code, actor.id, _wrong(pictures), CLIENT, now)
        now += timedelta(minutes=1)
    now -= timedelta(minutes=1)
    for client in (CLIENT, OTHER_CLIENT):  # from any computer
        with pytest.raises(classes.TryLater):
            classes.pupil_sign_in(
                session, school_class.join_code, yasmine.id, list(yasmine_pictures), client, now
            )
    now += CLASS_PICTURE_DELAYS.first_delay
    assert classes.pupil_sign_in(
        session, school_class.join_code, yasmine.id, list(yasmine_pictures), OTHER_CLIENT, now
    )
    assert classes.pupil_sign_in(
        session, school_class.join_code, adam.id, list(adam_pictures), OTHER_CLIENT, now
    )


def test_one_client_slowed_down_in_one_class_is_slowed_down_in_another(
    session, teacher, school_class, pupils, fixture_catalogue
):
    other = classes.create_class(session, teacher, "CM1 B", "9-11", "fr", fixture_catalogue)
    zoe = classes.add_pupils(session, teacher, other.id, "Zoé").added[0]
    session.commit()
    now = START
    for number in range(CLIENT_DELAYS.free + 1):
        actor, pictures = pupils[number % 3]
        with pytest.raises(classes.WrongPictures):
            classes.pupil_sign_in(session, school_class.join_code, actor.id, _wrong(pictures), CLIENT, now)
        now += timedelta(seconds=30)  # slower than the class's own delays need
    now -= timedelta(seconds=30)
    with pytest.raises(classes.TryLater):
        classes.pupil_sign_in(session, other.join_code, zoe.pupil.id, list(zoe.pictures), CLIENT, now)
    assert classes.pupil_sign_in(
        session, other.join_code, zoe.pupil.id, list(zoe.pictures), OTHER_CLIENT, now
    )


def test_one_client_cannot_lock_the_whole_class(session, teacher, school_class):
    """The review's attack: with only the class code, every wrong try allowed on each of 16
    pupils. The class's delays make it take long, so few pupils are locked at any moment, and once
    the last lock has run out every pupil signs in."""
    names = "\n".join(f"Pupil {number:02}" for number in range(16))
    added = [
        (p.pupil.id, p.pictures) for p in classes.add_pupils(session, teacher, school_class.id, names).added
    ]
    session.commit()
    now, most_locked = START, 0
    for pupil_id, pictures in added:
        for _ in range(PUPIL_MAX_FAILED_LOGINS):
            while True:
                try:
                    classes.pupil_sign_in(
                        session, school_class.join_code, pupil_id, _wrong(pictures), CLIENT, now
                    )
                except classes.TryLater:
                    now += max(
                        throttle.wait_left(session, k, now) or timedelta(0) for k in _keys(school_class)
                    )
                    continue
                except (classes.WrongPictures, classes.PupilLocked):
                    break
            locked = session.exec(
                select(func.count()).select_from(Pupil).where(Pupil.locked_until > now)
            ).one()
            most_locked = max(most_locked, locked)
    assert most_locked <= 3, most_locked  # of 16
    now += PUPIL_LOCKOUT
    for pupil_id, pictures in added:
        assert classes.pupil_sign_in(
            session, school_class.join_code, pupil_id, list(pictures), OTHER_CLIENT, now
        )


def _wait(session, key: str, now: datetime) -> timedelta:
    return throttle.wait_left(session, key, now) or timedelta(0)


def _keys(school_class) -> list[str]:
    return [throttle.class_key(school_class.id), CLIENT]


# ---------------------------------------------------------------- class codes


def test_wrong_class_codes_slow_the_client_down_and_are_logged_without_the_code(
    session, school_class, caplog
):
    caplog.set_level(logging.WARNING, logger="amane.security")
    now = START
    for number in range(CLIENT_DELAYS.free):
        assert classes.open_class(session, f"WRNG{number:04}", CLIENT, now) is None
    assert classes.open_class(session, "WRONGONE", CLIENT, now) is None  # one too many: a delay
    for code in ("WRONGTWO", school_class.join_code):  # even the right code waits
        with pytest.raises(classes.TryLater):
            classes.open_class(session, code, CLIENT, now)
    assert classes.open_class(session, school_class.join_code, OTHER_CLIENT, now).class_id == school_class.id
    now += CLIENT_DELAYS.first_delay
    assert classes.open_class(session, school_class.join_code, CLIENT, now).class_id == school_class.id
    assert classes.open_class(session, "WRONGTWO", CLIENT, now) is None
    with pytest.raises(classes.TryLater):  # twice as long this time
        classes.open_class(session, school_class.join_code, CLIENT, now + CLIENT_DELAYS.first_delay)
    lines = [r.getMessage() for r in caplog.records if r.name == "amane.security"]
    assert len(lines) == CLIENT_DELAYS.free + 2
    prefix = CLIENT.removeprefix("client:")[:8]
    assert lines[0] == f"wrong class code from client {prefix} (1 wrong tries lately)"
    assert lines[-1] == (
        f"wrong class code from client {prefix} ({CLIENT_DELAYS.free + 2} wrong tries lately, next try waits "
        f"{2 * CLIENT_DELAYS.first_delay.total_seconds():.0f} s)"
    )
    logged = "\n".join(lines)
    assert "WRONG" not in logged and "203.0.113.7" not in logged and school_class.join_code not in logged
    later = now + CLIENT_DELAYS.forget_after + timedelta(seconds=1)
    assert classes.open_class(session, "WRONGTRI", CLIENT, later) is None  # forgotten: free again
    assert throttle.wait_left(session, CLIENT, later) is None


def test_a_code_read_from_a_class_computer_is_not_counted(session, school_class, count_queries):
    for _ in range(CLIENT_DELAYS.free + 3):
        assert classes.open_class(session, "WRONGONE") is None
    with count_queries() as counter:  # a typed code: the client's delay is read first
        assert classes.open_class(session, school_class.join_code, CLIENT, START).class_id == school_class.id
    assert counter.count == 3


# ---------------------------------------------------------------- the teacher's alert


def test_many_wrong_tries_alert_the_teacher_who_gives_a_new_code(
    session, teacher, other_teacher, admin, school_class, pupils, count_queries
):
    now = START
    for number in range(CLASS_PICTURE_DELAYS.free):
        actor, pictures = pupils[number % 3]
        with pytest.raises(classes.WrongPictures):
            classes.pupil_sign_in(session, school_class.join_code, actor.id, _wrong(pictures), CLIENT, now)
    assert classes.classes_with_many_wrong_tries(session, teacher, now) == []  # a class's usual mistakes
    actor, pictures = pupils[0]
    with pytest.raises((classes.WrongPictures, classes.PupilLocked)):
        classes.pupil_sign_in(session, school_class.join_code, actor.id, _wrong(pictures), CLIENT, now)
    with count_queries() as counter:
        alerts = classes.classes_with_many_wrong_tries(session, teacher, now)
    assert counter.count == 2
    assert [c.name for c in alerts] == ["CM2 A"]
    assert [c.name for c in classes.classes_with_many_wrong_tries(session, admin, now)] == ["CM2 A"]
    assert classes.classes_with_many_wrong_tries(session, other_teacher, now) == []
    assert classes.classes_with_many_wrong_tries(session, teacher, now + CLASS_ALERT_WINDOW) == []
    code = classes.change_class_code(session, teacher, school_class.id)
    assert classes.classes_with_many_wrong_tries(session, teacher, now) == []
    yasmine, pictures = pupils[1]
    with pytest.raises(Invalid):  # a door opened with the old code signs nobody in
        classes.pupil_sign_in(session, school_class.join_code, yasmine.id, list(pictures), OTHER_CLIENT, now)
    # The new code's door opens at once: the class's delays were forgotten.
    assert classes.pupil_sign_in(session, code, yasmine.id, list(pictures), OTHER_CLIENT, now)
