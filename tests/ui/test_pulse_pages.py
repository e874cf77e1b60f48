"""The class pulse's pages: a pupil answers from the card on My lessons and is shown Get help; the
teacher opens and closes a pulse and reads counts, held-back questions, or "not enough answers"."""

from __future__ import annotations

import pytest
from sqlmodel import select

from amane.i18n import t
from amane.models.pulse_tables import ClassPulse
from amane.models.tables import Pupil
from amane.services import classes, pulse
from amane.services.permissions import PupilActor
from amane.testing.apptest import button, goto, new_app, sign_in_pupil, sign_in_staff, texts, widget
from tests.conftest import PASSWORD


def _more_pupils(session, teacher, school_class, count: int) -> list[PupilActor]:
    """Pupils who answer through the service (their sign-in is not the point)."""
    rows = [Pupil(class_id=school_class.id, display_name=f"P{n}", picture_hash="-") for n in range(count)]
    session.add_all(rows)
    session.commit()
    return [PupilActor(row.id, school_class.id, school_class.school_id, row.display_name) for row in rows]


def test_a_pupil_answers_from_the_card_on_my_lessons_then_sees_get_help(
    app_env, session, teacher, school_class, pupils, fixture_catalogue
):
    opened = pulse.open_pulse(session, teacher, school_class.id, fixture_catalogue)
    session.commit()
    actor, pictures = pupils[0]
    at = sign_in_pupil(new_app().run(), school_class.join_code, actor.display_name, pictures)
    assert "How is it going online?" in texts(at)  # the card
    at = goto(at, "pulse")
    questions = fixture_catalogue.pulse.for_band("9-11").questions
    assert len(at.radio) == len(questions) and all(radio.value is None for radio in at.radio)
    assert at.radio[0].options == ["Never", "Once", "Several times", "I'd rather not say"]
    at.radio[0].set_value("several")
    at.radio[1].set_value("skip")  # the others are left unanswered
    at = button(at, "Send my answers").click().run()
    assert not at.exception
    assert "Thank you! Your answers were counted, without your name." in texts(at)
    assert "If something online is worrying you" in texts(at) and "Child helpline 2511" in texts(at)
    assert pulse.my_pulse(session, actor).answered
    pulse.close_pulse(session, teacher, opened.id)
    session.commit()
    counts = pulse.class_pulses(session, teacher, school_class.id, fixture_catalogue).results[0]
    assert counts.answered == 1 and not counts.enough
    at = goto(at, "lessons")
    assert "How is it going online?" not in texts(at)


def test_a_pupil_reading_arabic_is_thanked_in_arabic(
    app_env, session, teacher, school_class, pupils, fixture_catalogue
):
    """The thanks is written in the button's callback, which runs before the page sets its language."""
    pulse.open_pulse(session, teacher, school_class.id, fixture_catalogue)
    session.commit()
    actor, pictures = pupils[0]
    at = sign_in_pupil(new_app().run(), school_class.join_code, actor.display_name, pictures)
    widget(at, "selectbox", "Language").select("ar").run()
    at = goto(at, "pulse")
    at.radio[0].set_value("several")
    at = button(at, t("Send my answers", lang="ar")).click().run()
    assert t("Thank you! Your answers were counted, without your name.", lang="ar") in texts(at)


@pytest.mark.parametrize("class_size", [4, 6])
def test_the_teacher_opens_and_closes_a_pulse_and_reads_counts_only_from_five_answers(
    app_env, session, teacher, school_class, fixture_catalogue, class_size
):
    answering = _more_pupils(session, teacher, school_class, class_size)
    at = sign_in_staff(new_app().run(), "teacher", PASSWORD)
    at = goto(at, "class-pulse")
    at = button(at, "Open a pulse for this class").click().run()
    assert "A pulse is open" in texts(at) and "0 pupils have answered so far." in texts(at)
    opened = session.exec(select(ClassPulse)).one()
    first, second = fixture_catalogue.pulse.for_band("9-11").questions[:2]
    for number, pupil in enumerate(answering):
        # the first question: everybody "never"; the second: one pupil "once" (a group of 1)
        answers = {first.id: "never", second.id: "once" if number == 0 else "never"}
        pulse.answer_pulse(session, pupil, opened.id, answers, fixture_catalogue)
    session.commit()
    at = goto(at, "class-pulse")
    assert f"{class_size} pupils have answered so far." in texts(at)
    at = button(at, "Close the pulse and see the results").click().run()
    assert not at.exception
    shown = texts(at)
    assert f"{class_size} pupils answered." in shown
    if class_size < 5:
        assert "Not enough answers to show" in shown
        assert first.text.en not in shown and not at.table
    else:
        assert "Not enough answers to show" not in shown
        table = at.table[0].value
        assert list(table.index) == ["Never", "Once", "Several times"]
        assert list(table["Pupils"]) == [class_size, 0, 0]
        assert f"**{second.text.en}**" in [m.value for m in at.markdown]
        assert "Held back: fewer than 5 pupils chose one of its answers" in shown
    assert "Open a pulse for this class" in texts(at)


def test_another_teacher_does_not_find_the_class_on_the_pulse_page(
    app_env, session, teacher, other_teacher, school_class, fixture_catalogue
):
    pulse.open_pulse(session, teacher, school_class.id, fixture_catalogue)
    classes.create_class(session, other_teacher, "CE2", "9-11", "en", fixture_catalogue)
    session.commit()
    at = sign_in_staff(new_app().run(), "other", PASSWORD)
    at = goto(at, "class-pulse")
    assert school_class.name not in [option for box in at.selectbox for option in box.options]
    assert "A pulse is open" not in texts(at) and "This class has no pulse yet." in texts(at)


def test_the_admin_reads_the_school_summary_under_the_class_pulse(
    app_env, session, admin, teacher, school_class, fixture_catalogue
):
    first = fixture_catalogue.pulse.for_band("9-11").questions[0]
    opened = pulse.open_pulse(session, teacher, school_class.id, fixture_catalogue)
    for pupil in _more_pupils(session, teacher, school_class, 7):
        pulse.answer_pulse(session, pupil, opened.id, {first.id: "never"}, fixture_catalogue)
    pulse.close_pulse(session, teacher, opened.id)
    session.commit()
    at = goto(sign_in_staff(new_app().run(), "admin", PASSWORD), "class-pulse")
    assert not at.exception
    shown = texts(at)
    assert (
        "School summary" in shown
        and "\u20669-11\u2069 years" in shown
        and "1 class · 7 pupils answered." in shown
    )
    summary = at.table[-len(fixture_catalogue.pulse.for_band("9-11").questions)].value
    assert list(summary["Pupils"]) == [7, 0, 0]
