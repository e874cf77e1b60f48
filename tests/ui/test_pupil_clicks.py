"""What a pupil's click costs the server: the statements of a lesson's Next and of a quiz answer,
exact. (In the browser these clicks rerun their fragment alone; AppTest runs the whole page, whose
app.py part for a pupil is the same check as the fragment's own run: current_pupil.)"""

from __future__ import annotations

from amane.testing.apptest import button, new_app, sign_in_pupil, texts
from tests.ui.test_pupil_pages import LESSON


def test_a_lesson_next_and_a_quiz_answer_cost_a_fixed_number_of_statements(
    app_env, school_class, pupils, fixture_catalogue, count_queries
):
    actor, pictures = pupils[0]
    at = sign_in_pupil(new_app().run(), school_class.join_code, actor.display_name, pictures)
    at = button(at, "Start").click().run()
    with count_queries() as next_step:
        at = button(at, "Next").click().run()
    assert "Step 2 of 7" in str(at.get("progress")[0].proto)
    # current_pupil (2), save_step: assigned?, insert if absent, the row for update, its update
    assert next_step.count == 6
    with count_queries() as back_step:
        at = button(at, "Back").click().run()
    assert back_step.count == 6

    at.session_state["amane_lesson"] = {"id": LESSON, "mode": "quiz"}
    at.run()
    first = fixture_catalogue.quiz_for(LESSON).questions[0]
    at.radio[0].set_value(next(o for o in first.options if o.correct)).run()
    with count_queries() as answer:
        at = button(at, "Check my answer").click().run()
    assert "Right!" in texts(at)
    # submit_answer: the attempt, already answered?, insert, read back (4); current_pupil (2); the
    # page: the open attempt by id, read again by answers' own check, its answers (3). (Before the
    # attempt was kept by id: 10, open_attempt checking the assignment at every click.)
    assert answer.count == 9
    with count_queries() as next_question:
        at = button(at, "Next").click().run()
    assert "Question 2 of 5" in str(at.get("progress")[0].proto)
    assert next_question.count == 5  # current_pupil (2), the attempt by id (twice), its answers
