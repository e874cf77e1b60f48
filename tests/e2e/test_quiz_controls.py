"""The pupil's quiz and lesson player on a tablet and a phone, in French and Arabic: ordering by
tapping big numbered steps, every control a finger can hit (WCAG 2.5.5: 44 x 44 px), no English
left by a widget, and Next in sight after a scenario choice. Screenshots go to screenshots/quiz/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from amane import i18n
from amane.models.content import MultipleChoice, Ordering, ScenarioStep
from amane.services import progress
from amane.settings import ROOT
from amane.testing.browser import wait_idle
from tests.e2e.conftest import LESSON, PICTURES, seed_class
from tests.e2e.test_journey import PICTURE_NAMES, answer_in, click

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "screenshots" / "quiz"
WIDGET_ENGLISH = ("Choose options", "Select all", "No results", "Choose an option")
LANGUAGES = ("fr", "ar")


@pytest.fixture
def pupil_in(session):
    """`pupil_in(lang)`: the one pupil of a new 9-11 class in that language; from then on
    `i18n.t` speaks it too, as the pupil's pages do."""

    def make(lang: str):
        _, (me,) = seed_class(session, "CM2 A", lang, "Yasmine")
        i18n.set_language(lang)
        return me

    yield make
    i18n.set_language("en")


def sign_in(page: Page, session, me) -> None:
    from amane.models.tables import SchoolClass

    page.locator('input[aria-label="Class code"]').fill(session.get(SchoolClass, me.class_id).join_code)
    click(page, "button", "Go")
    click(page, "button", me.display_name, exact=True)
    for picture in PICTURES:
        click(page, "button", i18n.t(PICTURE_NAMES[picture]))


def assert_finger_sized(targets: Locator) -> None:
    boxes = [target.bounding_box() for target in targets.all()]
    assert boxes and all(box and box["height"] >= 44 and box["width"] >= 44 for box in boxes), boxes


def shoot(page: Page, name: str, whole: bool = True) -> None:
    """The screen, or the whole page: Streamlit scrolls inside the page, so the window is then
    made as tall as it for the picture."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    if not whole:
        page.screenshot(path=str(SHOTS / f"{name}.png"))
        return
    size = page.viewport_size
    tall = page.locator('[data-testid="stMain"]').evaluate("main => main.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(tall, size["height"])})
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    page.set_viewport_size(size)


def answer_until(page: Page, questions: list, kind: type, lang: str) -> None:
    """Answer (rightly) the questions before the first of this kind; on the way, every radio row
    must be finger-sized."""
    for question in questions:
        if isinstance(question, kind):
            return
        assert_finger_sized(page.locator('.st-key-quiz-answer [data-testid="stRadioOption"]'))
        answer_in(page, question, lang)
        click(page, "button", i18n.t("Next"), exact=True)


@pytest.mark.parametrize("width", [390, 768])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_pupil_orders_steps_by_tapping_numbered_big_buttons_in_their_language(
    new_page, session, real_catalogue, pupil_in, lang, width
):
    t = i18n.t
    me = pupil_in(lang)
    lesson = real_catalogue.lesson(LESSON)
    progress.complete_lesson(session, me, LESSON, len(lesson.steps))
    session.commit()
    questions = real_catalogue.quiz_for(LESSON).questions
    ordering = next(q for q in questions if isinstance(q, Ordering))
    items = [item.get(lang) for item in ordering.items]
    page = new_page(width=width, height=1024 if width == 768 else 844)
    sign_in(page, session, me)
    click(page, "button", t("Quiz"), exact=True)
    shoot(page, f"single-{lang}-{width}")
    answer_until(page, questions, Ordering, lang)

    answer = page.locator(".st-key-ordering-answer")
    steps = page.locator(".st-key-ordering-steps button")
    assert_finger_sized(steps)
    assert_finger_sized(page.locator(".st-key-quiz-answer button"))  # undo, start again
    click(page, "button", items[1], exact=True)
    click(page, "button", items[0], exact=True)
    expect(answer.locator("li")).to_have_text([items[1], items[0]])
    shoot(page, f"ordering-{lang}-{width}")
    numbering = answer.locator("ol").evaluate(
        "list => [list.start, getComputedStyle(list.firstElementChild).listStyleType,"
        " getComputedStyle(list).direction]"
    )
    assert numbering == [1, "decimal", i18n.direction(lang)]  # 1., 2., … on the reading side
    click(page, "button", t("Undo last"))
    expect(answer.locator("li")).to_have_text([items[1]])
    click(page, "button", t("Start again"))
    expect(answer.locator("li")).to_have_count(0)
    for item in items:
        click(page, "button", item, exact=True)
    expect(answer.locator("li")).to_have_text(items)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert not [english for english in WIDGET_ENGLISH if english in text]
    expect(page.locator('[data-testid="stMultiSelect"]')).to_have_count(0)
    click(page, "button", t("Check my answer"))
    expect(page.get_by_text(t("Right!"))).to_be_visible()
    click(page, "button", t("Next"), exact=True)
    answer_until(page, questions[questions.index(ordering) + 1 :], MultipleChoice, lang)
    assert_finger_sized(page.locator('.st-key-quiz-answer [data-testid="stCheckbox"] > label'))
    shoot(page, f"multiple-{lang}-{width}")


@pytest.mark.parametrize("size", [(768, 1024), (390, 844)], ids=["768x1024", "390x844"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_after_a_scenario_choice_next_is_in_view(new_page, session, real_catalogue, pupil_in, lang, size):
    t = i18n.t
    me = pupil_in(lang)
    lesson = real_catalogue.lesson(LESSON)
    index = next(i for i, step in enumerate(lesson.steps) if isinstance(step, ScenarioStep))
    progress.save_step(session, me, LESSON, index, len(lesson.steps))
    session.commit()
    page = new_page(width=size[0], height=size[1])
    sign_in(page, session, me)
    click(page, "button", t("Continue"), exact=True)
    next_button = page.get_by_role("button", name=t("Next"), exact=True)
    next_button.click()
    wait_idle(page)
    expect(page.get_by_text(t("First tap what you would do. Then you can go on."))).to_be_visible()
    still = t("Step {step} of {total}", step=index + 1, total=len(lesson.steps))
    expect(page.get_by_text(still)).to_be_visible()  # Next asked for a choice and stayed
    step = lesson.steps[index]
    worst = next(choice for choice in step.choices if not choice.best)
    click(page, "button", worst.text.get(lang), exact=True)
    expect(page.get_by_text(worst.consequence.get(lang))).to_be_visible()
    expect(next_button).to_be_in_viewport(ratio=1)
    expect(page.locator(".st-key-scenario-outcome")).to_be_in_viewport()
    for control in (
        page.locator(".st-key-lesson-step button"),  # the choices
        next_button,
        page.get_by_role("button", name=t("Back"), exact=True),
        page.frame_locator('iframe[srcdoc*="listen"]').locator("#listen"),
    ):
        assert_finger_sized(control)
    shoot(page, f"scenario-{lang}-{size[0]}", whole=False)  # what the pupil sees after the choice
