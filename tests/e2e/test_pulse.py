"""The class pulse in Chromium (issue 17, item 2): the teacher (768 px) opens a pulse, a pupil
(390 px) answers it from the card on My lessons and is shown Get help, the rest of the class
answers through the service, and the teacher closes it and reads the counts."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from amane.i18n import t, tn
from amane.services import pulse
from amane.settings import ROOT
from amane.testing.browser import wait_idle
from tests.e2e.conftest import choose_language, click, seed_class, sign_in_staff
from tests.e2e.test_journey import choose, sign_in_pupil
from tests.e2e.test_rtl import open_from_menu

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "screenshots" / "pulse"


def _shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.mouse.wheel(0, -20000)  # from the top of the page
    wait_idle(page)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_class_answers_a_pulse_and_the_teacher_sees_the_counts(new_page, session, real_catalogue, lang):
    school_class, pupils = seed_class(session, "CM2 A", lang, "Yasmine\nAdam\nOmar\nSara\nNadia\nRayan")
    first, second = real_catalogue.pulse.for_band("9-11").questions[:2]

    teacher = new_page("staff", width=768, height=1024)
    choose_language(teacher, lang)
    sign_in_staff(teacher, lang)
    open_from_menu(teacher, "class-pulse")
    teacher.reload()  # the menu, unfolded at this width, is folded again
    wait_idle(teacher)
    click(teacher, "button", t("Open a pulse for this class", lang=lang))
    expect(
        teacher.get_by_text(
            tn("{n} pupil has answered so far.", "{n} pupils have answered so far.", 0, lang=lang)
        )
    ).to_be_visible()

    page = new_page(width=390, height=844)
    sign_in_pupil(page, school_class.join_code, "Yasmine", lang)
    expect(
        page.get_by_text(
            t("Your teacher asks the class a few questions. Nobody will know what you answer.", lang=lang)
        )
    ).to_be_visible()
    _shoot(page, f"pupil-card-{lang}-390")
    click(page, "link", t("Answer the questions", lang=lang))
    expect(page.get_by_text(first.text.get(lang))).to_be_visible()
    _shoot(page, f"pupil-questions-{lang}-390")
    choose(page, "stRadio", real_catalogue.pulse.choices(first)[2].text.get(lang))  # several times
    click(page, "button", t("Send my answers", lang=lang))
    expect(
        page.get_by_text(t("Thank you! Your answers were counted, without your name.", lang=lang))
    ).to_be_visible()
    expect(page.get_by_text(t("If something online is worrying you", lang=lang))).to_be_visible()
    expect(page.get_by_role("link", name=t("Get help", lang=lang), exact=True).last).to_be_visible()
    _shoot(page, f"pupil-thanks-{lang}-390")

    opened = pulse.my_pulse(session, pupils[1])
    for classmate in pupils[1:]:  # the rest of the class, through the service
        pulse.answer_pulse(
            session, classmate, opened.id, {first.id: "several", second.id: "never"}, real_catalogue
        )
    session.commit()

    teacher.reload()
    wait_idle(teacher)
    expect(
        teacher.get_by_text(
            tn("{n} pupil has answered so far.", "{n} pupils have answered so far.", 6, lang=lang)
        )
    ).to_be_visible()
    click(teacher, "button", t("Close the pulse and see the results", lang=lang))
    expect(
        teacher.get_by_text(tn("{n} pupil answered.", "{n} pupils answered.", 6, lang=lang))
    ).to_be_visible()
    tables = teacher.locator('[data-testid="stTable"]')
    expect(tables.nth(0)).to_contain_text(real_catalogue.pulse.choices(first)[2].text.get(lang))
    first_counts = [cell.inner_text().strip() for cell in tables.nth(0).locator("tbody td").all()]
    second_counts = [cell.inner_text().strip() for cell in tables.nth(1).locator("tbody td").all()]
    assert first_counts == ["0", "0", "6"] and second_counts == ["5", "0", "0"]  # Yasmine skipped it
    wait_idle(teacher)
    _shoot(teacher, f"teacher-results-{lang}-768")
