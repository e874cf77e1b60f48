"""The main journey in a real browser: a pupil signs in, completes the lesson and its quiz,
and their teacher's progress table shows it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from amane import i18n
from amane.models.content import MultipleChoice, Ordering, ScenarioStep, SingleChoice, TrueFalse
from amane.models.tables import HelpRequest, Pupil, SchoolClass
from amane.testing.browser import wait_idle
from tests.e2e.conftest import LESSON, PICTURES, click, sign_in_staff

pytestmark = pytest.mark.e2e

PICTURE_NAMES = {"sun": "Sun", "cat": "Cat", "apple": "Apple", "heart": "Heart"}


def sign_in_pupil(page: Page, code: str, name: str, lang: str = "en") -> None:
    """Class code, name and PICTURES on the pupils' door (its pictures named in `lang`)."""
    page.locator('input[aria-label="Class code"]').fill(code)
    click(page, "button", "Go")
    click(page, "button", name, exact=True)
    for picture in PICTURES:
        click(page, "button", i18n.t(PICTURE_NAMES[picture], lang=lang))


def choose(page: Page, kind: str, text: str) -> None:
    """Click the radio or checkbox whose label is exactly `text`."""
    exact = re.compile(f"^{re.escape(text)}$")
    page.locator(f'[data-testid="{kind}"] label').filter(has_text=exact).first.click()
    wait_idle(page)


def answer_in(page: Page, question, lang: str = "en", double_click: bool = False) -> None:
    """Answer a question rightly through the widgets, in the page's language."""
    if isinstance(question, SingleChoice):
        right = next(o for o in question.options if o.correct)
        choose(page, "stRadio", right.text.get(lang))
    elif isinstance(question, MultipleChoice):
        for option in question.options:
            if option.correct:
                choose(page, "stCheckbox", option.text.get(lang))
    elif isinstance(question, TrueFalse):
        choose(page, "stRadio", i18n.t("True") if question.answer else i18n.t("False"))
    elif isinstance(question, Ordering):
        for item in question.items:  # tap the steps first to last
            click(page, "button", item.get(lang), exact=True)
    wait_idle(page)
    if double_click:
        page.get_by_role("button", name=i18n.t("Check my answer")).dblclick()
        wait_idle(page)
    else:
        click(page, "button", i18n.t("Check my answer"))


def test_pupil_completes_lesson_and_quiz_and_teacher_sees_it(new_page, school, real_catalogue):
    lesson = real_catalogue.lesson(LESSON)
    quiz = real_catalogue.quiz_for(LESSON)
    page = new_page()
    sign_in_pupil(page, school.join_code, "Yasmine")
    expect(page.get_by_role("heading", name="My lessons")).to_be_visible()
    click(page, "button", "Start", exact=True)
    for index, step in enumerate(lesson.steps):
        expect(page.get_by_text(f"Step {index + 1} of {len(lesson.steps)}")).to_be_visible()
        if isinstance(step, ScenarioStep):
            best = next(choice for choice in step.choices if choice.best)
            click(page, "button", best.text.en)
            expect(page.get_by_text(best.explanation.en)).to_be_visible()
        last = index == len(lesson.steps) - 1
        click(page, "button", "Finish the lesson" if last else "Next", exact=True)
    expect(page.get_by_text("Well done, you finished the lesson!")).to_be_visible()
    for question in quiz.questions:
        answer_in(page, question)
        expect(page.get_by_text("Right!")).to_be_visible()
        click(page, "button", "Next", exact=True)
    total = len(quiz.questions)
    expect(page.get_by_text(f"Your score: {total} / {total}")).to_be_visible()

    teacher = new_page("staff")
    sign_in_teacher(teacher)
    teacher.get_by_role("link", name="Class progress").click()
    wait_idle(teacher)
    row = teacher.locator("table tr").filter(has_text="Yasmine")
    expect(row).to_contain_text("✔ 100%")
    expect(teacher.locator("table tr").filter(has_text="Adam")).to_contain_text("—")


def sign_in_teacher(page: Page) -> None:
    sign_in_staff(page)
    expect(page.get_by_role("heading", name="My classes")).to_be_visible()


def test_teacher_stays_signed_in_across_reloads_until_signing_out(new_page, server, school):
    page = new_page("staff")
    sign_in_teacher(page)
    page.wait_for_function("document.cookie.includes('amane_auth')")
    page.goto(f"{server}/progress")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Class progress")).to_be_visible()
    click(page, "button", "Sign out")
    expect(page.get_by_role("heading", name="Welcome to Amane")).to_be_visible()
    page.wait_for_function("!document.cookie.includes('amane_auth')")
    page.goto(f"{server}/progress")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Class progress")).to_have_count(0)


