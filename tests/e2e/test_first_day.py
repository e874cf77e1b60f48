"""A new school's first day in a real browser, in French and Arabic on a tablet: setup, the
"Your school is ready" page and its steps, and the first teacher account."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from amane.i18n import t
from amane.settings import ROOT
from tests.conftest import PASSWORD
from tests.e2e.conftest import choose_language, click

pytestmark = pytest.mark.e2e

SHOTS = ROOT / "screenshots" / "first-day"


def _field(page: Page, label: str):
    return page.locator(f'[data-testid="stMain"] input[aria-label="{label}"]')


def _step(number: int, msgid: str, lang: str) -> str:
    return t("{number}. {step}", lang=lang, number=number, step=t(msgid, lang=lang))


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [768])
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_setup_then_the_ready_page_leads_to_the_first_teacher_account(new_page, lang, width):
    page = new_page("", width, 1000)
    choose_language(page, lang)
    for label, value in [
        ("School name", "École Al Amal"),
        ("Your name", "Mme Bennani"),
        ("Username", "direction"),
        ("Password", PASSWORD),
        ("Password again", PASSWORD),
    ]:
        _field(page, t(label, lang=lang)).fill(value)
    click(page, "button", t("Create the school", lang=lang))

    expect(page.get_by_role("heading", name=t("Your school is ready", lang=lang))).to_be_visible()
    steps = [
        _step(1, "Sign in", lang),
        _step(2, "Create the teachers' accounts", lang),
        _step(3, "A teacher creates a class", lang),
        _step(4, "Print the pupils' sign-in cards", lang),
    ]
    tops = [page.get_by_text(step, exact=False).first.bounding_box()["y"] for step in steps]
    assert tops == sorted(tops)  # in order, top to bottom
    _shot(page, f"ready-{lang}-{width}")

    _field(page, t("Username", lang=lang)).fill("direction")
    _field(page, t("Password", lang=lang)).fill(PASSWORD)
    click(page, "button", t("Sign in", lang=lang))
    expect(page.get_by_role("heading", name=t("Your school is ready", lang=lang))).to_be_visible()
    main = page.locator('[data-testid="stMain"]')
    # My classes is the admin's home page: its address is the site's own ("").
    for step, href in zip(steps[1:], ["teachers", "", ""], strict=True):
        expect(main.get_by_role("link", name=step)).to_have_attribute("href", href)
    _shot(page, f"ready-signed-in-{lang}-{width}")

    click(page, "link", steps[1])
    expect(page.get_by_role("heading", name=t("Teachers", lang=lang))).to_be_visible()
    _field(page, t("Name", lang=lang)).fill("Mme Alaoui")
    _field(page, t("Username", lang=lang)).fill("alaoui")
    _field(page, t("First password", lang=lang)).fill("olive lantern river")
    click(page, "button", t("Create the account", lang=lang))
    expect(page.get_by_text(t("Account created for {name}.", lang=lang, name="Mme Alaoui"))).to_be_visible()
    expect(_field(page, t("Name", lang=lang))).to_be_visible()  # still open for the next teacher
    expect(_field(page, t("Name", lang=lang))).to_have_value("")
    expect(_field(page, t("Username", lang=lang))).to_have_value("")
    passwords = page.locator('input[type="password"]')
    assert passwords.count() >= 2  # the new account's and the reset form's
    assert [field.input_value() for field in passwords.all()] == [""] * passwords.count()
    _shot(page, f"teachers-{lang}-{width}")
