"""The awareness kit in Chromium, in Arabic on a 1280 px projector: a parents' evening presented
screen by screen without the menu, in large right-to-left text, then its invitation printed alone
on one A4 page. Screenshots go to screenshots/kit/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from amane import i18n
from amane.settings import ROOT
from amane.testing.browser import wait_idle
from tests.e2e.conftest import choose_language, click, seed_class, sign_in_staff

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "screenshots" / "kit"
SCHOOL = "مدرسة ابن بطوطة <b>"  # printed as typed, never as HTML


@pytest.fixture
def arabic():
    i18n.set_language("ar")  # so that t() gives the texts the page shows
    yield
    i18n.set_language("en")


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def screen(page: Page):
    return page.locator(".st-key-kit-presenting .kit-screen")


def test_a_parents_evening_is_presented_in_arabic_and_its_invitation_prints_alone(
    new_page, session, real_catalogue, arabic
):
    t = i18n.t
    seed_class(session, "القسم الخامس", "ar", "سلمى")
    session.commit()
    page = new_page("staff", width=1280, height=800)
    choose_language(page, "ar")
    sign_in_staff(page, "ar")
    page.goto(page.url.rsplit("/", 1)[0] + "/kit")
    wait_idle(page)
    click(page, "button", t("Present on the projector"))

    expect(screen(page)).to_have_attribute("dir", "rtl")
    expect(screen(page).get_by_role("heading", level=1)).to_have_text(
        t("Our children online: a parents' evening")
    )
    for hidden in ("[data-testid=stSidebar]", ".st-key-amane-topbar", "[data-testid=stHeader]"):
        expect(page.locator(hidden)).to_be_hidden()
    text_size = screen(page).locator("li").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert text_size >= 24  # readable from the back of the room
    shoot(page, "ar-evening-1-projector")
    four_cs = real_catalogue.guides["four-cs-of-risk"]
    click(page, "button", t("Next"))
    expect(screen(page).get_by_role("heading", level=1)).to_have_text(four_cs.title.ar)
    page.keyboard.press("PageDown")  # a presentation clicker
    wait_idle(page)
    expect(screen(page).get_by_role("heading", level=2)).to_have_text(four_cs.sections[0].heading.ar)
    expect(screen(page)).to_contain_text(four_cs.sections[0].body.ar)
    shoot(page, "ar-evening-3-projector")
    click(page, "button", t("Back"))
    expect(screen(page).get_by_role("heading", level=1)).to_have_text(four_cs.title.ar)
    click(page, "button", t("Stop presenting"))

    page.get_by_text(t("Invitation"), exact=True).click()
    wait_idle(page)
    page.locator(f'input[aria-label="{t("School")}"]').fill(SCHOOL)
    page.locator(f'input[aria-label="{t("Place")}"]').fill("قاعة المكتبة")
    page.keyboard.press("Tab")
    wait_idle(page)
    invitation = page.locator(".st-key-printable-invitation")
    expect(invitation).to_contain_text(SCHOOL)
    shoot(page, "ar-invitation-screen")
    page.emulate_media(media="print")
    wait_idle(page)
    shoot(page, "ar-invitation-print")
    printed = re.sub("[\u2060\u2066-\u2069]", "", page.evaluate("document.body.innerText")).strip()
    assert printed == invitation.evaluate("e => e.innerText").strip()  # the invitation alone
    assert t("Invitation to a parents' evening") in printed and "قاعة المكتبة" in printed
    document = page.pdf(format="A4")
    (SHOTS / "ar-invitation.pdf").write_bytes(document)
    assert len(re.findall(rb"/Type\s*/Page\b", document)) == 1
