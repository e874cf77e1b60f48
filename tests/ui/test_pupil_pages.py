"""A pupil signs in, plays the lesson (every step kind), takes the quiz, asks for help."""

import pytest
from sqlmodel import select

from amane.models.tables import HelpRequest, LessonProgress, QuizAnswer, QuizAttempt
from amane.services.pictures import PICTURES
from amane.testing.apptest import button, goto, new_app, sign_in_pupil, texts, widget
from amane.views import state
from tests.conftest import finish_lesson

LESSON = "sample-9-11"


@pytest.fixture
def signed_in(app_env, school_class, pupils):
    actor, pictures = pupils[0]
    at = sign_in_pupil(new_app().run(), school_class.join_code, actor.display_name, pictures)
    assert not at.exception
    return at


def test_pupil_signs_in_with_code_name_and_pictures(signed_in):
    assert "My lessons" in [t.value for t in signed_in.title]
    assert "Sample lesson" in texts(signed_in)
    assert "Sign out" in texts(signed_in)


def test_wrong_pictures_get_a_kind_message_and_tries_left(app_env, school_class, pupils):
    actor, pictures = pupils[0]
    wrong = [p for p in PICTURES if p != pictures[0]][:1] + list(pictures[1:])
    at = sign_in_pupil(new_app().run(), school_class.join_code, actor.display_name, wrong)
    assert "Those pictures are not right. Try again slowly. Tries left: 4" in texts(at)
    assert state.PUPIL not in at.session_state or at.session_state[state.PUPIL] is None


def test_unknown_class_code_is_explained(app_env, school_class):
    at = new_app().run()
    at.text_input[0].input("NOPE1234")
    button(at, "Go").click().run()
    assert "We could not find this class" in texts(at)


def _next(at):
    return button(at, "Next").click().run()


def test_lesson_player_shows_every_step_kind_and_scenario_feedback(signed_in, session, pupils):
    at = button(signed_in, "Start").click().run()
    assert "Step 1 of 7" in str(at.get("progress")[0].proto)
    assert "Sara gets a mean message." in texts(at)  # story
    at = _next(at)
    assert "Block" in texts(at) and "Stop someone contacting you." in texts(at)  # key words
    at = _next(at)
    assert "Keep evidence." in texts(at)  # explain with points
    at = _next(at)
    assert "A classmate posts a mean joke about you." in texts(at)  # scenario
    at = button(at, "Reply with something meaner").click().run()
    assert "It gets worse." in at.warning[0].value and "Replying feeds the bully." in at.warning[0].value
    at = button(at, "Screenshot, block and tell an adult").click().run()
    assert "An adult helps." in at.success[0].value
    at = _next(at)
    assert "Tell someone you trust." in texts(at)  # tip
    at = button(at, "Back").click().run()
    assert "A classmate posts a mean joke about you." in texts(at)
    at = _next(at)
    at = _next(at)
    at = button(at, "Support your friend and report").click().run()  # a scenario asks for a choice
    at = _next(at)
    assert "Talk to a trusted adult." in texts(at) and "Child helpline 2511" in texts(at)  # help step
    assert not at.exception


def test_leaving_mid_lesson_resumes_at_the_same_step(signed_in, school_class, pupils):
    at = button(signed_in, "Start").click().run()
    at = _next(_next(at))
    at = button(at, "Sign out").click().run()
    actor, pictures = pupils[0]
    at = sign_in_pupil(at, school_class.join_code, actor.display_name, pictures)
    assert "In progress" in texts(at)
    at = button(at, "Continue").click().run()
    assert "Step 3 of 7" in str(at.get("progress")[0].proto)


def _answer_all_right(at, questions):
    for question in questions:
        if question.kind == "single":
            at.radio[0].set_value(next(o for o in question.options if o.correct)).run()
        elif question.kind == "multiple":
            for option in question.options:
                widget(at, "checkbox", option.text.en).set_value(option.correct)
            at.run()
        elif question.kind == "true_false":
            at.radio[0].set_value(question.answer).run()
        else:
            for item in question.items:  # tap the steps first to last
                at = button(at, item.en).click().run()
        at = button(at, "Check my answer").click().run()
        assert "Right!" in texts(at), texts(at)
        at = _next(at)
    return at


