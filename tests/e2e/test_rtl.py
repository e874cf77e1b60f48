"""Arabic is laid out right to left on the pages that matter most, printable pages included:
the computed CSS direction is checked in a real browser, and screenshots are kept in
screenshots/rtl/ for people to look at."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from amane import i18n
from amane.services import help_requests
from amane.settings import ROOT
from amane.testing.browser import wait_idle
from tests.conftest import PASSWORD, finish_lesson
from tests.e2e.conftest import LESSON, PICTURES, choose_language, click, seed_class
from tests.e2e.test_journey import PICTURE_NAMES

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "screenshots" / "rtl"


@pytest.fixture
def arabic_class(session, real_catalogue):
    school_class, (adam, _salma) = seed_class(session, "القسم الخامس", "ar", "Adam\nسلمى")
    finish_lesson(session, adam, real_catalogue, LESSON)
    help_requests.ask_for_help(session, adam, "mean", True)
    session.commit()
    i18n.set_language("ar")
    yield school_class
    i18n.set_language("en")


def direction_of(page: Page, selector: str) -> str:
    return page.locator(selector).first.evaluate("element => getComputedStyle(element).direction")


def check(page: Page, name: str, selector: str = '[data-testid="stMain"]') -> None:
    wait_idle(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    assert direction_of(page, selector) == "rtl", name


def test_pupil_pages_and_passport_are_right_to_left(new_page, arabic_class):
    t = i18n.t
    page = new_page(width=768)
    page.locator('input[aria-label="Class code"]').fill(arabic_class.join_code)
    click(page, "button", "Go")
    click(page, "button", "Adam", exact=True)
    for picture in PICTURES:
        click(page, "button", t(PICTURE_NAMES[picture]))
    check(page, "pupil-my-lessons")
    click(page, "button", t("Read again"), exact=True)
    check(page, "pupil-lesson")
    click(page, "button", i18n.t("My lessons"))
    click(page, "button", t("Quiz"), exact=True)
    check(page, "pupil-quiz")
    click(page, "button", t("My lessons"))
    page.locator('[data-testid="stMain"]').get_by_role("link", name=t("My badges")).click()
    check(page, "pupil-passport", ".passport")
    expect(page.locator(".passport")).to_contain_text("Adam")


def test_parents_area_and_family_agreement_are_right_to_left(new_page, arabic_class, real_catalogue):
    t = i18n.t
    page = new_page("parents")
    choose_language(page, "ar")
    check(page, "parents")
    page.get_by_role("tab", name=t("Family agreement")).click()
    wait_idle(page)
    first_item = real_catalogue.guides["family-agreement"].agreement[0].items[0].ar
    page.locator('[data-testid="stCheckbox"] label').filter(has_text=first_item).click()
    check(page, "family-agreement", '[data-testid="stHtml"] div[dir]')


def test_teacher_dashboard_cards_and_letter_are_right_to_left(new_page, arabic_class):
    t = i18n.t
    page = new_page("staff")
    choose_language(page, "ar")
    page.locator('[data-testid="stTextInput"] input').first.fill("teacher")
    page.locator('input[type="password"]').first.fill(PASSWORD)
    click(page, "button", t("Sign in"))
    page.wait_for_function("document.cookie.includes('amane_auth')")  # see sign_in_teacher
    check(page, "teacher-classes")
    page.locator("textarea").fill("يوسف")
    click(page, "button", t("Add pupils"), exact=True)
    expect(page.get_by_role("heading", name=t("Sign-in cards"))).to_be_visible()
    check(page, "sign-in-cards")
    page.get_by_role("link", name=t("Class dashboard")).click()
    check(page, "dashboard")
    expect(page.get_by_role("button", name=t("Open {name}'s page", name="Adam"))).to_be_visible()
    page.get_by_role("link", name=t("Take-home letter")).click()
    check(page, "letter", '[data-testid="stHtml"] div[dir]')


# Each list item whose first line of text does not start right next to its bullet: the item is
# not right to left, its text is aligned left, or its first line ends short of the item's right
# edge (where the bullet sits, outside the item's box).
_MISALIGNED_ITEMS = """(items) => items.flatMap((item) => {
  const style = getComputedStyle(item);
  const range = document.createRange();
  range.selectNodeContents(item);
  const rects = [...range.getClientRects()].filter((rect) => rect.width > 0);
  const top = Math.min(...rects.map((rect) => rect.top));
  const firstLine = rects.filter((rect) => rect.top - top < 3);  // a line holds several runs
  const right = item.getBoundingClientRect().right - parseFloat(style.paddingRight);
  const gap = rects.length ? right - Math.max(...firstLine.map((rect) => rect.right)) : 0;
  const text = item.innerText.slice(0, 30);
  if (style.direction !== 'rtl') return [`${text}: direction ${style.direction}`];
  if (!['right', 'start'].includes(style.textAlign)) return [`${text}: text-align ${style.textAlign}`];
  return gap > 2 ? [`${text}: ${Math.round(gap)} px between the bullet and the text`] : [];
})"""


def open_from_menu(page: Page, url: str) -> None:
    """Follow a link of the menu, unfolding it first where it is folded away (a tablet)."""
    expand = page.locator('[data-testid="stExpandSidebarButton"]')
    if expand.is_visible():
        expand.click()
    page.locator(f'[data-testid="stSidebarNav"] a[href$="/{url}"]').click()
    wait_idle(page)


def misaligned_items(page: Page, name: str) -> list[str]:
    wait_idle(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"lists-{name}.png"), full_page=True)
    items = page.locator('[data-testid="stMain"] li:visible')
    assert items.count() > 0, name
    return [f"{name}: {problem}" for problem in items.evaluate_all(_MISALIGNED_ITEMS)]


@pytest.mark.parametrize("width", [1280, 768])
def test_arabic_list_text_starts_next_to_its_bullet(new_page, arabic_class, real_catalogue, width):
    t = i18n.t
    page = new_page("help", width=width)
    choose_language(page, "ar")
    found = misaligned_items(page, f"get-help-{width}")
    open_from_menu(page, "parents")
    guide = real_catalogue.guides["if-your-child-tells-you"]
    page.locator("summary").filter(has_text=guide.title.ar).click()
    found += misaligned_items(page, f"parents-guide-{width}")
    open_from_menu(page, "staff")
    page.locator('[data-testid="stTextInput"] input').first.fill("teacher")
    page.locator('input[type="password"]').first.fill(PASSWORD)
    click(page, "button", t("Sign in"))
    open_from_menu(page, "letter")
    found += misaligned_items(page, f"letter-{width}")
    assert found == []
