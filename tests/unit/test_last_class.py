"""Where a staff member's sign-in lands: the class they last opened (services/last_class.py)."""

import pytest
from sqlmodel import update

from amane.models.tables import StaffUser
from amane.services import accounts, classes, last_class
from amane.services.errors import AccessDenied


def _name_in_row(session, staff_id: int, class_id: int) -> None:
    session.exec(update(StaffUser).where(StaffUser.id == staff_id).values(last_class_id=class_id))


def test_a_teacher_lands_on_the_class_they_last_opened(session, teacher, school_class, fixture_catalogue):
    assert last_class.last_class(session, teacher) is None  # never opened one: My classes
    second = classes.create_class(session, teacher, "CM2 B", "9-11", "fr", fixture_catalogue)
    last_class.remember_class(session, teacher, second.id)
    assert last_class.last_class(session, teacher) == second.id
    last_class.remember_class(session, teacher, school_class.id)
    assert last_class.last_class(session, teacher) == school_class.id


def test_an_archived_or_deleted_class_is_not_where_sign_in_lands(session, teacher, school_class):
    last_class.remember_class(session, teacher, school_class.id)
    classes.archive_class(session, teacher, school_class.id)
    assert last_class.last_class(session, teacher) is None
    classes.unarchive_class(session, teacher, school_class.id)
    assert last_class.last_class(session, teacher) == school_class.id
    _name_in_row(session, teacher.id, school_class.id + 99)
    assert last_class.last_class(session, teacher) is None  # no foreign key: a deleted class is not found


def test_another_teacher_can_neither_set_nor_see_a_class_not_theirs(
    session, teacher, other_teacher, school_class
):
    with pytest.raises(AccessDenied):
        last_class.remember_class(session, other_teacher, school_class.id)
    assert session.get(StaffUser, other_teacher.id).last_class_id is None
    # Even if their row named it (e.g. the class was theirs, then given to a colleague):
    _name_in_row(session, other_teacher.id, school_class.id)
    assert last_class.last_class(session, other_teacher) is None
    last_class.remember_class(session, teacher, school_class.id)
    assert last_class.last_class(session, other_teacher) is None  # each reads only their own


def test_an_admin_lands_on_any_class_of_the_school_they_opened(session, admin, teacher, school_class):
    last_class.remember_class(session, admin, school_class.id)
    assert last_class.last_class(session, admin) == school_class.id
    assert last_class.last_class(session, teacher) is None


def test_a_disabled_account_remembers_nothing(session, admin, teacher, school_class):
    last_class.remember_class(session, teacher, school_class.id)
    accounts.set_staff_active(session, admin, teacher.id, False)
    assert last_class.last_class(session, teacher) is None


def test_pupils_and_the_signed_out_are_refused(session, teacher, school_class, pupils):
    for actor in (pupils[0][0], None):
        with pytest.raises(AccessDenied):
            last_class.remember_class(session, actor, school_class.id)
        with pytest.raises(AccessDenied):
            last_class.last_class(session, actor)


def test_remembering_costs_two_statements_and_reading_one(session, teacher, school_class, count_queries):
    with count_queries() as remember:
        last_class.remember_class(session, teacher, school_class.id)
    with count_queries() as read:
        last_class.last_class(session, teacher)
    assert (remember.count, read.count) == (2, 1)
