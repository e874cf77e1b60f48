"""The before-and-after check (issue 17, item 1): what a pupil owes, what is stored, the class's
gain per topic (pupils with one check only counted apart), who may read it, and the content."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest
from sqlmodel import select

from amane.clock import utcnow
from amane.models.content_loader import ContentInvalid, load_catalogue
from amane.models.impact import resolve
from amane.models.impact_tables import ImpactAnswer, ImpactCheck
from amane.models.tables import SchoolClass
from amane.services import assignments, classes, impact, privacy
from amane.services.errors import AccessDenied, Invalid
from amane.services.permissions import PupilActor
from amane.settings import ROOT
from tests.conftest import finish_lesson

LESSON = "dont-feed-the-bully-9-11"


@pytest.fixture
def course(real_catalogue):
    return real_catalogue


@pytest.fixture
def cm2(session, teacher, course) -> tuple[int, list[PupilActor]]:
    """A 9-11 class doing one lesson, of Adam, Yasmine and Omar."""
    created = classes.create_class(session, teacher, "CM2 A", "9-11", "en", course)
    assignments.set_assignments(session, teacher, created.id, [LESSON], {}, course)
    added = classes.add_pupils(session, teacher, created.id, "Adam\nYasmine\nOmar").added
    session.commit()
    return created.id, [
        PupilActor(new.pupil.id, created.id, created.school_id, new.pupil.display_name) for new in added
    ]


def _take(session, pupil, course, phase: str, right: bool) -> None:
    state = impact.open_check(session, pupil, course, phase)
    for item in state.questions:
        question = item.question
        answer = question.right_answer() if right else question.wrong_answers()[0]
        impact.record_answer(session, pupil, course, phase, item.lesson_id, question.id, answer)
    session.commit()


def test_a_pupil_owes_the_before_check_until_a_lesson_is_started_and_the_after_check_once_all_are_done(
    session, cm2, course
):
    _, (adam, yasmine, _) = cm2
    assert impact.owed_check(session, adam, course) == "before"
    _take(session, adam, course, "before", right=False)
    assert impact.owed_check(session, adam, course) is None
    finish_lesson(session, adam, course, LESSON)
    assert impact.owed_check(session, adam, course) == "after"
    _take(session, adam, course, "after", right=True)
    assert impact.owed_check(session, adam, course) is None
    results = impact.my_results(session, adam, course)
    assert len(results) == len(course.checks["9-11"].items)
    assert all(r.before is False and r.after is True for r in results)

    # A pupil who started a lesson before taking the check skips it, and owes the after check.
    finish_lesson(session, yasmine, course, LESSON)
    assert impact.owed_check(session, yasmine, course) == "after"
    with pytest.raises(AccessDenied):
        impact.open_check(session, yasmine, course, "before")


def test_the_first_answer_stays_and_only_the_checks_questions_are_taken(session, cm2, course):
    _, (adam, *_) = cm2
    state = impact.open_check(session, adam, course, "before")
    first = state.next_question
    question = first.question
    assert (
        impact.record_answer(
            session, adam, course, "before", first.lesson_id, question.id, question.right_answer()
        )
        is True
    )
    again = impact.record_answer(
        session, adam, course, "before", first.lesson_id, question.id, question.wrong_answers()[0]
    )
    assert again is True  # a double click or a second tab changes nothing
    assert impact.open_check(session, adam, course, "before").next_question != first
    outside = course.quiz_for(LESSON).questions[0]
    assert all(item.question.id != outside.id for item in state.questions)
    with pytest.raises(Invalid):
        impact.record_answer(session, adam, course, "before", LESSON, outside.id, outside.right_answer())
    with pytest.raises(Invalid):
        impact.record_answer(session, adam, course, "before", first.lesson_id, question.id, [])
    with pytest.raises(AccessDenied):  # the after check is not open yet
        impact.record_answer(
            session, adam, course, "after", first.lesson_id, question.id, question.right_answer()
        )
    stored = session.exec(select(ImpactAnswer)).all()
    assert [(a.question_id, a.correct, a.answered_on) for a in stored] == [
        (question.id, True, utcnow().date())
    ]


def test_the_class_gain_compares_only_pupils_who_took_both_checks(
    session, cm2, course, teacher, count_queries
):
    class_id, (adam, yasmine, omar) = cm2
    _take(session, adam, course, "before", right=False)
    _take(session, yasmine, course, "before", right=True)  # before only: must not lift "before"
    for pupil in (adam, omar):
        finish_lesson(session, pupil, course, LESSON)
    _take(session, adam, course, "after", right=True)
    _take(session, omar, course, "after", right=False)  # after only: must not lower "after"
    session.expire_all()
    with count_queries() as counter:
        summary = impact.class_summary(session, teacher, class_id, course)
    assert counter.count == 2
    assert (summary.both, summary.only_before, summary.only_after) == (1, 1, 1)
    assert (summary.overall.before, summary.overall.after, summary.overall.gain) == (0, 100, 100)
    assert {row.topic for row in summary.topics} == {
        item.topic for item in resolve(course.checks["9-11"], course.lessons, course.quizzes)
    }
    assert all((row.before, row.after, row.gain, row.pupils) == (0, 100, 100, 1) for row in summary.topics)


def test_percentages_are_of_answers_and_a_class_with_no_pair_shows_none(session, cm2, course, teacher):
    class_id, (adam, yasmine, _) = cm2
    _take(session, adam, course, "before", right=False)
    summary = impact.class_summary(session, teacher, class_id, course)
    assert (summary.both, summary.only_before, summary.overall.before, summary.overall.gain) == (
        0,
        1,
        None,
        None,
    )
    # Two pupils, one right after, one wrong after: 50%.
    _take(session, yasmine, course, "before", right=False)
    for pupil, right in ((adam, True), (yasmine, False)):
        finish_lesson(session, pupil, course, LESSON)
        _take(session, pupil, course, "after", right=right)
    summary = impact.class_summary(session, teacher, class_id, course)
    assert (summary.both, summary.overall.before, summary.overall.after, summary.overall.gain) == (
        2,
        0,
        50,
        50,
    )


def test_another_teacher_cannot_read_the_class_impact_and_only_the_admin_sees_the_school(
    session, cm2, course, teacher, other_teacher, admin, far_school
):
    class_id, (adam, *_) = cm2
    _take(session, adam, course, "before", right=True)
    for outsider in (other_teacher, far_school["teacher"], far_school["admin"], adam, None):
        with pytest.raises(AccessDenied):
            impact.class_summary(session, outsider, class_id, course)
    for not_admin in (teacher, other_teacher, adam):
        with pytest.raises(AccessDenied):
            impact.school_summary(session, not_admin, course)
    assert impact.class_summary(session, admin, class_id, course).only_before == 1
    bands = impact.school_summary(session, admin, course)
    assert [(b.band, b.summary.only_before) for b in bands] == [("9-11", 1)]
    assert impact.school_summary(session, far_school["admin"], course) == []


def test_the_csv_has_a_row_per_topic_and_one_for_all(session, cm2, course, teacher, admin):
    class_id, (adam, *_) = cm2
    _take(session, adam, course, "before", right=False)
    finish_lesson(session, adam, course, LESSON)
    _take(session, adam, course, "after", right=True)
    text = impact.class_csv(session, teacher, class_id, course, "en", lambda topic: topic.upper())
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Topic,Before (% right),After (% right),Gain (points),Pupils who took both")
    assert "CYBERBULLYING,0,100,100,1,0,0" in lines
    assert lines[-1] == "All topics,0,100,100,1,0,0"
    school = impact.school_csv(session, admin, course, "en", str).lstrip("\ufeff").splitlines()
    assert school[-1] == "9-11,All topics,0,100,100,1,0,0"


def test_export_holds_the_pupils_answers_and_deleting_or_purging_removes_them(
    session, cm2, course, teacher, admin
):
    class_id, (adam, yasmine, _) = cm2
    _take(session, adam, course, "before", right=True)
    _take(session, yasmine, course, "before", right=False)
    data = privacy.export_pupil(session, teacher, adam.id, course)
    [before] = data["before_after_checks"]
    assert before["phase"] == "before" and before["finished_on"] == utcnow().date().isoformat()
    assert len(before["answers"]) == len(course.checks["9-11"].items)
    assert all(answer["correct"] for answer in before["answers"])
    privacy.delete_pupil(session, teacher, adam.id)
    session.commit()
    assert session.exec(select(ImpactCheck.pupil_id)).all() == [yasmine.id]
    privacy.set_retention(session, admin, 30)
    classes.archive_class(session, teacher, class_id)
    session.commit()
    assert privacy.purge_expired(session, utcnow() + timedelta(days=31)) == 1
    assert session.get(SchoolClass, class_id) is None
    assert session.exec(select(ImpactCheck)).all() == [] and session.exec(select(ImpactAnswer)).all() == []


# ---------------------------------------------------------------- the content


def test_every_band_has_a_check_of_8_to_10_questions_covering_its_required_topics(course):
    from amane.models.content import BANDS, REQUIRED_TOPICS

    assert set(course.checks) == set(BANDS)
    for band, check in course.checks.items():
        items = resolve(check, course.lessons, course.quizzes)
        assert 8 <= len(items) <= 10 and len(items) == len(check.items)
        assert REQUIRED_TOPICS[band] <= {item.topic for item in items}


@pytest.fixture
def content_copy(tmp_path):
    """The real course, its checks replaced by the test's."""
    for folder in ROOT.iterdir():
        if folder.is_dir() and folder.name in ("lessons", "quizzes", "guidance", "assets", "training"):
            (tmp_path / folder.name).symlink_to(folder)
    (tmp_path / "checks").mkdir()
    for band_file in (ROOT / "checks").glob("*.yaml"):
        shutil.copy(band_file, tmp_path / "checks" / band_file.name)
    return tmp_path


