"""A teacher can reach only their own classes; admins reach every class of their school."""

import pytest

from amane.services import classes, help_requests, progress, reports
from amane.services.errors import AccessDenied


@pytest.fixture
def request_id(session, pupils):
    request = help_requests.ask_for_help(session, pupils[0][0], "mean", True)
    session.commit()
    return request.id


def test_other_teacher_cannot_read_or_change_the_class(
    session, other_teacher, school_class, pupils, request_id
):
    pupil_id = pupils[0][0].id
    denied = [
        lambda: classes.get_class(session, other_teacher, school_class.id),
        lambda: classes.list_pupils(session, other_teacher, school_class.id),
        lambda: classes.class_lessons(session, other_teacher, school_class.id),
        lambda: classes.add_pupils(session, other_teacher, school_class.id, "Intruder"),
        lambda: classes.unlock_pupil(session, other_teacher, pupil_id),
        lambda: classes.reset_pictures(session, other_teacher, pupil_id),
        lambda: reports.class_table(session, other_teacher, school_class.id),
        lambda: help_requests.inbox(session, other_teacher, school_class.id),
        lambda: help_requests.set_status(session, other_teacher, request_id, "resolved"),
    ]
    for call in denied:
        with pytest.raises(AccessDenied):
            call()
    assert classes.list_classes(session, other_teacher) == []
    assert help_requests.inbox(session, other_teacher) == []


def test_admin_of_the_school_sees_every_class(session, admin, school_class, request_id):
    assert [c.id for c in classes.list_classes(session, admin)] == [school_class.id]
    assert reports.class_table(session, admin, school_class.id).class_id == school_class.id
    assert [item.request.id for item in help_requests.inbox(session, admin)] == [request_id]


def test_signed_out_and_pupils_cannot_use_teacher_functions(session, school_class, pupils):
    for actor in (None, pupils[0][0]):
        with pytest.raises(AccessDenied):
            classes.list_classes(session, actor)
        with pytest.raises(AccessDenied):
            reports.class_table(session, actor, school_class.id)
        with pytest.raises(AccessDenied):
            help_requests.inbox(session, actor)


def test_pupil_cannot_open_a_lesson_not_assigned_to_their_class(session, pupils):
    with pytest.raises(AccessDenied):
        progress.save_step(session, pupils[0][0], "not-assigned-9-11", 1, 5)


def test_ids_of_missing_objects_are_refused_like_forbidden_ones(session, teacher):
    with pytest.raises(AccessDenied):
        classes.get_class(session, teacher, 999_999)
    with pytest.raises(AccessDenied):
        help_requests.set_status(session, teacher, 999_999, "resolved")
