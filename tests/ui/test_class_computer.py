"""A shared class computer through the real app.py: a teacher sets it to one of their classes, and
the pupils' door then opens at that class's names, for every pupil after the last one signed out."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

import pytest

from amane import i18n
from amane.clock import utcnow
from amane.models.tables import SchoolClass
from amane.services import classes
from amane.services.pictures import PICTURES
from amane.services.rules import PICTURE_PASSWORD_LENGTH
from amane.testing.apptest import button, goto, new_app, sign_in_staff, texts
from amane.views import state
from amane.views.public import home
from amane.views.teacher.class_computer import CHOICE
from tests.conftest import PASSWORD


def _set_computer(at, class_id: int):
    goto(at, "computer")
    assert not at.exception
    at.selectbox(key=CHOICE).set_value(class_id)
    return button(at, "Set this computer to this class").click().run()


def _names(at) -> list[str]:
    return [b.label for b in at.button if b.key and b.key.startswith("name_")]


def _door(code: str):
    """A new session of a computer whose class-computer cookie names this class code (AppTest
    cannot send cookies: the session state holds what auth.class_computer reads from one)."""
    at = new_app()
    at.session_state[state.CLASS_COMPUTER] = code
    return at.run()


def _tap(at, *pictures: str):
    for picture in pictures:
        at.button(key=f"pic_{picture}").click().run()
    return at


@pytest.fixture
def class_computer(app_env, teacher, school_class, pupils):
    """A session whose teacher set this computer to CM2 A, then signed out."""
    at = sign_in_staff(new_app().run(), "teacher", PASSWORD)
    at = _set_computer(at, school_class.id)
    assert "Done. Once you sign out, this computer opens at the names of CM2 A." in texts(at)
    assert at.session_state[state.CLASS_COMPUTER] == school_class.join_code
    return button(at, "Sign out").click().run()


def test_after_the_teacher_signs_out_the_door_shows_the_class_names(class_computer):
    at = class_computer
    assert not at.exception
    assert _names(at) == ["Adam", "Omar", "Yasmine"]
    assert "Another class?" in texts(at)
    assert not at.text_input  # no class code to type


def test_a_teacher_can_only_set_the_computer_to_their_own_classes(
    app_env, session, teacher, other_teacher, school_class, fixture_catalogue
):
    classes.create_class(session, other_teacher, "CM1 Other", "9-11", "en", fixture_catalogue)
    archived = classes.create_class(session, teacher, "Old class", "9-11", "en", fixture_catalogue)
    classes.archive_class(session, teacher, archived.id)
    session.commit()
    at = goto(sign_in_staff(new_app().run(), "teacher", PASSWORD), "computer")
    assert at.selectbox(key=CHOICE).options == ["CM2 A"]
    other_at = goto(sign_in_staff(new_app().run(), "other", PASSWORD), "computer")
    assert other_at.selectbox(key=CHOICE).options == ["CM1 Other"]
    admin_at = goto(sign_in_staff(new_app().run(), "admin", PASSWORD), "computer")
    assert admin_at.selectbox(key=CHOICE).options == ["CM1 Other", "CM2 A"]  # every class of the school


def test_the_next_pupil_starts_at_the_names_and_sees_nothing_of_the_previous_one(class_computer, pupils):
    (adam, adam_pictures), (yasmine, _) = pupils[0], pupils[1]
    at = class_computer.button(key=f"name_{adam.id}").click().run()
    at = goto(_tap(at, *adam_pictures), "lessons")
    assert "Hello Adam!" in texts(at)
    at = button(at, "Start").click().run()
    at = button(at, "Sign out").click().run()
    assert _names(at) == ["Adam", "Omar", "Yasmine"]
    assert "Adam!" not in texts(at) and "Sample lesson" not in texts(at)
    for key in (state.PUPIL, state.LESSON, home.CHOSEN, home.TAPPED, home.ERROR):
        assert key not in at.session_state
    at = at.button(key=f"name_{yasmine.id}").click().run()
    assert f"Hello Yasmine! Tap your {PICTURE_PASSWORD_LENGTH} pictures in order." in texts(at)


def test_after_an_idle_sign_out_the_door_shows_the_names_again(class_computer, pupils):
    adam, pictures = pupils[0]
    at = class_computer.button(key=f"name_{adam.id}").click().run()
    at = goto(_tap(at, *pictures), "lessons")
    at.session_state[state.LAST_ACTIVITY] = utcnow() - timedelta(minutes=21)
    at = at.run()
    assert "You were signed out because nobody used the computer for a while." in texts(at)
    assert _names(at) == ["Adam", "Omar", "Yasmine"]
    assert "Hello Adam!" not in texts(at)


def test_a_wrong_try_is_a_gentle_message_with_the_tries_left(class_computer, pupils):
    adam, pictures = pupils[0]
    wrong = [next(p for p in PICTURES if p != pictures[0]), *pictures[1:]]
    at = _tap(class_computer.button(key=f"name_{adam.id}").click().run(), *wrong)
    assert not at.error
    (message,) = at.info
    assert message.value.startswith("That's okay, everyone makes mistakes!")
    assert message.value.endswith("Tries left: 4")
    at = _tap(at, pictures[0])  # the next tap puts the message away
    assert not at.info


def test_another_class_leads_to_the_class_code_and_back(class_computer):
    at = button(class_computer, "Another class?").click().run()
    assert [field.label for field in at.text_input] == ["Class code"]
    assert not _names(at)
    at = button(at, "Back to the names").click().run()
    assert _names(at) == ["Adam", "Omar", "Yasmine"]


def test_an_archived_class_gives_the_class_code_door(class_computer, session, teacher, school_class, pupils):
    classes.archive_class(session, teacher, school_class.id)
    session.commit()
    adam, pictures = pupils[0]
    at = _tap(class_computer.button(key=f"name_{adam.id}").click().run(), *pictures)
    assert state.PUPIL not in at.session_state
    assert [field.label for field in at.text_input] == ["Class code"]  # at once, on the same screen
    at = _door(school_class.join_code)  # and on a computer opened later
    assert [field.label for field in at.text_input] == ["Class code"]
    assert not _names(at) and "Another class?" not in texts(at)


def test_the_teacher_clears_the_computer_and_the_door_asks_for_the_code(class_computer):
    at = sign_in_staff(class_computer, "teacher", PASSWORD)
    at = goto(at, "computer")
    assert "This computer opens at the names of CM2 A." in texts(at)
    at = button(at, "Back to the class code on this computer").click().run()
    assert "This computer opens at the class code." in texts(at)
    at = button(at, "Sign out").click().run()
    assert [field.label for field in at.text_input] == ["Class code"]


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_my_lessons_status_badges_are_words_in_the_page_language(
    app_env, session, school_class, pupils, lang
):
    row = session.get(SchoolClass, school_class.id)
    row.language = lang
    session.commit()
    adam, pictures = pupils[0]
    at = _door(school_class.join_code)
    at = goto(_tap(at.button(key=f"name_{adam.id}").click().run(), *pictures), "lessons")
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    word = i18n.t("New", lang=lang)
    assert badges and word != "New"
    for badge in badges:
        assert badge.endswith(f" {word}]")
        assert not [c for c in badge if _spells_a_word(c)]


def _spells_a_word(character: str) -> bool:
    """Emoji made of letters (🆕 🆗 🆙 🅰 …): they read as English words on any page."""
    name = unicodedata.name(character, "")
    return name.startswith(("SQUARED", "NEGATIVE SQUARED", "CIRCLED LATIN", "REGIONAL INDICATOR"))


def test_many_wrong_tries_alert_the_teacher_and_a_new_code_sends_the_computer_to_the_code_door(
    class_computer, session, school_class
):
    from amane.services import throttle
    from amane.services.rules import CLASS_PICTURE_DELAYS

    for _ in range(CLASS_PICTURE_DELAYS.free + 1):
        throttle.record_failure(session, throttle.class_key(school_class.id), CLASS_PICTURE_DELAYS)
    session.commit()
    at = goto(sign_in_staff(new_app().run(), "teacher", PASSWORD), "classes")
    assert "Many wrong picture tries in CM2 A." in [w.value for w in at.warning]
    assert "Class computers set to the old code show the class-code door again" in texts(at)
    at = at.button(key=f"new_code_alert_{school_class.id}").click().run()
    session.expire_all()
    code = session.get(SchoolClass, school_class.id).join_code
    assert code != school_class.join_code
    assert f"The new code of CM2 A is {code}." in [s.value for s in at.success]
    assert "Many wrong picture tries in CM2 A." not in texts(at)
    at = _door(school_class.join_code)  # a class computer set to the old code
    assert [field.label for field in at.text_input] == ["Class code"] and not _names(at)
    assert _names(_door(code)) == ["Adam", "Omar", "Yasmine"]
