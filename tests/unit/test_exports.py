"""CSV exports of a class: the progress table (as the progress page shows it) and quiz answers."""

from __future__ import annotations

import csv
import io

import pytest
from sqlmodel import select

from amane import i18n
from amane.models.tables import AuditEvent, utcnow
from amane.services import classes, exports, lesson_status, progress, quizzes
from amane.services.permissions import PupilActor

LESSON = "sample-9-11"


def _read(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")  # Excel reads UTF-8 (Arabic) only with the BOM
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def _take_quiz(session, pupil, catalogue, right: set[str]) -> None:
    quiz = catalogue.quiz_for(LESSON)
    attempt = quizzes.open_attempt(session, pupil, quiz)
    for question in quiz.questions:
        good = question.id in right
        if question.kind == "single":
            answer = [next(o.id for o in question.options if o.correct == good)]
        elif question.kind == "multiple":
            answer = [o.id for o in question.options if o.correct] + ([] if good else ["nobody"])
        elif question.kind == "true_false":
            answer = [question.answer if good else not question.answer]
        else:
            answer = list(range(len(question.items)))[:: 1 if good else -1]
        quizzes.submit_answer(session, pupil, attempt.id, question, answer)
    quizzes.finish_attempt(session, pupil, attempt.id, quiz)


@pytest.fixture
def class_work(session, teacher, school_class, pupils, fixture_catalogue):
    """Adam: lesson done, quiz 3/5 then 5/5. Yasmine: half-way, no quiz. Omar: nothing yet."""
    adam, yasmine = pupils[0][0], pupils[1][0]
    steps = len(fixture_catalogue.lesson(LESSON).steps)
    progress.complete_lesson(session, adam, LESSON, steps)
    _take_quiz(session, adam, fixture_catalogue, {"first-step", "deleting", "joke"})
    _take_quiz(session, adam, fixture_catalogue, {q.id for q in fixture_catalogue.quiz_for(LESSON).questions})
    progress.save_step(session, yasmine, LESSON, 2, steps)
    quizzes.open_attempt(session, yasmine, fixture_catalogue.quiz_for(LESSON))  # unfinished: not exported
    session.commit()
    return pupils


def test_dashboard_csv_shows_what_the_progress_page_shows(
    session, teacher, school_class, class_work, fixture_catalogue
):
    rows = _read(exports.dashboard_csv(session, teacher, school_class.id, fixture_catalogue, "en"))
    assert rows == [["Pupil", "Sample lesson"], ["Adam", "✔ 100%"], ["Omar", "—"], ["Yasmine", "◐"]]
    table = lesson_status.class_grid(session, teacher, school_class.id, fixture_catalogue)
    assert [row[1] for row in rows[1:]] == [table.cell(pid, LESSON).text for pid, _ in table.pupils]


def test_dashboard_csv_follows_the_language(session, teacher, school_class, class_work, fixture_catalogue):
    assert _read(exports.dashboard_csv(session, teacher, school_class.id, fixture_catalogue, "fr"))[0] == [
        "Élève",
        "Leçon exemple",
    ]
    assert _read(exports.dashboard_csv(session, teacher, school_class.id, fixture_catalogue, "ar"))[0] == [
        "التلميذ",
        "درس نموذجي",
    ]


def test_an_export_in_the_class_language_leaves_the_language_of_the_run_alone(
    session, teacher, school_class, class_work, fixture_catalogue
):
    i18n.set_language("fr")  # the teacher reads the page in French
    try:
        progress_ar = _read(exports.dashboard_csv(session, teacher, school_class.id, fixture_catalogue, "ar"))
        quiz_ar = _read(exports.quiz_results_csv(session, teacher, school_class.id, fixture_catalogue, "ar"))
        quiz_en = _read(exports.quiz_results_csv(session, teacher, school_class.id, fixture_catalogue, "en"))
        assert i18n.current_language() == "fr"
    finally:
        i18n.set_language("en")
    assert progress_ar[0] == ["التلميذ", "درس نموذجي"]
    assert quiz_ar[0][:6] == ["التلميذ", "الدرس", "المحاولة", "النتيجة", "من أصل", "تاريخ الإنهاء"]
    assert quiz_ar[1][1] == "درس نموذجي"
    assert quiz_en[0][:6] == ["Pupil", "Lesson", "Attempt", "Score", "Out of", "Finished on"]


def test_quiz_results_csv_has_one_row_per_finished_attempt(
    session, teacher, school_class, class_work, fixture_catalogue
):
    questions = [q.id for q in fixture_catalogue.quiz_for(LESSON).questions]
    today = utcnow().date().isoformat()
    rows = _read(exports.quiz_results_csv(session, teacher, school_class.id, fixture_catalogue, "en"))
    assert rows == [
        ["Pupil", "Lesson", "Attempt", "Score", "Out of", "Finished on", *questions],
        ["Adam", "Sample lesson", "1", "3", "5", today, "right", "wrong", "right", "wrong", "right"],
        ["Adam", "Sample lesson", "2", "5", "5", today, *["right"] * 5],
    ]
    assert questions == ["first-step", "which-help", "deleting", "steps-order", "joke"]


def test_arabic_names_survive_and_formulas_are_made_inert(session, teacher, school_class, fixture_catalogue):
    classes.add_pupils(session, teacher, school_class.id, 'ياسمين\n=HYPERLINK("http://x")\n@SUM(A1)\n＝1+1')
    session.commit()
    text = exports.dashboard_csv(session, teacher, school_class.id, fixture_catalogue, "ar")
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    names = sorted(row[0] for row in _read(text)[1:])
    assert names == sorted(["ياسمين", '\'=HYPERLINK("http://x")', "'@SUM(A1)", "'＝1+1"])


def test_quiz_results_for_pupils_of_the_class_only(
    session, teacher, other_teacher, school_class, class_work, fixture_catalogue
):
    other = classes.create_class(session, other_teacher, "CM2 B", "9-11", "en", fixture_catalogue)
    added = classes.add_pupils(session, other_teacher, other.id, "Zineb").added[0].pupil
    _take_quiz(session, PupilActor(added.id, other.id, other.school_id, "Zineb"), fixture_catalogue, set())
    session.commit()
    mine = _read(exports.quiz_results_csv(session, teacher, school_class.id, fixture_catalogue, "en"))
    theirs = _read(exports.quiz_results_csv(session, other_teacher, other.id, fixture_catalogue, "en"))
    assert [row[0] for row in mine[1:]] == ["Adam", "Adam"]
    assert [row[:4] for row in theirs[1:]] == [["Zineb", "Sample lesson", "1", "0"]]


def test_quiz_results_query_count_does_not_grow_with_the_class(
    session, teacher, school_class, class_work, fixture_catalogue, count_queries
):
    session.expunge_all()
    with count_queries() as small:
        exports.quiz_results_csv(session, teacher, school_class.id, fixture_catalogue, "en")
    session.rollback()
    added = classes.add_pupils(session, teacher, school_class.id, "\n".join(f"Pupil {i}" for i in range(20)))
    for new in added.added:
        actor = PupilActor(new.pupil.id, school_class.id, school_class.school_id, new.pupil.display_name)
        _take_quiz(session, actor, fixture_catalogue, {"joke"})
    session.commit()
    session.expunge_all()
    with count_queries() as large:
        text = exports.quiz_results_csv(session, teacher, school_class.id, fixture_catalogue, "en")
    assert len(_read(text)) == 1 + 2 + 20
    assert small.count == large.count


def test_exports_are_recorded_in_the_audit_log(session, teacher, school_class, fixture_catalogue):
    exports.dashboard_csv(session, teacher, school_class.id, fixture_catalogue, "en")
    exports.quiz_results_csv(session, teacher, school_class.id, fixture_catalogue, "en")
    session.flush()
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "class_exported")).all()
    assert [(e.actor, e.target, e.detail) for e in events] == [
        (teacher.ref, f"class:{school_class.id}", {"kind": "progress"}),
        (teacher.ref, f"class:{school_class.id}", {"kind": "quiz_results"}),
    ]
