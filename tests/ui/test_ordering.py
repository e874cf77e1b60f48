"""The ordering question in the pupil's quiz: steps tapped one by one, numbered in the answer,
undo and start again, graded by the model (no drop-down, no "Select all")."""

from __future__ import annotations

import pytest
from sqlmodel import select

from amane.models.content import Ordering
from amane.models.tables import QuizAnswer
from amane.services import progress, quizzes
from amane.testing.apptest import button, new_app, sign_in_pupil, texts

LESSON = "sample-9-11"


@pytest.fixture
def ordering(app_env, session, school_class, pupils, fixture_catalogue):
    """The pupil's quiz showing its ordering question (the questions before it answered):
    (the page, the question, the step texts in the order shown)."""
    me, pictures = pupils[0]
    lesson = fixture_catalogue.lesson(LESSON)
    quiz = fixture_catalogue.quiz_for(LESSON)
    progress.complete_lesson(session, me, LESSON, len(lesson.steps))
    attempt = quizzes.open_attempt(session, me, quiz)
    position = next(i for i, q in enumerate(quiz.questions) if isinstance(q, Ordering))
    for question in quiz.questions[:position]:
        quizzes.submit_answer(session, me, attempt.id, question, question.right_answer())
    session.commit()
    question = quiz.questions[position]
    at = sign_in_pupil(new_app().run(), school_class.join_code, me.display_name, pictures)
    at = button(at, "Quiz").click().run()
    shown = [question.items[i].en for i in quizzes.display_order(question, attempt.id)]
    return at, question, shown


def steps(at) -> list:
    return [b for b in at.button if b.key and "_step_" in b.key]


def tap(at, text: str):
    return next(b for b in steps(at) if b.label == text).click().run()


def recorded(session) -> list[QuizAnswer]:
    session.expire_all()
    return session.exec(select(QuizAnswer).where(QuizAnswer.question_id == "steps-order")).all()


def test_steps_are_big_buttons_in_the_shuffled_order_with_no_drop_down(ordering):
    at, question, shown = ordering
    assert [b.label for b in steps(at)] == shown
    assert shown != [item.en for item in question.items]  # never shown already in order
    assert len(at.multiselect) == 0
    assert "Select all" not in texts(at)
    assert "Tap the step that comes first." in texts(at)
    assert all(b.disabled for b in at.button if b.label in ("Undo last", "Start again"))


def test_each_tap_puts_the_step_next_with_its_number_and_the_right_order_is_right(ordering, session):
    at, question, _ = ordering
    items = [item.en for item in question.items]
    at = tap(at, items[0])
    assert f"1. {items[0]}" in texts(at)
    assert next(b for b in steps(at) if b.label == items[0]).disabled  # a placed step cannot be tapped twice
    at = tap(at, items[1])
    at = tap(at, items[2])
    assert f"1. {items[0]}\n2. {items[1]}\n3. {items[2]}" in texts(at)
    assert "Every step is in place. Now check your answer." in texts(at)
    at = button(at, "Check my answer").click().run()
    assert "Right!" in texts(at)
    assert [(a.answer, a.correct) for a in recorded(session)] == [([0, 1, 2], True)]


def test_undo_last_and_start_again_then_a_wrong_order_is_graded_wrong(ordering, session):
    at, question, _ = ordering
    items = [item.en for item in question.items]
    at = tap(tap(at, items[2]), items[0])
    at = button(at, "Undo last").click().run()
    assert f"1. {items[2]}" in texts(at) and f"2. {items[0]}" not in texts(at)
    assert not next(b for b in steps(at) if b.label == items[0]).disabled
    at = button(at, "Start again").click().run()
    assert "1. " not in texts(at) and "Tap the step that comes first." in texts(at)
    for item in (items[1], items[0], items[2]):
        at = tap(at, item)
    at = button(at, "Check my answer").click().run()
    assert "Not quite." in texts(at) and "The right order:" in texts(at)
    assert f"1. {items[0]}" in texts(at)  # the right order is taught
    assert [(a.answer, a.correct) for a in recorded(session)] == [([1, 0, 2], False)]


def test_checking_before_every_step_is_placed_asks_for_the_rest(ordering, session):
    at, question, _ = ordering
    at = tap(at, question.items[0].en)
    at = button(at, "Check my answer").click().run()
    assert "Please answer the question first." in texts(at)
    assert f"1. {question.items[0].en}" in texts(at)  # what was placed stays
    assert recorded(session) == []
