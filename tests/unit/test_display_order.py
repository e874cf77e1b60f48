"""Options and scenario choices are shown in an order that cannot be learnt: shuffled per quiz
attempt (per pupil and lesson for scenarios), the same on every rerun and in every process, and
graded by option id whatever the order shown."""

from __future__ import annotations

import subprocess
import sys

from amane.models.content import Ordering, SingleChoice
from amane.services import progress, quizzes
from amane.services.permissions import PupilActor

LESSON = "sample-9-11"


def _single(catalogue) -> SingleChoice:
    return next(q for q in catalogue.quiz_for(LESSON).questions if isinstance(q, SingleChoice))


def test_an_attempt_shows_the_same_order_every_time_and_every_option_once(fixture_catalogue):
    question = _single(fixture_catalogue)
    order = quizzes.display_order(question, 17)
    assert order == quizzes.display_order(question, 17)
    assert sorted(order) == list(range(len(question.options)))


def test_the_order_is_the_same_in_another_process(fixture_catalogue):
    """Replicas and restarts: the order comes from the attempt, not from the process."""
    question = _single(fixture_catalogue)
    code = (
        "from amane.models.content import shuffled_order;"
        f"print(shuffled_order({len(question.options)}, '17:{question.id}'))"
    )
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert other.stdout.strip() == str(quizzes.display_order(question, 17))


def test_the_right_option_moves_between_attempts(real_catalogue):
    """Across 60 attempts, the right option of every 3-option question stands in every place."""
    for quiz in real_catalogue.quizzes.values():
        for question in quiz.questions:
            if not isinstance(question, SingleChoice):
                continue
            right = next(i for i, option in enumerate(question.options) if option.correct)
            places = {quizzes.display_order(question, attempt).index(right) for attempt in range(1, 61)}
            assert places == set(range(len(question.options))), (quiz.id, question.id)


def test_an_ordering_question_is_never_shown_already_in_order(real_catalogue):
    for quiz in real_catalogue.quizzes.values():
        for question in quiz.questions:
            if isinstance(question, Ordering):
                for attempt in range(1, 41):
                    assert quizzes.display_order(question, attempt) != question.right_answer()


def test_grading_does_not_depend_on_the_order_shown(session, pupils, fixture_catalogue):
    me = pupils[0][0]
    quiz = fixture_catalogue.quiz_for(LESSON)
    progress.save_step(session, me, LESSON, 1, len(fixture_catalogue.lesson(LESSON).steps))
    attempt = quizzes.open_attempt(session, me, quiz)
    question = _single(fixture_catalogue)
    shown = [question.options[i] for i in quizzes.display_order(question, attempt.id)]
    right_id = next(option.id for option in shown if option.correct)
    assert quizzes.submit_answer(session, me, attempt.id, question, [right_id]) is True


def test_scenario_choices_are_shuffled_per_pupil_and_stable_for_each(pupils):
    first, second = pupils[0][0], pupils[1][0]
    assert progress.choice_order(first, LESSON, 3, 3) == progress.choice_order(first, LESSON, 3, 3)
    orders = {
        tuple(progress.choice_order(PupilActor(pid, first.class_id, first.school_id, "x"), LESSON, 3, 3))
        for pid in range(1, 40)
    }
    assert len(orders) > 1
    assert sorted(progress.choice_order(second, LESSON, 3, 3)) == [0, 1, 2]