def _errors(root) -> list[str]:
    with pytest.raises(ContentInvalid) as raised:
        load_catalogue(root)
    return [str(error) for error in raised.value.errors]


def test_a_check_naming_an_unknown_lesson_or_question_is_refused_with_its_line(content_copy):
    path = content_copy / "checks" / "9-11.yaml"
    text = path.read_text()
    text = text.replace("question: zero-swap}", "question: no-such-question}")
    text = text.replace("{lesson: spot-the-scam-9-11,", "{lesson: no-such-lesson,")
    path.write_text(text)
    lines = text.splitlines()
    question_line = next(i for i, line in enumerate(lines, 1) if "no-such-question" in line)
    lesson_line = next(i for i, line in enumerate(lines, 1) if "no-such-lesson" in line)
    errors = _errors(content_copy)
    assert (
        f"checks/9-11.yaml:{question_line}: items[4].question: the quiz of 'strong-passwords-9-11' "
        "has no question 'no-such-question'" in errors
    )
    assert f"checks/9-11.yaml:{lesson_line}: items[8].lesson: no lesson with id 'no-such-lesson'" in errors
    assert any(e == "checks/9-11.yaml:6: items: no item on the required topics: scams" for e in errors)


def test_a_check_with_too_few_items_another_bands_lesson_or_a_repeat_is_refused(content_copy):
    path = content_copy / "checks" / "9-11.yaml"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:-3]) + "\n")  # 7 items
    assert any("checks/9-11.yaml" in e and "items" in e and "at least 8" in e for e in _errors(content_copy))
    other = content_copy / "checks" / "6-8.yaml"
    other.write_text(
        other.read_text().replace(
            "kind-words-6-8, question: trouble", "dont-feed-the-bully-9-11, question: just-a-joke"
        )
    )
    path.write_text("\n".join(lines) + "\n")
    errors = _errors(content_copy)
    assert any(e.startswith("checks/6-8.yaml:") and "is a lesson of 9-11" in e for e in errors)
