"""One pupil's record for their teacher: lessons, story choices and every answer."""

from __future__ import annotations

from amane.services import progress, pupil_report
from tests.unit.test_dashboard import LESSON, take_quiz


def test_pupil_report_shows_lessons_choices_and_every_answer(
    session, teacher, school_class, pupils, fixture_catalogue
):
    me = pupils[0][0]
    lesson = fixture_catalogue.lesson(LESSON)
    progress.save_step(session, me, LESSON, 3, len(lesson.steps))
    progress.record_choice(session, me, LESSON, 3, 0)
    session.flush()
    progress.record_choice(session, me, LESSON, 3, 1)
    session.flush()
    progress.record_choice(session, me, LESSON, 5, 1)
    progress.save_step(session, me, LESSON, 5, len(lesson.steps))
    session.commit()
    take_quiz(session, me, fixture_catalogue, wrong_ids={"first-step", "steps-order", "deleting"})
    take_quiz(session, me, fixture_catalogue, wrong_ids={"which-help"}, finish=False)

    report = pupil_report.pupil_report(session, teacher, me.id, fixture_catalogue)

    assert (report.name, report.class_name) == ("Adam", "CM2 A")
    [row] = report.lessons
    assert (row.lesson_id, row.status, row.step, row.furthest_step, row.total_steps) == (
        LESSON,
        "in_progress",
        5,
        5,
        7,
    )
    assert row.best_percent == 40
    assert [(s.step, [(text.en, best) for text, best in s.tries]) for s in row.scenarios] == [
        (3, [("Reply with something meaner", False), ("Screenshot, block and tell an adult", True)]),
        (5, [("Support your friend and report", True)]),
    ]
    first, second = row.attempts
    assert (first.number, first.score, first.max_score, first.percent) == (1, 2, 5, 40)
    assert (second.number, second.finished_at, second.percent) == (2, None, None)

    def shown(value):
        return value if isinstance(value, str) else value.en

    assert [
        (a.question_id, shown(a.prompt), [shown(g) for g in a.given], a.correct) for a in first.answers
    ] == [
        ("first-step", "Someone sends you a mean message. What first?", ["Reply"], False),
        ("which-help", "Who can help?", ["A parent", "A teacher"], True),
        ("deleting", "Deleting a post means it is gone forever.", ["True"], False),
        (
            "steps-order",
            "Put the steps in order.",
            ["Block and report", "Take a screenshot", "Stop and don't reply"],
            False,
        ),
        ("joke", "If someone feels hurt, the joke went too far.", ["True"], True),
    ]
    assert [(a.question_id, a.correct) for a in second.answers][:2] == [
        ("first-step", True),
        ("which-help", False),
    ]
    assert [shown(g) for g in second.answers[1].given] == ["A parent", "A teacher", "Nobody"]


def test_pupil_report_of_a_pupil_who_finished(session, teacher, school_class, pupils, fixture_catalogue):
    me = pupils[1][0]
    lesson = fixture_catalogue.lesson(LESSON)
    progress.complete_lesson(session, me, LESSON, len(lesson.steps))
    take_quiz(session, me, fixture_catalogue)

    [row] = pupil_report.pupil_report(session, teacher, me.id, fixture_catalogue).lessons

    assert (row.status, row.best_percent, row.scenarios, len(row.attempts)) == ("done", 100, [], 1)