def test_quiz_gives_feedback_on_every_answer_and_a_score(signed_in, session, fixture_catalogue):
    at = button(signed_in, "Start").click().run()
    choices = {3: "Screenshot, block and tell an adult", 5: "Support your friend and report"}
    for step in range(6):
        if step in choices:  # a scenario asks for a choice before Next
            at = button(at, choices[step]).click().run()
        at = _next(at)
    at = button(at, "Finish the lesson").click().run()
    assert "Well done, you finished the lesson!" in texts(at)
    quiz = fixture_catalogue.quiz_for(LESSON)
    first = quiz.questions[0]
    at = button(at, "Check my answer").click().run()
    assert "Please answer the question first." in texts(at)
    assert session.exec(QuizAnswer.__table__.select()).all() == []
    at.radio[0].set_value(next(o for o in first.options if not o.correct)).run()
    at = button(at, "Check my answer").click().run()
    assert "Not quite." in texts(at) and "Replying makes it worse." in texts(at)
    right = next(o for o in first.options if o.correct)
    assert "The right answer:" in texts(at)  # a wrong answer teaches the right one, and why
    assert f"**{right.text.en}**: {right.feedback.en}" in texts(at)
    at = _next(at)
    at = _answer_all_right(at, quiz.questions[1:])
    assert "Your score: 4 / 5" in texts(at)
    assert "Questions to look at again" in texts(at)
    assert session.exec(QuizAttempt.__table__.select()).one().score == 4
    at = button(at, "Take the quiz again").click().run()
    assert "Question 1 of 5" in str(at.get("progress")[0].proto)
    progress_row = session.exec(LessonProgress.__table__.select()).one()
    assert progress_row.completed_at is not None


def test_pupil_asks_for_help_privately(signed_in, session):
    at = goto(signed_in, "talk")
    at.radio[0].set_value("mean")
    at.checkbox[0].check()
    at = button(at, "Send to my teacher").click().run()
    assert "that was brave" in texts(at) and "You are not in trouble" in texts(at)
    request = session.exec(HelpRequest.__table__.select()).one()
    assert request.category == "mean" and request.in_person and request.status == "new"
    assert at.radio[0].value is None and at.checkbox[0].value is False  # the form is empty again
    at = button(at, "Send to my teacher").click().run()  # nothing chosen: asked, nothing sent
    assert "Please choose what it is about." in texts(at) and "that was brave" not in texts(at)
    assert session.exec(HelpRequest.__table__.select()).all() == [request]


def test_pupil_can_read_what_the_teacher_sees(signed_in):
    at = goto(signed_in, "privacy")
    assert [t.value for t in at.title] == ["Your privacy 9-11"]  # the notice for the class's age band
    assert "Your teacher." in texts(at)


def _finish_sample_lesson(session, me, catalogue):
    finish_lesson(session, me, catalogue, LESSON)


def test_badges_start_empty_and_the_passport_needs_every_lesson(signed_in):
    at = goto(signed_in, "badges")
    assert "Finish a lesson and its quiz to earn your first badge." in texts(at)
    assert "Finish all your lessons to get your passport: 0 of 1 done." in texts(at)


def test_finishing_every_lesson_earns_badges_and_the_printable_passport(
    signed_in, session, pupils, fixture_catalogue
):
    _finish_sample_lesson(session, pupils[0][0], fixture_catalogue)
    at = goto(signed_in, "badges")
    shown = texts(at)
    assert "🏅\nSample lesson" in shown and "🎖️ **Cyberbullying**" in shown
    passport = "".join(str(h.proto.body) for h in at.get("html"))
    assert "Internet Safety Passport" in passport and ">Adam</p>" in passport
    assert "✔ Sample lesson" in passport
    lessons = goto(at, "lessons")
    assert "✅ Done" in texts(lessons)


def test_passport_shows_the_name_as_plain_text(app_env, session, teacher, school_class, fixture_catalogue):
    from amane.services import classes
    from amane.services.permissions import PupilActor
    from amane.testing.apptest import sign_in_pupil

    added = classes.add_pupils(session, teacher, school_class.id, "<b>Rim</b>").added[0]
    session.commit()
    _finish_sample_lesson(
        session, PupilActor(added.pupil.id, school_class.id, school_class.school_id, "x"), fixture_catalogue
    )
    at = sign_in_pupil(new_app().run(), school_class.join_code, "\\<b\\>Rim\\</b\\>", added.pictures)
    at = goto(at, "badges")
    passport = "".join(str(h.proto.body) for h in at.get("html"))
    assert "&lt;b&gt;Rim&lt;/b&gt;" in passport and "<b>Rim</b>" not in passport


