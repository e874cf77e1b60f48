"""Lesson progress, scenario choices, quiz attempts and grading."""

import pytest
from sqlmodel import select

from amane.models.tables import QuizAnswer, QuizAttempt
from amane.services import lesson_status, progress, quizzes
from amane.services.errors import Invalid

LESSON = "sample-9-11"


def test_progress_resumes_at_the_step_reached(session, pupils, fixture_catalogue):
    me = pupils[0][0]
    total = len(fixture_catalogue.lesson(LESSON).steps)
    assert progress.current_step(session, me, LESSON) == 0
    progress.save_step(session, me, LESSON, 4, total)
    session.commit()
    assert progress.current_step(session, me, LESSON) == 4
    assert progress.my_lessons(session, me, fixture_catalogue)[0][1].status == "in_progress"


def test_scenario_choices_are_recorded_once_each_in_order(session, pupils):
    me = pupils[0][0]
    for choice in (1, 0, 1):
        progress.record_choice(session, me, LESSON, 3, choice)
        session.flush()
    assert progress.tried_choices(session, me, LESSON, 3) == [1, 0]


@pytest.mark.parametrize("kind", ["single", "multiple", "true_false", "ordering"])
def test_grading_each_question_kind(fixture_catalogue, kind):
    question = next(q for q in fixture_catalogue.quiz_for(LESSON).questions if q.kind == kind)
    assert question.grade(question.right_answer())
    assert question.answer_problem(question.right_answer()) is None
    assert question.wrong_answers()
    assert all(question.answer_problem(answer) is None for answer in question.wrong_answers())
    assert all(not question.grade(answer) for answer in question.wrong_answers())


def test_quiz_attempt_records_every_answer_and_scores_it(session, pupils, fixture_catalogue):
    me = pupils[0][0]
    quiz = fixture_catalogue.quiz_for(LESSON)
    attempt = quizzes.open_attempt(session, me, quiz)
    for index, question in enumerate(quiz.questions):
        answer = (
            question.right_answer()
            if index % 2 == 0
            else (
                [not question.answer]
                if question.kind == "true_false"
                else list(range(len(question.items)))[::-1]
                if question.kind == "ordering"
                else [next(o.id for o in question.options if not o.correct)]
            )
        )
        quizzes.submit_answer(session, me, attempt.id, question, answer)
    finished = quizzes.finish_attempt(session, me, attempt.id, quiz)
    session.commit()
    assert finished.score == 3 and finished.max_score == 5
    assert len(session.exec(select(QuizAnswer).where(QuizAnswer.attempt_id == attempt.id)).all()) == 5


def test_submitting_twice_and_finishing_twice_change_nothing(session, pupils, fixture_catalogue):
    me = pupils[0][0]
    quiz = fixture_catalogue.quiz_for(LESSON)
    attempt = quizzes.open_attempt(session, me, quiz)
    first = quiz.questions[0]
    assert quizzes.submit_answer(session, me, attempt.id, first, first.right_answer()) is True
    assert quizzes.submit_answer(session, me, attempt.id, first, ["reply"]) is True
    with pytest.raises(Invalid):
        quizzes.finish_attempt(session, me, attempt.id, quiz)
    for question in quiz.questions[1:]:
        quizzes.submit_answer(session, me, attempt.id, question, question.right_answer())
    quizzes.finish_attempt(session, me, attempt.id, quiz)
    quizzes.finish_attempt(session, me, attempt.id, quiz)
    session.commit()
    assert len(session.exec(select(QuizAnswer)).all()) == 5
    assert session.exec(select(QuizAttempt)).one().score == 5


def test_retake_opens_a_new_numbered_attempt(session, pupils, fixture_catalogue):
    me = pupils[0][0]
    quiz = fixture_catalogue.quiz_for(LESSON)
    for expected in (1, 2):
        attempt = quizzes.open_attempt(session, me, quiz)
        assert attempt.number == expected
        assert quizzes.open_attempt(session, me, quiz).id == attempt.id  # unfinished: same attempt
        for question in quiz.questions:
            quizzes.submit_answer(session, me, attempt.id, question, question.right_answer())
        quizzes.finish_attempt(session, me, attempt.id, quiz)
        session.commit()


def test_answers_are_validated(session, pupils, fixture_catalogue):
    me = pupils[0][0]
    quiz = fixture_catalogue.quiz_for(LESSON)
    attempt = quizzes.open_attempt(session, me, quiz)
    with pytest.raises(Invalid):
        quizzes.submit_answer(session, me, attempt.id, quiz.questions[0], ["no-such-option"])
    ordering = next(q for q in quiz.questions if q.kind == "ordering")
    with pytest.raises(Invalid):
        quizzes.submit_answer(session, me, attempt.id, ordering, [0, 0, 1])


def test_another_pupil_cannot_use_my_attempt(session, pupils, fixture_catalogue):
    from amane.services.errors import AccessDenied

    quiz = fixture_catalogue.quiz_for(LESSON)
    attempt = quizzes.open_attempt(session, pupils[0][0], quiz)
    with pytest.raises(AccessDenied):
        quizzes.submit_answer(session, pupils[1][0], attempt.id, quiz.questions[0], ["keep"])


def test_teacher_table_shows_status_and_best_score(session, teacher, school_class, pupils, fixture_catalogue):
    me = pupils[0][0]
    lesson = fixture_catalogue.lesson(LESSON)
    quiz = fixture_catalogue.quiz_for(LESSON)
    progress.complete_lesson(session, me, LESSON, len(lesson.steps))
    attempt = quizzes.open_attempt(session, me, quiz)
    for question in quiz.questions:
        quizzes.submit_answer(session, me, attempt.id, question, question.right_answer())
    quizzes.finish_attempt(session, me, attempt.id, quiz)
    progress.save_step(session, pupils[1][0], LESSON, 2, len(lesson.steps))
    session.commit()
    table = lesson_status.class_grid(session, teacher, school_class.id, fixture_catalogue)
    assert table.cell(me.id, LESSON).status == "done" and table.cell(me.id, LESSON).percent == 100
    assert table.cell(pupils[1][0].id, LESSON).status == "in_progress"
    assert table.cell(pupils[2][0].id, LESSON).status == "new"


def test_class_table_query_count_does_not_grow_with_the_class(
    session, teacher, school_class, count_queries, fixture_catalogue
):
    from amane.services import classes

    session.expunge_all()
    with count_queries() as small:
        lesson_status.class_grid(session, teacher, school_class.id, fixture_catalogue)
    classes.add_pupils(session, teacher, school_class.id, "\n".join(f"Pupil {i}" for i in range(40)))
    session.commit()
    session.expunge_all()
    with count_queries() as large:
        lesson_status.class_grid(session, teacher, school_class.id, fixture_catalogue)
    assert small.count == large.count == 5
