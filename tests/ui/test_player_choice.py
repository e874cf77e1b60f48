"""A scenario step asks the pupil to choose before going on, kindly, and remembers a choice made
in an earlier visit."""

from __future__ import annotations

from amane.models.tables import LessonProgress
from amane.services import progress
from amane.testing.apptest import button, new_app, sign_in_pupil, texts

LESSON = "sample-9-11"
SCENARIO = 3  # the fixture lesson's first scenario step
ASK = "First tap what you would do. Then you can go on."


def _step(at) -> str:
    return str(at.get("progress")[0].proto)


def _at_the_scenario(session, school_class, pupils):
    me, pictures = pupils[0]
    progress.save_step(session, me, LESSON, SCENARIO, 7)
    session.commit()
    at = sign_in_pupil(new_app().run(), school_class.join_code, me.display_name, pictures)
    at = button(at, "Continue").click().run()
    assert "A classmate posts a mean joke about you." in texts(at)
    return at


def test_next_on_a_scenario_without_a_choice_asks_for_one_then_goes_on(
    app_env, session, school_class, pupils
):
    at = _at_the_scenario(session, school_class, pupils)
    at = button(at, "Next").click().run()
    assert "Step 4 of 7" in _step(at)
    assert ASK in texts(at)
    session.expire_all()
    assert session.exec(LessonProgress.__table__.select()).one().step == SCENARIO
    at = button(at, "Reply with something meaner").click().run()
    assert ASK not in texts(at)
    at = button(at, "Next").click().run()
    assert "Step 5 of 7" in _step(at)
    at = button(at, "Back").click().run()  # going back never asks
    assert "Step 4 of 7" in _step(at) and ASK not in texts(at)


def test_a_choice_made_in_an_earlier_visit_lets_the_pupil_go_on(app_env, session, school_class, pupils):
    me, _ = pupils[0]
    progress.record_choice(session, me, LESSON, SCENARIO, 0)
    session.commit()
    at = _at_the_scenario(session, school_class, pupils)
    at = button(at, "Next").click().run()
    assert "Step 5 of 7" in _step(at) and ASK not in texts(at)


def test_after_a_choice_one_invitation_to_try_the_others(app_env, session, school_class, pupils):
    another = "You can try another choice."
    the_others = "You can try the other choices to see what would happen."
    at = _at_the_scenario(session, school_class, pupils)
    assert another not in texts(at) and the_others not in texts(at)  # nothing to try yet: choose
    at = button(at, "Reply with something meaner").click().run()
    assert another in texts(at) and the_others not in texts(at)
    at = button(at, "Screenshot, block and tell an adult").click().run()
    assert the_others not in texts(at) and another not in texts(at)  # every choice tried


def test_after_the_best_choice_the_others_are_there_to_see(app_env, session, school_class, pupils):
    at = _at_the_scenario(session, school_class, pupils)
    at = button(at, "Screenshot, block and tell an adult").click().run()
    assert "You can try the other choices to see what would happen." in texts(at)
    assert "You can try another choice." not in texts(at)
