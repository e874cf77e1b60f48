"""Tablets and phones: the bar above every page (Larger text, Get help now, the language, who is
signed in and Sign out) and the pupils' door are fully visible, never under Streamlit's header,
never truncated, and every control is at least 44 x 44 px (WCAG 2.5.5), in French and Arabic,
at 768 and 390 px wide, and at 1280 px with "Larger text" on. Screenshots: screenshots/screens/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from amane.i18n import t
from amane.settings import ROOT
from amane.testing.browser import wait_idle
from tests.conftest import PASSWORD
from tests.e2e.conftest import choose_language, click, seed_class

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "screenshots" / "screens"
TOP_BAR = ".st-key-amane-topbar"
BAR_CONTROLS = (
    f"{TOP_BAR} [data-testid='stCheckbox'] label, {TOP_BAR} [data-testid='stPageLink'] a, "
    f"{TOP_BAR} [data-baseweb='select'] > div, {TOP_BAR} .stButton button"
)
DOOR_CONTROLS = (
    "[data-testid='stMain'] [data-testid='stTextInputRootElement'], [data-testid='stMain'] .stButton button"
)

# For each control: what is wrong with it, if anything. "Covered": the element at its centre, top
# or bottom edge is something else (Streamlit's header). "Truncated": a text inside it is wider than its box.
_PROBLEMS = """(controls) => controls.flatMap((control) => {
  const box = control.getBoundingClientRect();
  const name = (control.innerText || control.getAttribute('aria-label') || control.tagName).trim();
  const problems = [];
  if (box.left < 0 || box.top < 0 || box.right > innerWidth || box.bottom > innerHeight) {
    problems.push(`outside the viewport ${JSON.stringify(box)}`);
  }
  for (const y of [box.top + 2, box.top + box.height / 2, box.bottom - 2]) {
    const hit = document.elementFromPoint(box.left + box.width / 2, y);
    if (!hit || !(control.contains(hit) || hit.contains(control))) {
      const what = hit && (hit.getAttribute('data-testid') || hit.tagName);
      problems.push(`covered at y=${Math.round(y)} by ${what}`);
    }
  }
  if (box.height < 44 || box.width < 44) {
    problems.push(`${Math.round(box.width)} x ${Math.round(box.height)} px`);
  }
  for (const element of [control, ...control.querySelectorAll('*')]) {
    const ownText = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (ownText && !element.closest('[aria-hidden=true]') && element.scrollWidth > element.clientWidth + 1) {
      problems.push(`truncated: ${element.textContent.trim()}`);
    }
  }
  return problems.map((problem) => `${name}: ${problem}`);
})"""


# What each item of the bar shows (its text may overflow its own box): the union of its parts.
_OVERLAPS = """(items) => items.map((item) => {
  const parts = [...item.querySelectorAll('p, label, a, button, [data-baseweb="select"]')]
    .map((part) => part.getBoundingClientRect()).filter((box) => box.width);
  return parts.length ? {item, box: {
    left: Math.min(...parts.map((b) => b.left)), right: Math.max(...parts.map((b) => b.right)),
    top: Math.min(...parts.map((b) => b.top)), bottom: Math.max(...parts.map((b) => b.bottom)), width: 1,
  }} : {item, box: {width: 0}};
}).flatMap(({item, box: a}, index, all) => all.slice(index + 1).flatMap(({item: other, box: b}) => {
  const overlap = a.width && b.width && a.left < b.right && b.left < a.right
    && a.top < b.bottom && b.top < a.bottom;
  return overlap ? [`${item.innerText.trim()} overlaps ${other.innerText.trim()}`] : [];
}))"""


def overlapping(page: Page) -> list[str]:
    """The items of the top bar (a caption included) that overlap one another."""
    return page.locator(f"{TOP_BAR} > div").evaluate_all(_OVERLAPS)


def problems(page: Page, selector: str) -> list[str]:
    wait_idle(page)
    return page.locator(selector).evaluate_all(_PROBLEMS)


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"layout-{name}.png"))


@pytest.mark.parametrize(
    ("lang", "width", "larger"),
    [(lang, width, False) for width in (768, 390) for lang in ("fr", "ar")]
    + [("fr", 1280, True), ("ar", 1280, True)],
)
def test_top_bar_and_pupil_door_fit_tablets_and_phones(new_page, session, lang, width, larger):
    seed_class(session, "CM2 A", lang, "Yasmine")
    page = new_page(width=width, height=800)
    choose_language(page, lang)
    if larger:
        page.locator(f"{TOP_BAR} [data-testid='stCheckbox'] label").click()
    case = f"{lang}-{width}" + ("-larger" if larger else "")
    shoot(page, f"door-{case}")
    assert problems(page, BAR_CONTROLS) == [], case
    assert problems(page, DOOR_CONTROLS) == [], case
    assert overlapping(page) == [], case
    staff_link = page.locator(TOP_BAR).get_by_role("link", name=t("Staff sign-in", lang=lang))
    expect(staff_link).to_be_visible()  # without opening the folded menu

    staff_link.click()
    wait_idle(page)
    page.locator(f'input[aria-label="{t("Username", lang=lang)}"]').fill("teacher")
    page.locator(f'input[aria-label="{t("Password", lang=lang)}"]').fill(PASSWORD)
    click(page, "button", t("Sign in", lang=lang))
    expect(page.locator(TOP_BAR).get_by_role("button", name=t("Sign out", lang=lang))).to_be_visible()
    shoot(page, f"teacher-{case}")
    assert problems(page, BAR_CONTROLS) == [], case
    assert overlapping(page) == [], case
