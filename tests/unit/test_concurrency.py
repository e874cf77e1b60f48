"""No lost data: many pupils at the same moment, the same pupil clicking twice or working in two
tabs. Each thread is its own unit of work on its own connection, like a Streamlit session."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import func, select

from amane.models.db import session_scope
from amane.models.tables import (
    AuditEvent,
    HelpRequest,
    LessonProgress,
    Pupil,
    QuizAnswer,
    QuizAttempt,
    ScenarioChoice,
)
from amane.services import classes, help_requests, progress, quizzes, throttle
from amane.services.permissions import PupilActor

LESSON = "sample-9-11"
PUPILS = 30


def _together(count: int, work: Callable[[int, threading.Barrier], object]) -> list:
    """Run work(i, barrier) in `count` threads at once; re-raise the first error."""
    barrier = threading.Barrier(count, timeout=120)
    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(work, index, barrier) for index in range(count)]
        return [future.result() for future in futures]


@pytest.fixture
def class_of_30(session, teacher, school_class) -> list[PupilActor]:
    names = "\n".join(f"Pupil {number:02d}" for number in range(PUPILS))
    added = classes.add_pupils(session, teacher, school_class.id, names).added
    session.commit()
    return [
        PupilActor(p.pupil.id, school_class.id, school_class.school_id, p.pupil.display_name) for p in added
    ]


def test_thirty_pupils_finishing_a_quiz_at_the_same_moment_leave_exactly_their_records(
    engine, session, class_of_30, fixture_catalogue
):
    lesson = fixture_catalogue.lesson(LESSON)
    quiz = fixture_catalogue.quiz_for(LESSON)
    total = len(lesson.steps)

    def pupil_finishes(index: int, barrier: threading.Barrier) -> tuple[int, int]:
        me = class_of_30[index]
        barrier.wait()
        with session_scope(engine) as db:
            progress.complete_lesson(db, me, LESSON, total)
        barrier.wait()
        with session_scope(engine) as db:
            attempt_id = quizzes.open_attempt(db, me, quiz).id
        for number, question in enumerate(quiz.questions):
            right = number < index % (len(quiz.questions) + 1)  # pupil i gets min(i, n) right
            answer = question.right_answer() if right else question.wrong_answers()[0]
            barrier.wait()
            with session_scope(engine) as db:
                quizzes.submit_answer(db, me, attempt_id, question, answer)
        barrier.wait()
        with session_scope(engine) as db:
            finished = quizzes.finish_attempt(db, me, attempt_id, quiz)
        return attempt_id, finished.score

    results = _together(PUPILS, pupil_finishes)

    questions = len(quiz.questions)
    expected_scores = [min(index % (questions + 1), questions) for index in range(PUPILS)]
    assert [score for _, score in results] == expected_scores
    session.expire_all()
    attempts = session.exec(select(QuizAttempt).order_by(QuizAttempt.pupil_id)).all()
    assert [(a.pupil_id, a.number, a.score) for a in attempts] == [
        (me.id, 1, score) for me, score in zip(class_of_30, expected_scores, strict=True)
    ]
    assert all(a.finished_at is not None and a.max_score == questions for a in attempts)
    assert sorted(a.id for a in attempts) == sorted(attempt_id for attempt_id, _ in results)
    assert session.exec(select(func.count()).select_from(QuizAnswer)).one() == PUPILS * questions
    rows = session.exec(select(LessonProgress)).all()
    assert len(rows) == PUPILS
    assert all(row.completed_at is not None and row.furthest_step == total - 1 for row in rows)


def test_the_same_pupil_clicking_in_many_tabs_at_once_records_everything_once(
    engine, session, pupils, fixture_catalogue
):
    me = pupils[0][0]
    lesson = fixture_catalogue.lesson(LESSON)
    quiz = fixture_catalogue.quiz_for(LESSON)
    total = len(lesson.steps)
    tabs = 8

    def save(index: int, barrier: threading.Barrier) -> None:
        barrier.wait()
        with session_scope(engine) as db:
            progress.save_step(db, me, LESSON, index % total, total)
            progress.record_choice(db, me, LESSON, 3, index % 2)

    _together(tabs, save)
    row = session.exec(select(LessonProgress)).one()
    assert row.furthest_step == min(tabs - 1, total - 1)
    assert sorted(session.exec(select(ScenarioChoice.choice)).all()) == [0, 1]

    def open_quiz(_index: int, barrier: threading.Barrier) -> int:
        barrier.wait()
        with session_scope(engine) as db:
            return quizzes.open_attempt(db, me, quiz).id

    attempt_ids = set(_together(tabs, open_quiz))
    assert len(attempt_ids) == 1
    attempt_id = attempt_ids.pop()
    first = quiz.questions[0]

    def answer(index: int, barrier: threading.Barrier) -> bool:
        given = first.right_answer() if index % 2 else first.wrong_answers()[0]
        barrier.wait()
        with session_scope(engine) as db:
            return quizzes.submit_answer(db, me, attempt_id, first, given)

    verdicts = set(_together(tabs, answer))
    assert len(verdicts) == 1  # every tab is told the one answer that was kept
    stored = session.exec(select(QuizAnswer)).one()
    assert stored.correct in verdicts
    with session_scope(engine) as db:
        for question in quiz.questions[1:]:
            quizzes.submit_answer(db, me, attempt_id, question, question.right_answer())

    def finish(_index: int, barrier: threading.Barrier) -> tuple:
        barrier.wait()
        with session_scope(engine) as db:
            done = quizzes.finish_attempt(db, me, attempt_id, quiz)
            return done.score, done.finished_at

    assert len(set(_together(tabs, finish))) == 1
    session.expire_all()
    assert session.exec(select(func.count()).select_from(QuizAttempt)).one() == 1
    assert session.exec(select(func.count()).select_from(QuizAnswer)).one() == len(quiz.questions)


def test_repeated_clicks_change_nothing(session, pupils, fixture_catalogue):
    me = pupils[0][0]
    total = len(fixture_catalogue.lesson(LESSON).steps)
    quiz = fixture_catalogue.quiz_for(LESSON)

    progress.complete_lesson(session, me, LESSON, total)
    session.commit()
    completed = session.exec(select(LessonProgress.completed_at)).one()
    progress.complete_lesson(session, me, LESSON, total)
    session.commit()
    assert session.exec(select(LessonProgress.completed_at)).one() == completed

    attempt = quizzes.open_attempt(session, me, quiz)
    assert quizzes.open_attempt(session, me, quiz).id == attempt.id
    for question in quiz.questions:
        assert quizzes.submit_answer(session, me, attempt.id, question, question.right_answer())
        assert quizzes.submit_answer(session, me, attempt.id, question, question.wrong_answers()[0])
    first = quizzes.finish_attempt(session, me, attempt.id, quiz)
    session.commit()
    again = quizzes.finish_attempt(session, me, attempt.id, quiz)
    assert (again.score, again.finished_at) == (first.score, first.finished_at) == (
        len(quiz.questions),
        first.finished_at,
    )
    assert session.exec(select(func.count()).select_from(QuizAttempt)).one() == 1

    sent = help_requests.ask_for_help(session, me, "mean", in_person=True)
    assert help_requests.ask_for_help(session, me, "mean", in_person=True).id == sent.id
    other = help_requests.ask_for_help(session, me, "contact", in_person=False)
    session.commit()
    assert other.id != sent.id
    assert session.exec(select(func.count()).select_from(HelpRequest)).one() == 2


def test_a_race_lost_inside_a_unit_of_work_keeps_the_rest_of_it(session, engine, pupils, fixture_catalogue):
    """The tab that loses the race to create the progress row still saves the choice it made
    earlier in the same unit of work (a rollback-and-retry would have thrown it away)."""
    me = pupils[0][0]
    total = len(fixture_catalogue.lesson(LESSON).steps)
    with session_scope(engine) as other_tab:
        progress.save_step(other_tab, me, LESSON, 2, total)
    progress.record_choice(session, me, LESSON, 3, 1)
    progress.save_step(session, me, LESSON, 1, total)
    session.commit()
    assert session.exec(select(ScenarioChoice.choice)).all() == [1]
    row = session.exec(select(LessonProgress)).one()
    assert (row.step, row.furthest_step) == (1, 2)


def test_wrong_passwords_tried_at_the_same_moment_all_count_towards_the_wait(engine, session, teacher):
    from datetime import timedelta

    from amane.models.tables import utcnow
    from amane.services import accounts, throttle
    from amane.services.errors import Invalid
    from amane.services.rules import STAFF_DELAYS

    def wrong_password(_index: int, barrier: threading.Barrier) -> object:
        barrier.wait()
        with session_scope(engine) as db:
            try:
                accounts.sign_in(db, teacher.username, "wrong password!!")
            except Invalid as refused:
                return refused.message
        return "signed in"

    replies = _together(STAFF_DELAYS.free + 1, wrong_password)
    assert accounts.TOO_MANY_TRIES in replies and "signed in" not in replies
    session.expire_all()  # the threads wrote through their own sessions
    key = throttle.staff_key(teacher.username)
    assert throttle.failures(session, key, utcnow() - timedelta(hours=1)) == STAFF_DELAYS.free + 1


def test_wrong_pictures_tried_at_the_same_moment_all_count_towards_the_lockout(
    engine, session, school_class, pupils
):
    from amane.services.classes import PupilLocked, WrongPictures
    from amane.services.pictures import PICTURES
    from amane.services.rules import PUPIL_MAX_FAILED_LOGINS

    me, pictures = pupils[0]
    wrong = [picture for picture in PICTURES if picture not in pictures][: len(pictures)]

    client = throttle.client_key("203.0.113.5")

    def wrong_pictures(_index: int, barrier: threading.Barrier) -> str:
        barrier.wait()
        with session_scope(engine) as db:
            try:
                classes.pupil_sign_in(db, school_class.join_code, me.id, wrong, client)
            except (WrongPictures, PupilLocked) as refusal:
                return type(refusal).__name__
        return "signed in"

    outcomes = _together(PUPIL_MAX_FAILED_LOGINS, wrong_pictures)
    assert "PupilLocked" in outcomes and "signed in" not in outcomes
    session.expire_all()
    locked = session.get(Pupil, me.id)
    assert locked.locked_until is not None and locked.failed_logins == 0  # the fifth try locked, once
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "pupil_locked")).all()
    assert len(events) == 1
