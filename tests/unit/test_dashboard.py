"""The teacher's class dashboard: matrix, charts' numbers, needs-help rules, difficult
questions, access, and fixed query counts (a pupil's record: test_pupil_report.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from amane.models.tables import HelpRequest, LessonProgress, QuizAttempt, utcnow
from amane.services import classes, dashboard, help_requests, progress, pupil_report, quizzes
from amane.services.errors import AccessDenied
from amane.services.permissions import PupilActor
from amane.services.rules import (
    NEEDS_HELP_LOW_SCORE,
    NEEDS_HELP_LOW_SCORE_AFTER_ATTEMPTS,
    NEEDS_HELP_WRONG_ON_SAME_QUESTION,
)

LESSON = "sample-9-11"


def _wrong(question) -> list:
    """A wrong answer; for a multiple-choice question, every option ticked."""
    return [o.id for o in question.options] if question.kind == "multiple" else question.wrong_answers()[0]


def take_quiz(session, me, catalogue, wrong_ids=(), finish=True):
    """One attempt: every question right except those in `wrong_ids`."""
    quiz = catalogue.quiz_for(LESSON)
    attempt = quizzes.open_attempt(session, me, quiz)
    for question in quiz.questions:
        answer = _wrong(question) if question.id in wrong_ids else question.right_answer()
        quizzes.submit_answer(session, me, attempt.id, question, answer)
    if finish:
        quizzes.finish_attempt(session, me, attempt.id, quiz)
    session.commit()
    return attempt


def finished_attempts(session, me, scores, max_score):
    """Finished attempts written directly, for scores the 5-question quiz cannot give."""
    for number, score in enumerate(scores, start=1):
        session.add(
            QuizAttempt(
                pupil_id=me.id,
                lesson_id=LESSON,
                number=number,
                score=score,
                max_score=max_score,
                finished_at=utcnow(),
            )
        )
    session.commit()


def needs_help(session, teacher, school_class, catalogue) -> dict[str, list[tuple[str, dict]]]:
    board = dashboard.class_dashboard(session, teacher, school_class.id, catalogue)
    return {entry.name: [(r.message, r.params) for r in entry.reasons] for entry in board.needs_help}


def test_thresholds_come_from_the_rules():
    assert dashboard.NEEDS_HELP_WRONG_ON_SAME_QUESTION is NEEDS_HELP_WRONG_ON_SAME_QUESTION == 3
    assert dashboard.NEEDS_HELP_LOW_SCORE is NEEDS_HELP_LOW_SCORE == 0.5
    assert dashboard.NEEDS_HELP_LOW_SCORE_AFTER_ATTEMPTS is NEEDS_HELP_LOW_SCORE_AFTER_ATTEMPTS == 2


def test_matrix_completion_topics_and_activity(session, teacher, school_class, pupils, fixture_catalogue):
    adam, yasmine, omar = (p[0] for p in pupils)
    lesson = fixture_catalogue.lesson(LESSON)
    progress.complete_lesson(session, adam, LESSON, len(lesson.steps))
    take_quiz(session, adam, fixture_catalogue, wrong_ids={"joke"})  # 4/5
    progress.save_step(session, yasmine, LESSON, 2, len(lesson.steps))
    take_quiz(session, yasmine, fixture_catalogue, wrong_ids={"joke", "deleting", "first-step"})  # 2/5
    session.commit()

    board = dashboard.class_dashboard(session, teacher, school_class.id, fixture_catalogue)

    assert board.class_name == "CM2 A"
    assert board.lesson_ids == [LESSON]
    assert [name for _, name in board.pupils] == ["Adam", "Omar", "Yasmine"]
    status = lambda cell: (cell.status, cell.percent, cell.attempts)  # noqa: E731
    assert status(board.cell(adam.id, LESSON)) == ("done", 80, 1)
    assert status(board.cell(yasmine.id, LESSON)) == ("in_progress", 40, 1)
    assert status(board.cell(omar.id, LESSON)) == ("new", None, 0)
    assert [(s.lesson_id, s.done, s.pupils) for s in board.lessons] == [(LESSON, 1, 3)]
    assert board.lessons[0].completion == pytest.approx(1 / 3)
    assert board.topics == [dashboard.TopicScore("cyberbullying", 60.0, 2)]
    today = utcnow().date()
    assert [day.day for day in board.activity] == [today - timedelta(days=n) for n in range(13, -1, -1)]
    assert board.activity[-1] == dashboard.DayActivity(today, 2, 10)
    assert all((day.steps, day.answers) == (0, 0) for day in board.activity[:-1])
    assert board.needs_help == []


def test_activity_counts_only_the_last_14_days(session, teacher, school_class, pupils, fixture_catalogue):
    lesson = fixture_catalogue.lesson(LESSON)
    for me, _ in pupils:
        progress.save_step(session, me, LESSON, 1, len(lesson.steps))
    session.commit()
    rows = session.exec(select(LessonProgress).order_by(LessonProgress.id)).all()
    now = utcnow()
    rows[0].updated_at = now - timedelta(days=13)  # the first day shown
    rows[1].updated_at = now - timedelta(days=14)  # one day too old
    session.add_all(rows)
    session.commit()

    board = dashboard.class_dashboard(session, teacher, school_class.id, fixture_catalogue, now=now)

    assert len(board.activity) == dashboard.ACTIVITY_DAYS == 14
    assert [day.steps for day in board.activity] == [1] + [0] * 12 + [1]
    assert sum(day.answers for day in board.activity) == 0


@pytest.mark.parametrize("status, flagged", [("new", True), ("acknowledged", True), ("resolved", False)])
def test_needs_help_when_a_help_request_is_open(
    session, teacher, admin, school_class, pupils, fixture_catalogue, status, flagged
):
    request = help_requests.ask_for_help(session, pupils[1][0], "mean", False)
    help_requests.ask_for_help(session, pupils[1][0], "upset", False)
    help_requests.set_status(session, teacher, request.id, status)
    for other in session.exec(select(HelpRequest).where(HelpRequest.id != request.id)).all():
        help_requests.set_status(session, teacher, other.id, "resolved")
    session.commit()

    found = needs_help(session, teacher, school_class, fixture_catalogue)

    expected = {"Yasmine": [(dashboard.REASON_HELP_REQUEST, {"requests": 1})]} if flagged else {}
    assert found == expected


@pytest.mark.parametrize("wrong_times, flagged", [(3, True), (2, False)])
def test_needs_help_after_wrong_answers_on_the_same_question(
    session, teacher, school_class, pupils, fixture_catalogue, wrong_times, flagged
):
    me = pupils[0][0]
    for _ in range(wrong_times):  # one wrong answer per attempt, on the same question: 4/5 each time
        take_quiz(session, me, fixture_catalogue, wrong_ids={"first-step"})
    take_quiz(session, pupils[1][0], fixture_catalogue, wrong_ids={"joke"})  # other pupil,
    take_quiz(session, pupils[2][0], fixture_catalogue, wrong_ids={"joke"})  # same question: not summed

    found = needs_help(session, teacher, school_class, fixture_catalogue)

    if flagged:
        title = fixture_catalogue.lesson(LESSON).title
        assert found == {"Adam": [(dashboard.REASON_WRONG_ANSWERS, {"n": 3, "lesson": title})]}
    else:
        assert found == {}


def test_wrong_answers_in_an_unfinished_attempt_count(
    session, teacher, school_class, pupils, fixture_catalogue
):
    me = pupils[0][0]
    take_quiz(session, me, fixture_catalogue, wrong_ids={"deleting"})
    take_quiz(session, me, fixture_catalogue, wrong_ids={"deleting"})
    take_quiz(session, me, fixture_catalogue, wrong_ids={"deleting"}, finish=False)

    found = needs_help(session, teacher, school_class, fixture_catalogue)

    assert [params["n"] for _, params in found["Adam"]] == [3]


@pytest.mark.parametrize(
    "scores, flagged",
    [
        ([49, 10], True),  # best 49% after 2 attempts
        ([50, 10], False),  # best exactly 50%: not under
        ([49], False),  # one attempt only
    ],
)
def test_needs_help_after_low_scores(
    session, teacher, school_class, pupils, fixture_catalogue, scores, flagged
):
    finished_attempts(session, pupils[2][0], scores, max_score=100)

    found = needs_help(session, teacher, school_class, fixture_catalogue)

    if flagged:
        title = fixture_catalogue.lesson(LESSON).title
        assert found == {
            "Omar": [
                (
                    dashboard.REASON_LOW_SCORE,
                    {"percent": 49, "n": 2, "lesson": title},
                )
            ]
        }
    else:
        assert found == {}


def test_low_score_through_real_attempts_and_unfinished_ones_do_not_count(
    session, teacher, school_class, pupils, fixture_catalogue
):
    me = pupils[0][0]
    three_wrong = {"first-step", "which-help", "deleting"}
    take_quiz(session, me, fixture_catalogue, wrong_ids=three_wrong)  # 2/5
    take_quiz(session, me, fixture_catalogue, wrong_ids=three_wrong, finish=False)
    assert needs_help(session, teacher, school_class, fixture_catalogue) == {}
    attempt = session.exec(select(QuizAttempt).where(QuizAttempt.finished_at == None)).one()  # noqa: E711
    quizzes.finish_attempt(session, me, attempt.id, fixture_catalogue.quiz_for(LESSON))
    session.commit()

    found = needs_help(session, teacher, school_class, fixture_catalogue)

    assert [(params["percent"], params["n"]) for _, params in found["Adam"]] == [(40, 2)]


def test_a_pupil_with_several_reasons_is_listed_once_help_requests_first(
    session, teacher, school_class, pupils, fixture_catalogue
):
    omar, yasmine = pupils[2][0], pupils[1][0]
    for _ in range(3):
        take_quiz(session, omar, fixture_catalogue, wrong_ids={"first-step", "which-help", "deleting"})
    help_requests.ask_for_help(session, yasmine, "contact", True)
    help_requests.ask_for_help(session, omar, "other", False)
    session.commit()

    board = dashboard.class_dashboard(session, teacher, school_class.id, fixture_catalogue)

    assert [entry.name for entry in board.needs_help] == ["Omar", "Yasmine"]
    assert [reason.kind for reason in board.needs_help[0].reasons] == [
        "help_request",
        "wrong_answers",
        "low_score",
    ]


def test_difficult_questions_ranked_with_option_counts_and_misconceptions(
    session, teacher, school_class, pupils, fixture_catalogue
):
    adam, yasmine, omar = (p[0] for p in pupils)
    take_quiz(session, adam, fixture_catalogue, wrong_ids={"first-step", "steps-order"})
    take_quiz(session, yasmine, fixture_catalogue, wrong_ids={"first-step", "steps-order", "which-help"})
    take_quiz(session, omar, fixture_catalogue, wrong_ids={"steps-order"})
    other_class = classes.create_class(session, teacher, "CM2 B", "9-11", "en", fixture_catalogue)
    outsider = classes.add_pupils(session, teacher, other_class.id, "Sami").added[0].pupil
    session.commit()
    take_quiz(
        session,
        PupilActor(outsider.id, other_class.id, other_class.school_id, "Sami"),
        fixture_catalogue,
        wrong_ids={"joke"},
    )

    ranked = dashboard.difficult_questions(session, teacher, school_class.id, LESSON, fixture_catalogue)

    assert [(q.question_id, q.wrong, q.answers) for q in ranked] == [
        ("steps-order", 3, 3),
        ("first-step", 2, 3),
        ("which-help", 1, 3),
        ("deleting", 0, 3),
        ("joke", 0, 3),  # the other class's wrong answer is not counted
    ]
    assert ranked[1].wrong_share == pytest.approx(2 / 3)
    quiz = {q.id: q for q in fixture_catalogue.quiz_for(LESSON).questions}
    order, first, multiple, deleting = ranked[0], ranked[1], ranked[2], ranked[3]
    assert [(o.label, o.chosen, o.correct, o.misconception) for o in order.options] == [
        ("Right order", 0, True, None),
        ("Wrong order", 3, False, quiz["steps-order"].misconception),
    ]
    assert [(o.label.en, o.chosen, o.correct) for o in first.options] == [
        ("Reply", 2, False),
        ("Keep evidence and tell an adult", 1, True),
    ]
    assert first.options[0].misconception.en == "Replying will make them stop."
    assert first.options[1].misconception is None
    assert [(o.label.en, o.chosen) for o in multiple.options] == [
        ("A parent", 3),
        ("A teacher", 3),
        ("Nobody", 1),
    ]
    assert multiple.options[2].misconception.en == "I must handle it alone."
    assert [(o.label, o.chosen, o.correct) for o in deleting.options] == [
        ("True", 0, False),
        ("False", 3, True),
    ]
    assert deleting.options[0].misconception.en == "Deleting means gone."


def test_difficult_questions_of_a_lesson_without_answers_or_quiz(
    session, teacher, school_class, pupils, fixture_catalogue
):
    ranked = dashboard.difficult_questions(session, teacher, school_class.id, LESSON, fixture_catalogue)
    assert [q.question_id for q in ranked] == [q.id for q in fixture_catalogue.quiz_for(LESSON).questions]
    assert all(q.answers == 0 and q.wrong_share == 0 for q in ranked)
    assert (
        dashboard.difficult_questions(session, teacher, school_class.id, "no-such", fixture_catalogue) == []
    )


def test_only_the_class_teacher_or_a_school_admin_may_look(
    session, teacher, other_teacher, admin, school_class, pupils, fixture_catalogue
):
    pupil_id = pupils[0][0].id
    for intruder in (other_teacher, pupils[0][0], None):
        with pytest.raises(AccessDenied):
            dashboard.class_dashboard(session, intruder, school_class.id, fixture_catalogue)
        with pytest.raises(AccessDenied):
            dashboard.difficult_questions(session, intruder, school_class.id, LESSON, fixture_catalogue)
        with pytest.raises(AccessDenied):
            pupil_report.pupil_report(session, intruder, pupil_id, fixture_catalogue)
    assert (
        dashboard.class_dashboard(session, admin, school_class.id, fixture_catalogue).class_id
        == school_class.id
    )
    assert pupil_report.pupil_report(session, admin, pupil_id, fixture_catalogue).name == "Adam"
    assert len(dashboard.difficult_questions(session, admin, school_class.id, LESSON, fixture_catalogue)) == 5


def _seed_everyone(session, teacher, school_class, catalogue):
    """Progress, a quiz attempt, a scenario choice and a help request for every pupil."""
    lesson = catalogue.lesson(LESSON)
    for index, pupil in enumerate(classes.list_pupils(session, teacher, school_class.id)):
        me = PupilActor(pupil.id, school_class.id, school_class.school_id, pupil.display_name)
        progress.save_step(session, me, LESSON, 3, len(lesson.steps))
        progress.record_choice(session, me, LESSON, 3, index % 2)
        take_quiz(session, me, catalogue, wrong_ids={"first-step"} if index % 2 else ())
        if index % 3 == 0:
            help_requests.ask_for_help(session, me, "other", False)
    session.commit()


def test_query_counts_do_not_grow_with_the_class(
    session, teacher, school_class, pupils, fixture_catalogue, count_queries
):
    _seed_everyone(session, teacher, school_class, fixture_catalogue)
    counts = []
    for size in (3, 43):
        if size == 43:
            classes.add_pupils(session, teacher, school_class.id, "\n".join(f"Pupil {i}" for i in range(40)))
            session.commit()
            _seed_everyone(session, teacher, school_class, fixture_catalogue)
        session.expunge_all()
        with count_queries() as board_queries:
            board = dashboard.class_dashboard(session, teacher, school_class.id, fixture_catalogue)
        session.expunge_all()
        with count_queries() as question_queries:
            dashboard.difficult_questions(session, teacher, school_class.id, LESSON, fixture_catalogue)
        session.expunge_all()
        with count_queries() as report_queries:
            pupil_report.pupil_report(session, teacher, board.pupils[-1][0], fixture_catalogue)
        assert len(board.pupils) == size and board.needs_help
        counts.append((board_queries.count, question_queries.count, report_queries.count))
    # The reads of a pupil's page and of the help requests the board shows are audited (one
    # INSERT ... WHERE NOT EXISTS each): class_dashboard 9 (8 without requests), pupil_report 8.
    assert counts == [(9, 2, 8), (9, 2, 8)]


def test_needs_help_on_its_own_is_two_queries_and_what_the_dashboard_shows(
    session, teacher, school_class, pupils, fixture_catalogue, count_queries
):
    _seed_everyone(session, teacher, school_class, fixture_catalogue)
    board = dashboard.class_dashboard(session, teacher, school_class.id, fixture_catalogue)
    with count_queries() as counter:
        found = dashboard.needs_help(session, school_class.id, board.pupils, board.cells, fixture_catalogue)
    assert counter.count == 2
    assert found == board.needs_help
    assert [entry.name for entry in found][:1] == ["Adam"]  # his open help request puts him first
