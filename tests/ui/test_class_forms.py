"""My classes: a form empties after a successful save, and keeps what was typed after a failed one."""

import pytest
from sqlmodel import select

from amane.models.tables import Pupil, SchoolClass
from amane.services.rules import MAX_CLASS_NAME_LENGTH, MAX_PUPILS_PER_PASTE
from amane.testing.apptest import button, goto, new_app, sign_in_staff, texts, widget
from tests.conftest import PASSWORD

PASTE = "Add pupils: one first name or nickname per line"


@pytest.fixture
def teacher_app(app_env, teacher):
    at = sign_in_staff(new_app().run(), "teacher", PASSWORD)
    assert not at.exception
    return at


def test_create_a_class_empties_the_form_and_a_refused_one_keeps_the_choices(teacher_app, session):
    at = teacher_app
    widget(at, "text_input", "Class name").input("   ")  # only spaces: refused
    widget(at, "selectbox", "Age band").select("12-14")
    widget(at, "selectbox", "Class language").select("ar")
    at = button(at, "Create the class").click().run()
    assert f"Please give the class a name (up to {MAX_CLASS_NAME_LENGTH} characters)." in texts(at)
    assert widget(at, "text_input", "Class name").value == "   "
    assert widget(at, "selectbox", "Age band").value == "12-14"
    assert widget(at, "selectbox", "Class language").value == "ar"

    widget(at, "text_input", "Class name").input("CM2 B")
    at = button(at, "Create the class").click().run()
    created = session.exec(select(SchoolClass)).one()
    assert (created.name, created.age_band, created.language) == ("CM2 B", "12-14", "ar")
    assert f"Class created. Its code is {created.join_code}." in texts(at)
    assert widget(at, "text_input", "Class name").value == ""
    assert widget(at, "selectbox", "Age band").value == "6-8"
    assert widget(at, "selectbox", "Class language").value == "en"  # the teacher's language again
    assert widget(at, "selectbox", "Class").value == created.id  # the new class is the one shown
    at = at.run()
    assert "Class created." not in texts(at)  # said once


def test_add_pupils_empties_the_box_and_a_refused_list_stays_in_it(teacher_app, session, school_class):
    at = goto(teacher_app, "classes")
    too_many = "\n".join(f"Pupil {n}" for n in range(MAX_PUPILS_PER_PASTE + 1))
    widget(at, "text_area", PASTE).input(too_many)
    at = button(at, "Add pupils").click().run()
    assert f"Paste at most {MAX_PUPILS_PER_PASTE} names at a time." in texts(at)
    assert widget(at, "text_area", PASTE).value == too_many
    assert session.exec(select(Pupil)).all() == []

    widget(at, "text_area", PASTE).input("Adam\nYasmine\nadam")
    at = button(at, "Add pupils").click().run()
    shown = texts(at)
    assert "2 pupils added." in shown and "Already in the class, not added again: adam" in shown
    assert widget(at, "text_area", PASTE).value == ""
    assert "Sign-in cards" in shown

    widget(at, "text_area", PASTE).input("Yasmine")  # nothing new: not a save, the name stays
    at = button(at, "Add pupils").click().run()
    assert "Already in the class, not added again: Yasmine" in texts(at)
    assert widget(at, "text_area", PASTE).value == "Yasmine"
    assert len(session.exec(select(Pupil)).all()) == 2
