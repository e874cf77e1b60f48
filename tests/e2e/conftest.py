"""A real Streamlit server and Debian's headless Chromium, driven by Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from amane.i18n import LANGUAGE_NAMES, t
from amane.models.content_loader import Catalogue, load_catalogue
from amane.models.tables import Pupil
from amane.services import accounts, assignments, classes
from amane.services.permissions import PupilActor
from amane.services.pictures import hash_pictures
from amane.settings import ROOT
from amane.testing.browser import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server, wait_idle
from tests.conftest import PASSWORD

LESSON = "dont-feed-the-bully-9-11"
PICTURES = ("sun", "cat", "apple", "heart")


@pytest.fixture
def server(database_url, tmp_path) -> Iterator[str]:
    """A server against this test's database."""
    process, base = start_server(database_url, tmp_path)
    yield base
    stop_server(process)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.failed_call = report.failed


@pytest.fixture
def new_page(browser: Browser, server: str, request):
    """Opens pages in fresh browser contexts (`options`: more of the context's, e.g. timezone_id);
    on failure, screenshots go to screenshots/failures/."""
    contexts = []

    def opener(path: str = "", width: int = 1280, height: int = 900, **options: str) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB", **options)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{server}/{path}")
        wait_idle(page)
        return page

    yield opener
    close_contexts(request, contexts)


def close_contexts(request, contexts: list) -> None:
    """Close a test's browser contexts, first keeping screenshots of their pages in
    screenshots/failures/ if the test failed."""
    if getattr(request.node, "failed_call", False):
        folder = ROOT / "screenshots" / "failures"
        folder.mkdir(parents=True, exist_ok=True)
        for number, context in enumerate(contexts):
            for page in context.pages:
                page.screenshot(path=str(folder / f"{request.node.name}-{number}.png"), full_page=True)
    for context in contexts:
        context.close()


def click(page: Page, role: str, name: str, exact: bool = False) -> None:
    page.get_by_role(role, name=name, exact=exact).first.click()
    wait_idle(page)


def choose_language(page: Page, lang: str) -> None:
    """Choose a language in the top bar's menu, and wait until the page is drawn in it."""
    page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name=LANGUAGE_NAMES[lang]).click()
    # The bar's own link is redrawn in the new language only once its run has been: a field filled
    # before that would be emptied by the run, on a busy machine.
    expect(page.get_by_role("link", name=t("Get help now", lang=lang))).to_be_visible()
    wait_idle(page)


def sign_in_staff(page: Page, lang: str = "en", username: str = "teacher") -> None:
    """On the staff sign-in form, in the page's language `lang`: sign in, and wait for the sign-in
    cookie (written by a script once the page has run; a page opened by its address needs it)."""
    page.locator(f'input[aria-label="{t("Username", lang=lang)}"]').fill(username)
    page.locator(f'input[aria-label="{t("Password", lang=lang)}"]').fill(PASSWORD)
    click(page, "button", t("Sign in", lang=lang))
    page.wait_for_function("document.cookie.includes('amane_auth')")
    wait_idle(page)


@cache
def _course() -> Catalogue:
    return load_catalogue(ROOT)


def seed_class(session, name: str, language: str, pupils: str) -> tuple[classes.ClassInfo, list[PupilActor]]:
    """A school (admin `direction`, teacher `teacher` M. Alaoui) with one 9-11 class doing LESSON,
    of these pupils (one per line), whose pictures are all PICTURES."""
    admin = accounts.create_school(session, "École", "direction", "Direction", PASSWORD)
    teacher = accounts.create_staff(session, admin, "teacher", "M. Alaoui", PASSWORD)
    school_class = classes.create_class(session, teacher, name, "9-11", language, _course())
    assignments.set_assignments(session, teacher, school_class.id, [LESSON], {}, _course())
    added = classes.add_pupils(session, teacher, school_class.id, pupils)
    actors = []
    for new in added.added:
        session.get(Pupil, new.pupil.id).picture_hash = hash_pictures(PICTURES)
        pupil = new.pupil
        actors.append(PupilActor(pupil.id, school_class.id, school_class.school_id, pupil.display_name))
    session.commit()
    return school_class, actors


@pytest.fixture
def school(session) -> classes.ClassInfo:
    """The class CM2 A (English) of Yasmine and Adam."""
    return seed_class(session, "CM2 A", "en", "Yasmine\nAdam")[0]
