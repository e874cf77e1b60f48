"""Classroom mode (records nothing) and the take-home letter (in the class's language)."""

from sqlmodel import func, select

from amane.models.tables import LessonProgress, ScenarioChoice
from amane.services import classes
from amane.testing.apptest import button, goto, new_app, sign_in_staff, texts, widget
from tests.conftest import PASSWORD


def test_classroom_mode_shows_a_lesson_and_reveals_choices_without_recording(app_env, teacher, session):
    at = goto(sign_in_staff(new_app().run(), "teacher", PASSWORD), "present")
    widget(at, "selectbox", "Age band").select("9-11").run()
    assert "Sara gets a mean message." in texts(at)
    for _ in range(3):
        at = button(at, "Next").click().run()
    assert "**A.** Reply with something meaner" in texts(at)
    assert "It gets worse." not in texts(at)
    widget(at, "toggle", "Reveal what happens").set_value(True).run()
    assert "It gets worse. Replying feeds the bully." in texts(at)
    assert session.exec(select(func.count()).select_from(LessonProgress)).one() == 0
    assert session.exec(select(func.count()).select_from(ScenarioChoice)).one() == 0


def test_take_home_letter_is_in_the_class_language_and_escapes_nothing_unsafe(
    app_env, teacher, school_class, session, fixture_catalogue
):
    classes.update_class(session, teacher, school_class.id, "CM2 A", "9-11", "ar", fixture_catalogue)
    session.commit()
    at = goto(sign_in_staff(new_app().run(), "teacher", PASSWORD), "letter")
    letter = "".join(str(h.proto.body) for h in at.get("html") if "dir=" in str(h.proto.body))
    assert 'dir="rtl"' in letter and 'lang="ar"' in letter
    assert "درس نموذجي" in letter  # the lesson's Arabic title
    assert "ماذا كنت ستفعل؟" in letter  # a discussion prompt as a conversation starter
    assert "2511" in letter
    assert "/parents" in letter
