"""The before-and-after check in the app (issue 17, item 1): a pupil meets it on My lessons before
their first lesson and after their last; the teacher's Impact page shows the gain per topic, the
admin's the school by age band."""

from __future__ import annotations

import pytest

from amane.i18n import ltr
from amane.models.content_loader import load_catalogue
from amane.services import assignments, classes, impact
from amane.services.permissions import PupilActor
from amane.settings import ROOT
from amane.testing.apptest import button, goto, new_app, sign_in_pupil, sign_in_staff, texts
from tests.conftest import PASSWORD, finish_lesson

LESSON = "dont-feed-the-bully-9-11"


@pytest.fixture(scope="module")
def course():
    return load_catalogue(ROOT)


@pytest.fixture
def real_content(app_env, monkeypatch):
    from amane.settings import get_settings

    monkeypatch.setenv("AMANE_CONTENT_DIR", str(ROOT))
    get_settings.cache_clear()


@pytest.fixture
def cm2(session, teacher, course):
    created = classes.create_class(session, teacher, "CM2 A", "9-11", "en", course)
    assignments.set_assignments(session, teacher, created.id, [LESSON], {}, course)
    added = classes.add_pupils(session, teacher, created.id, "Adam\nYasmine").added
    session.commit()
    actors = [PupilActor(n.pupil.id, created.id, created.school_id, n.pupil.display_name) for n in added]
    return created, actors, [n.pictures for n in added]


def _answer_all_but_the_last(session, pupil, course, phase: str, right: bool):
    state = impact.open_check(session, pupil, course, phase)
    for item in state.questions[:-1]:
        answer = item.question.right_answer() if right else item.question.wrong_answers()[0]
        impact.record_answer(session, pupil, course, phase, item.lesson_id, item.question.id, answer)
    session.commit()
    return state.questions[-1]


def _tick_right_answer(at, item) -> None:
    """The last 9-11 item is a choose-all question: tick its right options."""
    from amane.models.content import MultipleChoice

    assert isinstance(item.question, MultipleChoice)
    for option in item.question.options:
        if option.correct:
            [box] = [c for c in at.checkbox if c.label == option.text.en]
            box.check()


def test_a_pupil_takes_the_check_before_their_first_lesson_and_after_their_last(
    real_content, session, cm2, course
):
    school_class, (adam, _), (pictures, _) = cm2
    at = sign_in_pupil(new_app().run(), school_class.join_code, "Adam", pictures)
    assert "What do I know already?" in texts(at) and "Start" in texts(at)  # the lessons stay open
    at = button(at, "Let's go").click().run()
    assert "There is no mark. If you do not know, choose what you think: that is fine!" in texts(at)
    assert "Question 1 of 10" in str(at.get("progress")[0].proto)
    at = button(at, "Next").click().run()
    assert "Please answer the question first." in texts(at)

    last = _answer_all_but_the_last(session, adam, course, "before", right=False)
    at.run()
    assert "Question 10 of 10" in str(at.get("progress")[0].proto)
    _tick_right_answer(at, last)
    at = button(at, "Next").click().run()
    assert "Thank you! Now you know where you start." in texts(at)
    assert "Right!" not in texts(at) and "%" not in texts(at)  # no mark, no right or wrong
    at = button(at, "Start my lessons").click().run()
    assert "What do I know already?" not in texts(at)

    finish_lesson(session, adam, course, LESSON)
    at.run()
    assert "What do I know now?" in texts(at)
    at = button(at, "Let's go").click().run()
    last = _answer_all_but_the_last(session, adam, course, "after", right=True)
    at.run()
    _tick_right_answer(at, last)
    at = button(at, "Next").click().run()
    assert "Well done! Look at what you know now." in texts(at)
    assert "You learnt 9 new answers since your first lesson." in texts(at)
    assert "What I know now" in texts(at) and "Worth a second look" not in texts(at)
    at = button(at, "Back to my lessons").click().run()
    assert "What do I know now?" not in texts(at) and not at.exception


def _seed_results(session, course, actors) -> None:
    adam, yasmine = actors
    for pupil in (adam, yasmine):
        state = impact.open_check(session, pupil, course, "before")
        for item in state.questions:
            impact.record_answer(
                session,
                pupil,
                course,
                "before",
                item.lesson_id,
                item.question.id,
                item.question.wrong_answers()[0],
            )
    session.commit()
    finish_lesson(session, adam, course, LESSON)
    state = impact.open_check(session, adam, course, "after")
    for item in state.questions:
        impact.record_answer(
            session, adam, course, "after", item.lesson_id, item.question.id, item.question.right_answer()
        )
    session.commit()


def test_the_teacher_sees_the_gain_per_topic_and_who_is_counted_apart(real_content, session, cm2, course):
    _, actors, _ = cm2
    _seed_results(session, course, actors)
    at = goto(sign_in_staff(new_app().run(), "teacher", PASSWORD), "impact")
    assert not at.exception
    shown = texts(at)
    assert "Impact report: CM2 A" in shown
    assert "1 pupil took both checks: the figures are theirs." in shown
    assert "1 took the check before only" in shown and "0 the check after only" in shown
    assert [m.value for m in at.metric] == ["0%", "100%", ltr("+100")]
    tables = " ".join(str(element.proto) for element in at.get("html"))
    assert "<td>Cyberbullying</td>" in tables.replace("\\u2066", "")


def test_the_admin_sees_the_school_by_age_band(real_content, session, cm2, course, admin):
    _, actors, _ = cm2
    _seed_results(session, course, actors)
    at = goto(sign_in_staff(new_app().run(), "admin", PASSWORD), "impact")
    assert not at.exception
    assert "Impact report: the school" in texts(at) and f"{ltr('9-11')} years" in texts(at)


def test_a_class_without_results_says_how_pupils_meet_the_check(real_content, session, cm2):
    at = goto(sign_in_staff(new_app().run(), "teacher", PASSWORD), "impact")
    assert "No pupil has taken both checks yet." in texts(at) and not at.exception
