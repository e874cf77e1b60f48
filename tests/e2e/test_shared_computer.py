"""A shared school computer in a real browser: a teacher who closes the tab without signing out is
not signed in for the next person once the idle time has passed, and a sign-in cookie copied
before signing out is worth nothing afterwards."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from amane.i18n import t
from amane.testing.browser import start_server, stop_server, wait_idle
from amane.views.auth import COOKIE_NAME
from tests.conftest import PASSWORD
from tests.e2e.conftest import choose_language, click, sign_in_staff

pytestmark = pytest.mark.e2e

IDLE_MINUTES = 0.05  # AMANE_STAFF_IDLE_MINUTES of the quick server: 3 seconds
TEACHER = "M. Alaoui"  # the display name of seed_class's teacher


@pytest.fixture
def quick_idle_server(database_url, tmp_path) -> Iterator[str]:
    """A server whose staff sessions end after 3 seconds without a click."""
    process, base = start_server(database_url, tmp_path, AMANE_STAFF_IDLE_MINUTES=str(IDLE_MINUTES))
    yield base
    stop_server(process)


def _open(page: Page, url: str) -> Page:
    page.goto(url)
    wait_idle(page)
    return page


def _signed_in_teacher(page: Page, base: str, lang: str) -> None:
    _open(page, f"{base}/staff")
    choose_language(page, lang)
    sign_in_staff(page, lang)
    expect(page.get_by_role("heading", name=t("My classes", lang=lang))).to_be_visible()


def _public_home(page: Page) -> None:
    """The public home of a signed-out visitor (in the server's default language, English)."""
    expect(page.get_by_role("heading", name=t("Welcome to Amane", lang="en"))).to_be_visible()
    expect(page.get_by_text(TEACHER)).to_have_count(0)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_tab_closed_without_signing_out_is_not_signed_in_for_the_next_person(
    browser: Browser, quick_idle_server: str, school, lang: str
):
    context = browser.new_context(viewport={"width": 768, "height": 1024}, locale="en-GB")
    try:
        teacher = context.new_page()
        _signed_in_teacher(teacher, quick_idle_server, lang)
        assert any(cookie["name"] == COOKIE_NAME for cookie in context.cookies())
        teacher.close()  # no sign-out
        time.sleep(IDLE_MINUTES * 60 + 1)
        next_person = _open(context.new_page(), quick_idle_server)
        _public_home(next_person)
        next_person.wait_for_function(f"!document.cookie.includes('{COOKIE_NAME}')")  # and it is deleted
    finally:
        context.close()


def test_a_cookie_copied_before_signing_out_no_longer_signs_in(new_page, server, school):
    page = new_page("staff", 768, 1024)
    choose_language(page, "fr")
    sign_in_staff(page, "fr")
    copied = [cookie for cookie in page.context.cookies() if cookie["name"] == COOKIE_NAME]
    elsewhere = new_page("", 768, 1024)  # another computer, given the copy while it still works
    elsewhere.context.add_cookies(copied)
    _open(elsewhere, server)
    expect(elsewhere.get_by_text(TEACHER).first).to_be_visible()
    click(page, "button", t("Sign out", lang="fr"))
    expect(page.get_by_role("heading", name=t("Welcome to Amane", lang="fr"))).to_be_visible()
    stranger = new_page("", 768, 1024)
    stranger.context.add_cookies(copied)
    _public_home(_open(stranger, server))
    _public_home(_open(elsewhere, server))  # signing out ended the other computer's session too



def test_a_click_the_moment_my_classes_appears_keeps_the_sign_in_cookie(new_page, server, school):
    """The cookie's script is rendered at the end of a page run; a click as soon as My classes
    shows cuts that run short, so the next run renders it again: a reload then finds the teacher
    still signed in."""
    page = new_page("staff")  # 1280 px: the menu is open
    page.locator(f'input[aria-label="{t("Username")}"]').fill("teacher")
    page.locator(f'input[aria-label="{t("Password")}"]').fill(PASSWORD)
    page.get_by_role("button", name=t("Sign in")).click()
    expect(page.get_by_role("heading", name=t("My classes"))).to_be_visible()
    page.get_by_role("link", name=t("Class dashboard")).click()  # at once, no wait
    page.wait_for_function(f"document.cookie.includes('{COOKIE_NAME}=ey')")
    wait_idle(page)
    _open(page, f"{server}/dashboard")
    expect(page.get_by_role("button", name=t("Sign out"))).to_be_visible()
