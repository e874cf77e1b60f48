"""Screenshots of the main pages, for people to look at, and the README's pictures.

    .venv/bin/python scripts/screenshots.py [OUT_DIR]   every main page in English and Arabic,
                                                        tablet and laptop widths (default: screenshots/)
    .venv/bin/python scripts/screenshots.py --readme    the README's pictures, in French and
                                                        Arabic, into docs/screenshots/ (make screenshots)

Seeds the demo school into a temporary SQLite database, starts the app, and drives headless
Chromium through the pages.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from amane.i18n import t
from amane.settings import ROOT
from amane.testing.browser import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server, wait_idle

LANG_NAMES = {"en": "English", "fr": "Français", "ar": "العربية"}
README_SHOTS = ROOT / "docs" / "screenshots"
TABLET = {"width": 768, "height": 1024}


def start_demo(tmp: Path) -> tuple[subprocess.Popen, str, str]:
    """The demo school in a temporary SQLite file, served; returns the process, address, class code."""
    url = f"sqlite:///{tmp / 'demo.db'}"
    env = {**os.environ, "AMANE_DATABASE_URL": url, "AMANE_DATA_DIR": str(tmp)}
    out = subprocess.run(
        [sys.executable, "-m", "amane.cli", "demo"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    code = out.split("class code ")[1].split(",")[0].strip()
    process, base = start_server(url, tmp)
    return process, base, code


def set_language(page: Page, lang: str) -> None:
    page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name=LANG_NAMES[lang]).click()
    wait_idle(page)


def shoot(page: Page, out: Path, name: str) -> None:
    wait_idle(page)
    page.screenshot(path=str(out / f"{name}.png"), full_page=True)


def click(page: Page, name: str, exact: bool = False) -> None:
    page.get_by_role("button", name=name, exact=exact).first.click()
    wait_idle(page)


def _outage(browser, tmp: Path, out: Path) -> None:
    """What everyone sees when the database cannot be reached (nothing listens on port 9)."""
    for lang in ("en", "ar"):
        folder = tmp / f"outage-{lang}"
        folder.mkdir()
        unreachable = "postgresql+psycopg://amane@127.0.0.1:9/amane"
        process, base = start_server(unreachable, folder, AMANE_DEFAULT_LANGUAGE=lang)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 700}).new_page()
            page.goto(base)
            shoot(page, out, f"{lang}-17-database-unreachable")
            page.context.close()
        finally:
            stop_server(process)


def _quiz_feedback(page: Page, lang: str, out: Path, tag: str) -> None:
    """From the lesson on screen back to My lessons, then the first quiz: a question, and the
    feedback on its last option (each run answers the next question of the same attempt)."""
    set_language(page, lang)  # the class's language applies after sign-in unless the pupil chose one
    page.locator('[data-testid="stMain"] button').filter(has_text=t("My lessons", lang=lang)).first.click()
    wait_idle(page)  # back from the lesson left open above
    page.locator('[data-testid="stMain"] button').filter(has_text=t("Quiz", lang=lang)).first.click()
    wait_idle(page)
    shoot(page, out, f"{tag}-07-quiz-question")
    options = page.locator('[data-testid="stRadioOption"]')
    if options.count():  # a single-choice or true/false question (else "Check" asks for an answer)
        options.last.click()
        wait_idle(page)
    click(page, t("Check my answer", lang=lang))
    shoot(page, out, f"{tag}-08-quiz-feedback")


def staff_page(browser, base: str, lang: str, username: str, password: str) -> Page:
    """A new laptop-width browser signed in as this demo staff member, in this language."""
    page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    page.goto(f"{base}/staff")
    wait_idle(page)
    set_language(page, lang)
    page.locator('[data-testid="stTextInput"] input').first.fill(username)
    page.locator('input[type="password"]').first.fill(password)
    page.keyboard.press("Enter")
    wait_idle(page)
    # The sign-in cookie is written once the page has run: the pages opened next by address need it.
    page.wait_for_function("document.cookie.includes('amane_auth')")
    return page


def _key(page: Page, prefix: str) -> None:
    """Click the first button whose widget key starts with `prefix`."""
    page.locator(f'[class*="st-key-{prefix}"] button').first.click()
    wait_idle(page)


def _pupil_readme(browser, base: str, code: str, lang: str) -> None:
    """A pupil on a tablet: a lesson's story step after a choice, then a quiz question answered."""
    page = browser.new_context(viewport=TABLET).new_page()
    page.goto(base)
    wait_idle(page)
    set_language(page, lang)
    page.locator('[data-testid="stTextInputField"]').first.fill(code)
    page.keyboard.press("Enter")
    wait_idle(page)
    click(page, "Yasmine", exact=True)
    for emoji in ("☀️", "🐱", "🍎"):
        page.locator('[data-testid="stMain"] button').filter(has_text=emoji).first.click()
        wait_idle(page)
    _key(page, "open_")
    while not page.locator('[class*="st-key-choice_"]').count():
        _key(page, "step_next_")
    _key(page, "choice_")
    page.screenshot(path=str(README_SHOTS / f"{lang}-lesson.png"))
    _key(page, "back_to_list")
    _key(page, "quiz_")
    page.mouse.wheel(0, -10_000)  # the top of the question, not where the lesson was scrolled to
    wait_idle(page)
    page.screenshot(path=str(README_SHOTS / f"{lang}-quiz.png"))
    page.context.close()