def test_pupil_is_signed_out_after_twenty_minutes_without_activity(signed_in):
    from datetime import timedelta

    from amane.models.tables import utcnow

    signed_in.session_state[state.LAST_ACTIVITY] = utcnow() - timedelta(minutes=21)
    at = signed_in.run()
    assert "You were signed out because nobody used the computer for a while." in texts(at)
    assert state.PUPIL not in at.session_state  # signed out: the pupil's session is forgotten


def test_a_click_after_twenty_idle_minutes_moves_nothing_for_the_signed_out_pupil(
    signed_in, session, pupils
):
    """Whoever clicks Next on a computer left idle may be another child: the step is not saved."""
    from datetime import timedelta

    from amane.models.tables import utcnow

    at = button(signed_in, "Start").click().run()
    signed_in.session_state[state.LAST_ACTIVITY] = utcnow() - timedelta(minutes=21)
    at = button(at, "Next").click().run()
    assert state.PUPIL not in at.session_state
    session.expire_all()
    assert [row.step for row in session.exec(select(LessonProgress)).all()] == [0]


def test_pupil_stays_signed_in_while_active(signed_in):
    from datetime import timedelta

    from amane.models.tables import utcnow

    signed_in.session_state[state.LAST_ACTIVITY] = utcnow() - timedelta(minutes=19)
    at = signed_in.run()
    assert "My lessons" in [t.value for t in at.title]


def test_deleted_pupil_is_signed_out_at_once(signed_in, session, teacher, pupils):
    from amane.services import privacy

    privacy.delete_pupil(session, teacher, pupils[0][0].id)
    session.commit()
    at = signed_in.run()
    assert state.PUPIL not in at.session_state  # signed out: the pupil's session is forgotten
    assert "Type your class code" in texts(at)


def test_next_pupil_on_a_shared_computer_starts_fresh(signed_in, school_class, pupils):
    at = button(signed_in, "Start").click().run()
    at = _next(_next(at))
    at = button(at, "Sign out").click().run()
    other, pictures = pupils[1]
    at = sign_in_pupil(at, school_class.join_code, other.display_name, pictures)
    assert f"Hello {other.display_name}!" in texts(at)
    at = button(at, "Start").click().run()
    assert "Step 1 of 7" in str(at.get("progress")[0].proto)


def test_a_pupil_with_a_three_picture_card_taps_three_pictures(app_env, session, school_class, pupils):
    from amane.models.tables import Pupil
    from tests.conftest import old_picture_hash

    actor, _ = pupils[0]
    card = ("fish", "sun", "sun")  # printed before 16 pictures
    session.get(Pupil, actor.id).picture_hash = old_picture_hash(card)
    session.commit()
    at = new_app().run()
    at.text_input[0].input(school_class.join_code)
    at = button(at, "Go").click().run()
    at = button(at, actor.display_name).click().run()
    assert "Hello Adam! Tap your 3 pictures in order." in texts(at)
    assert len([b for b in at.button if b.key and b.key.startswith("pic_")]) == len(PICTURES) == 16
    for picture in card:
        at = at.button(key=f"pic_{picture}").click().run()
    assert at.session_state[state.PUPIL].id == actor.id


def test_while_the_class_waits_the_door_says_wait_a_little(app_env, session, school_class, pupils):
    from amane.services import throttle
    from amane.services.rules import CLASS_PICTURE_DELAYS

    for _ in range(CLASS_PICTURE_DELAYS.free + 1):
        throttle.record_failure(session, throttle.class_key(school_class.id), CLASS_PICTURE_DELAYS)
    session.commit()
    actor, pictures = pupils[0]
    at = sign_in_pupil(new_app().run(), school_class.join_code, actor.display_name, pictures)
    assert "Wait a little, then try again." in [info.value for info in at.info]
    assert state.PUPIL not in at.session_state


def test_wrong_class_codes_one_after_the_other_are_slowed_down(app_env, school_class):
    from amane.services.rules import CLIENT_DELAYS

    at = new_app().run()
    for number in range(CLIENT_DELAYS.free + 1):
        at.text_input[0].input(f"NOPE{number:04}")
        at = button(at, "Go").click().run()
    at.text_input[0].input(school_class.join_code)
    at = button(at, "Go").click().run()
    assert "Wait a little, then try again." in [info.value for info in at.info]
    assert "Tap your name" not in texts(at)