def test_pupil_in_arabic_completes_the_lesson_earns_the_badge_and_asks_for_help(
    new_page, session, school, real_catalogue
):
    row = session.get(SchoolClass, school.id)
    row.language = "ar"
    session.add(row)
    session.commit()
    i18n.set_language("ar")
    try:
        t = i18n.t
        lesson = real_catalogue.lesson(LESSON)
        quiz = real_catalogue.quiz_for(LESSON)
        page = new_page()
        sign_in_pupil(page, school.join_code, "Adam", "ar")
        expect(page.get_by_role("heading", name=t("My lessons"))).to_be_visible()
        direction = page.evaluate(
            "getComputedStyle(document.querySelector('[data-testid=stMain]')).direction"
        )
        assert direction == "rtl"
        click(page, "button", t("Start"), exact=True)
        for index, step in enumerate(lesson.steps):
            expect(
                page.get_by_text(t("Step {step} of {total}", step=index + 1, total=len(lesson.steps)))
            ).to_be_visible()
            if isinstance(step, ScenarioStep):
                best = next(choice for choice in step.choices if choice.best)
                click(page, "button", best.text.ar)
                expect(page.get_by_text(best.explanation.ar)).to_be_visible()
            last = index == len(lesson.steps) - 1
            click(page, "button", t("Finish the lesson") if last else t("Next"), exact=True)
        for question in quiz.questions:
            answer_in(page, question, "ar")
            expect(page.get_by_text(t("Right!"))).to_be_visible()
            click(page, "button", t("Next"), exact=True)
        total = len(quiz.questions)
        expect(page.get_by_text(t("Your score: {score} / {total}", score=total, total=total))).to_be_visible()
        page.get_by_role("link", name=t("My badges")).click()
        wait_idle(page)
        expect(page.get_by_text(lesson.title.ar).first).to_be_visible()
        page.get_by_role("link", name=t("Talk to my teacher")).click()
        wait_idle(page)
        choose(page, "stRadio", t("Someone is being mean to me"))
        click(page, "button", t("Send to my teacher"))
        expect(
            page.get_by_text(
                t("Your teacher will see your message. Thank you for telling us: that was brave.")
            )
        ).to_be_visible()
    finally:
        i18n.set_language("en")
    requests = session.exec(select(HelpRequest)).all()
    assert [(r.category, r.status) for r in requests] == [("mean", "new")]


def test_teacher_creates_a_class_adds_pupils_prints_cards_and_sees_progress_and_help(
    new_page, server, session, school, real_catalogue
):
    from amane.services import help_requests, progress, quizzes
    from amane.services.permissions import PupilActor

    page = new_page("staff")
    sign_in_teacher(page)
    page.get_by_text("Create a class").click()
    wait_idle(page)
    page.locator('input[aria-label="Class name"]').first.fill("CM1 B")
    click(page, "button", "Create the class", exact=True)
    expect(page.get_by_text("Class created. Its code is")).to_be_visible()
    page.locator("textarea").fill("Salma\nMehdi\n\nSalma")
    page.keyboard.press("Tab")
    click(page, "button", "Add pupils", exact=True)
    expect(page.get_by_text("2 pupils added.")).to_be_visible()
    expect(page.get_by_text("Already in the class, not added again: Salma")).to_be_visible()
    expect(page.get_by_role("heading", name="Sign-in cards")).to_be_visible()
    expect(page.get_by_text("Class code:", exact=False)).to_have_count(3)  # the header line and two cards
    # Without AMANE_PUBLIC_URL, the cards print the address this browser used (My classes is
    # the default page: its own address has no page path to strip).
    markdown = page.locator('[data-testid="stMarkdownContainer"]')
    shown = markdown.filter(has_text="Address printed on the cards")
    invisible = dict.fromkeys(map(ord, "\u2060\u2066\u2069"))  # word joiner, isolate marks
    assert shown.inner_text().translate(invisible).strip() == f"Address printed on the cards: {server}"

    # Salma finishes the lesson and its quiz, then asks for help (as she would from her tablet).
    created = session.exec(select(SchoolClass).where(SchoolClass.name == "CM1 B")).one()
    salma = session.exec(select(Pupil).where(Pupil.display_name == "Salma")).one()
    me = PupilActor(salma.id, created.id, created.school_id, "Salma")
    lesson = real_catalogue.lessons_for_band(created.age_band)[0]
    quiz = real_catalogue.quiz_for(lesson.id)
    progress.complete_lesson(session, me, lesson.id, len(lesson.steps))
    attempt = quizzes.open_attempt(session, me, quiz)
    for question in quiz.questions:
        quizzes.submit_answer(session, me, attempt.id, question, question.right_answer())
    quizzes.finish_attempt(session, me, attempt.id, quiz)
    help_requests.ask_for_help(session, me, "contact", True)
    session.commit()

    page.get_by_role("link", name="Class dashboard").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Needs help")).to_be_visible()
    expect(page.get_by_role("button", name="Open Salma's page")).to_be_visible()
    request = page.locator('[class*="st-key-dashboard_help_"]')  # her request itself, on the card
    expect(request).to_contain_text("Someone I don't know contacted me")
    expect(page.locator(".st-key-dashboard_heatmap table").first).to_contain_text("✔ 100%")
    page.get_by_role("link", name="Help requests (1)").click()
    wait_idle(page)
    expect(page.get_by_text("Someone I don't know contacted me")).to_be_visible()
