"""The before-and-after check in Chromium (issue 17, item 1): a pupil (390 px) takes the check
before the lesson, the lesson, and the check after it; the teacher (768 px) sees the gain."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from amane.i18n import ltr, t, tn
from amane.models.content import MultipleChoice, ScenarioStep, SingleChoice, TrueFalse
from amane.models.impact import resolve
from amane.settings import ROOT
from amane.testing.browser import wait_idle
from tests.e2e.conftest import LESSON, choose_language, click, seed_class, sign_in_staff
from tests.e2e.test_journey import choose, sign_in_pupil

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "screenshots" / "impact"


def _shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _answer(page: Page, question, lang: str, right: bool) -> None:
    """Answer through the widgets, rightly or not, then Next."""
    if isinstance(question, TrueFalse):
        choose(page, "stRadio", t("True" if question.answer == right else "False", lang=lang))
    elif isinstance(question, SingleChoice):
        option = next(o for o in question.options if o.correct == right)
        choose(page, "stRadio", option.text.get(lang))
    elif isinstance(question, MultipleChoice):
        for option in question.options:
            if option.correct if right else option is next(o for o in question.options if not o.correct):
                choose(page, "stCheckbox", option.text.get(lang))
    click(page, "button", t("Next", lang=lang), exact=True)


def _take_check(page: Page, items, lang: str, right: bool, shot: str) -> None:
    click(page, "button", t("Let's go", lang=lang), exact=True)
    for number, item in enumerate(items, start=1):
        expect(
            page.get_by_text(t("Question {number} of {total}", lang=lang, number=number, total=len(items)))
        ).to_be_visible()
        if number == 1:
            _shoot(page, shot)
        _answer(page, item.question, lang, right)


def _play_lesson(page: Page, lesson, lang: str) -> None:
    click(page, "button", t("Start", lang=lang), exact=True)
    for index, step in enumerate(lesson.steps):
        if isinstance(step, ScenarioStep):
            click(page, "button", next(c for c in step.choices if c.best).text.get(lang))
        last = index == len(lesson.steps) - 1
        click(page, "button", t("Finish the lesson" if last else "Next", lang=lang), exact=True)
    expect(
        page.get_by_text(t("Well done, you finished the lesson! Now a short quiz.", lang=lang))
    ).to_be_visible()
    click(page, "button", t("My lessons", lang=lang))


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_class_takes_the_check_before_and_after_a_lesson_and_the_teacher_sees_the_gain(
    new_page, server, session, real_catalogue, lang
):
    school_class, _ = seed_class(session, "CM2 A", lang, "Yasmine\nAdam")
    items = resolve(real_catalogue.checks["9-11"], real_catalogue.lessons, real_catalogue.quizzes)

    pupil = new_page(width=390, height=844)
    sign_in_pupil(pupil, school_class.join_code, "Yasmine", lang)
    expect(pupil.get_by_text(t("What do I know already?", lang=lang))).to_be_visible()
    _shoot(pupil, f"card-before-{lang}-390")
    _take_check(pupil, items, lang, right=False, shot=f"question-{lang}-390")
    expect(pupil.get_by_text(t("Thank you! Now you know where you start.", lang=lang))).to_be_visible()
    expect(pupil.get_by_text(t("Right!", lang=lang))).to_have_count(0)  # no right or wrong before
    click(pupil, "button", t("Start my lessons", lang=lang), exact=True)
    expect(pupil.get_by_text(t("What do I know already?", lang=lang))).to_have_count(0)

    _play_lesson(pupil, real_catalogue.lesson(LESSON), lang)
    expect(pupil.get_by_text(t("What do I know now?", lang=lang))).to_be_visible()
    _take_check(pupil, items, lang, right=True, shot=f"question-after-{lang}-390")
    learnt = tn(
        "You learnt {n} new answer since your first lesson.",
        "You learnt {n} new answers since your first lesson.",
        len(items),
        lang=lang,
    )
    expect(pupil.get_by_text(learnt)).to_be_visible()
    _shoot(pupil, f"results-{lang}-390")

    teacher = new_page("staff", width=768, height=1024)
    choose_language(teacher, lang)
    sign_in_staff(teacher, lang)
    teacher.goto(f"{server}/impact")  # at 768 px the menu is folded away; the profile keeps the language
    wait_idle(teacher)
    report = teacher.locator(".st-key-printable-impact")
    both = tn(
        "{n} pupil took both checks: the figures are theirs.",
        "{n} pupils took both checks: the figures are theirs.",
        1,
        lang=lang,
    )
    expect(report.get_by_text(both)).to_be_visible()
    expect(report.get_by_text(ltr("+100"), exact=True).first).to_be_visible()  # the whole class's gain
    expect(report.locator("table")).to_contain_text(t("Cyberbullying", lang=lang))
    assert report.evaluate("e => getComputedStyle(e).direction") == ("rtl" if lang == "ar" else "ltr")
    _shoot(teacher, f"impact-{lang}-768")

    teacher.emulate_media(media="print")  # the printed report: the class's figures and chart only
    expect(report).to_be_visible()
    expect(teacher.get_by_role("heading", name=t("Impact", lang=lang), exact=True)).to_be_hidden()
    expect(teacher.locator('[data-testid="stSelectbox"]').first).to_be_hidden()
    _shoot(teacher, f"impact-print-{lang}-768")
