"""Nothing a pupil did is lost: a server restart in the middle of a lesson, and double clicks."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import Session, select

from amane.models.content import ScenarioStep
from amane.models.tables import LessonProgress, QuizAnswer
from amane.testing.browser import start_server, stop_server, wait_idle
from tests.e2e.conftest import LESSON
from tests.e2e.test_journey import answer_in, click, sign_in_pupil

pytestmark = pytest.mark.e2e


def _progress(session: Session) -> LessonProgress:
    session.expire_all()
    return session.exec(select(LessonProgress)).one()


def test_a_lesson_interrupted_by_a_server_restart_resumes_at_the_step_reached(
    browser: Browser, database_url, tmp_path, session, school, real_catalogue
):
    total = len(real_catalogue.lesson(LESSON).steps)
    process, base = start_server(database_url, tmp_path)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(base)
        wait_idle(page)
        sign_in_pupil(page, school.join_code, "Yasmine")
        click(page, "button", "Start", exact=True)
        for _ in range(2):
            click(page, "button", "Next", exact=True)
        expect(page.get_by_text(f"Step 3 of {total}")).to_be_visible()

        process.kill()  # no goodbye: like a crash or a power cut
        process.wait()
        process, base = start_server(database_url, tmp_path)

        page.goto(base)
        wait_idle(page)
        sign_in_pupil(page, school.join_code, "Yasmine")
        click(page, "button", "Continue", exact=True)
        expect(page.get_by_text(f"Step 3 of {total}")).to_be_visible()
        assert (_progress(session).step, _progress(session).furthest_step) == (2, 2)
    finally:
        context.close()
        stop_server(process)


def test_double_clicks_move_one_step_and_record_one_answer(new_page, session, school, real_catalogue):
    lesson = real_catalogue.lesson(LESSON)
    total = len(lesson.steps)
    page = new_page()
    sign_in_pupil(page, school.join_code, "Yasmine")
    click(page, "button", "Start", exact=True)
    for step in range(2, total + 1):
        if isinstance(shown := lesson.steps[step - 2], ScenarioStep):  # Next waits for a choice
            click(page, "button", next(choice for choice in shown.choices if choice.best).text.en, exact=True)
        page.get_by_role("button", name="Next", exact=True).dblclick()
        wait_idle(page)
        expect(page.get_by_text(f"Step {step} of {total}")).to_be_visible()
        assert _progress(session).furthest_step == step - 1
    page.get_by_role("button", name="Finish the lesson", exact=True).dblclick()
    wait_idle(page)
    expect(page.get_by_text("Well done, you finished the lesson!")).to_be_visible()

    questions = real_catalogue.quiz_for(LESSON).questions
    answer_in(page, questions[0], double_click=True)
    expect(page.get_by_text("Right!")).to_be_visible()
    expect(page.get_by_text(f"Question 1 of {len(questions)}")).to_be_visible()
    session.expire_all()
    assert [answer.question_id for answer in session.exec(select(QuizAnswer)).all()] == [questions[0].id]
