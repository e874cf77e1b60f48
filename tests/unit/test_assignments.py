"""Which lessons a class works on: order, due dates, the age band, and pupils' progress kept."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlmodel import select

from amane.models.db import session_scope
from amane.models.tables import AuditEvent, LessonProgress
from amane.services import assignments, classes, progress
from amane.services.errors import Invalid
from amane.services.permissions import PupilActor
from tests.conftest import finish_lesson


@pytest.fixture
def band_lessons(real_catalogue) -> list[str]:
    return [lesson.id for lesson in real_catalogue.lessons_for_band("9-11")]


@pytest.fixture
def real_class(session, teacher, real_catalogue):
    created = classes.create_class(session, teacher, "CM1", "9-11", "fr", real_catalogue)
    session.commit()
    return created


@pytest.fixture
def sara(session, teacher, real_class) -> PupilActor:
    added = classes.add_pupils(session, teacher, real_class.id, "Sara").added[0].pupil
    session.commit()
    return PupilActor(added.id, real_class.id, real_class.school_id, added.display_name)


def _rows(session, teacher, class_id):
    return [
        (a.lesson_id, a.position, a.due_date) for a in assignments.assignments(session, teacher, class_id)
    ]


def test_a_new_class_has_every_lesson_of_its_band_in_order(session, teacher, real_class, band_lessons):
    assert _rows(session, teacher, real_class.id) == [(lid, i, None) for i, lid in enumerate(band_lessons)]


def test_set_assignments_replaces_the_lessons_in_the_given_order(
    session, teacher, real_class, band_lessons, real_catalogue, sara
):
    chosen = [band_lessons[4], band_lessons[0], band_lessons[2]]
    due = {band_lessons[0]: date(2030, 3, 1), band_lessons[4]: None, band_lessons[6]: date(2030, 1, 1)}
    result = assignments.set_assignments(session, teacher, real_class.id, chosen, due, real_catalogue)
    session.commit()
    expected = [(chosen[0], 0, None), (chosen[1], 1, date(2030, 3, 1)), (chosen[2], 2, None)]
    assert [(a.lesson_id, a.position, a.due_date) for a in result] == expected
    session.expire_all()
    assert _rows(session, teacher, real_class.id) == expected
    assert classes.assigned_lesson_ids(session, real_class.id) == chosen
    assert [lesson_id for lesson_id, _cell in progress.my_lessons(session, sara, real_catalogue)] == chosen
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "assignments_set")).one()
    assert (event.actor, event.target, event.detail) == (
        teacher.ref,
        f"class:{real_class.id}",
        {"lessons": 3},
    )


def test_an_empty_list_unassigns_every_lesson(session, teacher, real_class, real_catalogue, sara):
    assert assignments.set_assignments(session, teacher, real_class.id, [], {}, real_catalogue) == []
    assert progress.my_lessons(session, sara, real_catalogue) == []


@pytest.mark.parametrize(
    ("lesson_ids", "message"),
    [
        (["no-such-lesson"], "age band"),
        (["kind-words-6-8"], "age band"),  # a real lesson, of another band
        (["dont-feed-the-bully-9-11", "dont-feed-the-bully-9-11"], "only once"),
    ],
)
def test_refused_lessons_change_nothing(
    engine, session, teacher, real_class, real_catalogue, band_lessons, lesson_ids, message
):
    before = _rows(session, teacher, real_class.id)
    with pytest.raises(Invalid, match=message), session_scope(engine) as unit:
        assignments.set_assignments(
            unit, teacher, real_class.id, band_lessons[:2] + lesson_ids, {}, real_catalogue
        )
    session.expire_all()
    assert _rows(session, teacher, real_class.id) == before


def test_due_dates_are_dates(session, teacher, real_class, real_catalogue, band_lessons):
    with pytest.raises(TypeError):
        assignments.set_assignments(
            session,
            teacher,
            real_class.id,
            band_lessons[:1],
            {band_lessons[0]: datetime(2030, 1, 1)},
            real_catalogue,
        )


def test_progress_survives_unassigning_and_comes_back(
    session, teacher, real_class, real_catalogue, band_lessons, sara
):
    first = band_lessons[0]
    progress.save_step(session, sara, first, 2, len(real_catalogue.lesson(first).steps))
    session.commit()
    assignments.set_assignments(session, teacher, real_class.id, band_lessons[1:], {}, real_catalogue)
    session.commit()
    assert first not in [lesson_id for lesson_id, _cell in progress.my_lessons(session, sara, real_catalogue)]
    assert session.exec(select(LessonProgress.step).where(LessonProgress.pupil_id == sara.id)).all() == [2]
    assignments.set_assignments(session, teacher, real_class.id, band_lessons, {}, real_catalogue)
    session.commit()
    lesson_id, back = progress.my_lessons(session, sara, real_catalogue)[0]
    assert (lesson_id, back.status, back.step) == (first, "in_progress", 2)


def test_a_band_change_gives_the_class_every_lesson_of_the_new_band(
    session, teacher, real_class, real_catalogue, band_lessons, sara
):
    first = band_lessons[0]
    progress.save_step(session, sara, first, 2, len(real_catalogue.lesson(first).steps))
    due = {first: date(2030, 3, 1)}
    assignments.set_assignments(session, teacher, real_class.id, band_lessons, due, real_catalogue)
    session.commit()
    classes.update_class(session, teacher, real_class.id, "CM1", "6-8", "fr", real_catalogue)
    session.commit()
    young = [lesson.id for lesson in real_catalogue.lessons_for_band("6-8")]
    assert _rows(session, teacher, real_class.id) == [(lid, i, None) for i, lid in enumerate(young)]
    actions = session.exec(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["class_updated", "assignments_set"]
    assert session.exec(select(LessonProgress.step).where(LessonProgress.pupil_id == sara.id)).all() == [2]
    classes.update_class(session, teacher, real_class.id, "CM1", "9-11", "fr", real_catalogue)
    session.commit()
    lesson_id, back = progress.my_lessons(session, sara, real_catalogue)[0]
    assert (lesson_id, back.status, back.step) == (first, "in_progress", 2)


def test_renaming_or_a_new_language_keeps_the_lessons_and_due_dates(
    session, teacher, real_class, real_catalogue, band_lessons
):
    due = {band_lessons[1]: date(2030, 3, 1)}
    chosen = band_lessons[1:3]
    assignments.set_assignments(session, teacher, real_class.id, chosen, due, real_catalogue)
    session.commit()
    before = _rows(session, teacher, real_class.id)
    classes.update_class(session, teacher, real_class.id, "CM1 bis", "9-11", "ar", real_catalogue)
    session.commit()
    assert before == [(chosen[0], 0, date(2030, 3, 1)), (chosen[1], 1, None)]
    assert _rows(session, teacher, real_class.id) == before


def test_my_lessons_puts_what_is_left_to_do_first(session, sara, real_catalogue, band_lessons):
    """The next lesson the teacher assigned is at the top; finished ones follow, in order."""
    finish_lesson(session, sara, real_catalogue, band_lessons[0])
    finish_lesson(session, sara, real_catalogue, band_lessons[2])
    rows = progress.my_lessons(session, sara, real_catalogue)
    done = [band_lessons[0], band_lessons[2]]
    assert [lesson_id for lesson_id, _ in rows] == [lid for lid in band_lessons if lid not in done] + done
    assert [cell.status for _, cell in rows][-2:] == ["done", "done"]
