"""`make classroom`: the app served on this machine's address on the school network. Linux routes
all of 127.0.0.0/8 to the loopback, so 127.0.0.2 stands in for the school network's address: a
tablet opens it, the pupil signs in, and the teacher finds the same address, with its QR code,
in the app and on the sign-in cards."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest
import segno
from playwright.sync_api import Browser, Page, expect

from amane import i18n
from amane.settings import ROOT
from amane.testing.browser import free_port, stop_server, wait_healthy, wait_idle
from tests.e2e.conftest import choose_language, click, close_contexts, seed_class, sign_in_staff
from tests.e2e.test_journey import sign_in_pupil

pytestmark = pytest.mark.e2e

SCHOOL_NETWORK = "127.0.0.2"
SHOTS = ROOT / "screenshots" / "classroom"
SCAN = "Pupils scan this code with the tablet's camera, or type the address."
ADD_PUPILS = "Add pupils: one first name or nickname per line"


@pytest.fixture
def classroom(database_url, tmp_path) -> Iterator[tuple[str, str]]:
    """`amane classroom --address 127.0.0.2` (what `make classroom ADDRESS=127.0.0.2` runs) on this
    test's database, AMANE_PUBLIC_URL unset: (the address it serves, what it printed)."""
    port = free_port()
    environment = {
        **os.environ,
        "AMANE_DATABASE_URL": database_url,
        "AMANE_DATA_DIR": str(tmp_path / "data"),
        "AMANE_DEFAULT_LANGUAGE": "en",
        "AMANE_CONTENT_DIR": str(ROOT),
    }
    environment.pop("AMANE_PUBLIC_URL", None)
    log = tmp_path / "classroom.log"
    command = [sys.executable, "-m", "amane.cli", "classroom", "--address", SCHOOL_NETWORK]
    command += ["--port", str(port)]
    with open(log, "w") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=output)
    base = f"http://{SCHOOL_NETWORK}:{port}"
    wait_healthy(base, process, log)
    yield base, log.read_text()
    stop_server(process)


@pytest.fixture
def open_page(browser: Browser, request) -> Iterator[Callable[[str, int, int], Page]]:
    """Opens an address in a fresh browser context (screenshots in screenshots/failures/ on failure)."""
    contexts = []

    def opener(url: str, width: int, height: int) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        page.goto(url)
        wait_idle(page)
        return page

    yield opener
    close_contexts(request, contexts)


def _seen(text: str) -> str:
    """Text as a person reads it: without the invisible marks that keep an address whole and in
    order (amane.views.common.plain, amane.i18n.ltr)."""
    return text.translate({ord(mark): None for mark in "\u2060\u2066\u2069"})


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_pupil_signs_in_through_the_classroom_address_the_teacher_is_shown(
    open_page, classroom, session, lang
):
    def t(message: str, **params: str) -> str:
        return i18n.t(message, lang=lang, **params)

    base, printed = classroom
    qr_code = io.StringIO()
    segno.make(base, error="m").terminal(out=qr_code, compact=True)
    assert f"\n    {base}\n" in printed and qr_code.getvalue() in printed  # the address and its QR code
    school_class, _ = seed_class(session, "5B", lang, "Yasmine\nAdam")
    # A tablet on the school network: class code, name, pictures, home.
    tablet = open_page(base, 390, 844)
    sign_in_pupil(tablet, school_class.join_code, "Yasmine", lang)
    expect(tablet.get_by_role("heading", name=t("My lessons"))).to_be_visible()
    _shot(tablet, f"pupil-home-{lang}-390")

    # The teacher, on the same address: the address with its QR code, and on new cards.
    teacher = open_page(f"{base}/staff", 768, 1024)
    sign_in_staff(teacher)
    choose_language(teacher, lang)
    shown = teacher.locator('[data-testid="stExpander"]').filter(has_text="127.0.0.2")
    assert t("Address for the tablets: {address}", address=base) in _seen(shown.inner_text())
    shown.locator("summary").click()
    wait_idle(teacher)
    qr = shown.locator('[data-testid="stImage"] img')
    expect(qr).to_be_visible()
    assert teacher.evaluate("(img) => img.naturalWidth", qr.element_handle()) >= 240
    expect(shown).to_contain_text(t(SCAN))
    _shot(teacher, f"my-classes-{lang}-768")
    teacher.locator(f'textarea[aria-label="{t(ADD_PUPILS)}"]').fill("Karim")
    click(teacher, "button", t("Add pupils"), exact=True)
    card = teacher.locator(".st-key-printable-cards > div")
    expect(card).to_have_count(1)
    assert f"🌐 {base}" in _seen(card.inner_text())