def readme(browser, base: str, code: str) -> None:
    """The README's pictures: the pupil's lesson and quiz (tablet), the teacher's dashboard
    (laptop) and the parents' area (tablet), in French and Arabic."""
    README_SHOTS.mkdir(parents=True, exist_ok=True)
    for lang in ("fr", "ar"):
        _pupil_readme(browser, base, code, lang)
        page = staff_page(browser, base, lang, "prof", "cedar window music")
        page.goto(f"{base}/dashboard")
        page.locator(".st-key-dashboard_heatmap table").first.wait_for()  # drawn, not placeholders
        wait_idle(page)
        page.screenshot(path=str(README_SHOTS / f"{lang}-dashboard.png"))
        page.context.close()
        page = browser.new_context(viewport=TABLET).new_page()
        page.goto(f"{base}/parents")
        wait_idle(page)
        set_language(page, lang)
        page.locator('[data-testid="stExpander"] summary').first.click()
        wait_idle(page)
        page.screenshot(path=str(README_SHOTS / f"{lang}-parents.png"))
        page.context.close()


def main() -> None:
    if sys.argv[1:] == ["--readme"]:
        with tempfile.TemporaryDirectory() as tmp:
            process, base, code = start_demo(Path(tmp))
            try:
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                    readme(browser, base, code)
                    browser.close()
            finally:
                stop_server(process)
        print(f"README screenshots in {README_SHOTS}")
        return
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        process, base, code = start_demo(Path(tmp))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for lang in ("en", "ar"):
                    for width in (768, 1280):
                        page = browser.new_context(viewport={"width": width, "height": 1000}).new_page()
                        page.goto(base)
                        wait_idle(page)
                        set_language(page, lang)
                        tag = f"{lang}-{width}"
                        shoot(page, out, f"{tag}-01-pupil-sign-in")
                        page.locator('[data-testid="stTextInputField"]').first.fill(code)
                        page.keyboard.press("Enter")
                        wait_idle(page)
                        click(page, "Yasmine", exact=True)
                        shoot(page, out, f"{tag}-02-names-pictures")
                        for picture in range(3):
                            page.locator('[data-testid="stMain"] button').filter(
                                has_text=["☀️", "🐱", "🍎"][picture]
                            ).first.click()
                            wait_idle(page)
                        shoot(page, out, f"{tag}-03-my-lessons")
                        page.locator('[data-testid="stMain"] button[kind="primary"]').first.click()
                        wait_idle(page)
                        shoot(page, out, f"{tag}-04-lesson-step")
                        for _ in range(4):
                            page.locator('[data-testid="stMain"] button[kind="primary"]').last.click()
                            wait_idle(page)
                        shoot(page, out, f"{tag}-05-lesson-later-step")
                        _quiz_feedback(page, lang, out, tag)
                        page.goto(f"{base}/help")
                        wait_idle(page)
                        shoot(page, out, f"{tag}-06-get-help")
                        page.context.close()
                    page = staff_page(browser, base, lang, "prof", "cedar window music")
                    shoot(page, out, f"{lang}-10-teacher-classes")
                    for url, name in (
                        ("dashboard", "11-dashboard"),
                        ("progress", "11b-progress"),
                        ("present", "14-classroom"),
                        ("letter", "15-letter"),
                        ("requests", "12-help-requests"),
                        ("parents", "13-parents"),
                    ):
                        page.goto(f"{base}/{url}")
                        wait_idle(page)
                        shoot(page, out, f"{lang}-{name}")
                    page.context.close()
                    page = staff_page(browser, base, lang, "direction", "olive lantern river")
                    page.goto(f"{base}/teachers")
                    shoot(page, out, f"{lang}-16-admin-teachers")
                    page.context.close()
                _outage(browser, Path(tmp), out)
                browser.close()
        finally:
            stop_server(process)
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
