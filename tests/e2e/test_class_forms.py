"""The create-class form on a tablet, in French and Arabic: it starts in the teacher's language and
says what that choice controls, and it closes, emptied, once the class is created."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from amane import i18n
from amane.i18n import LANGUAGE_NAMES
from amane.models.tables import SchoolClass
from amane.testing.browser import wait_idle
from amane.views.teacher.classes import CLASS_LANGUAGE_HELP
from tests.e2e.conftest import seed_class
from tests.e2e.test_journey import click
from tests.e2e.test_print import SHOTS, language, sign_in_teacher_in  # noqa: F401  (a fixture)

pytestmark = pytest.mark.e2e


def test_create_class_form_starts_in_the_teachers_language_and_closes_once_created(
    new_page, session, language  # noqa: F811
):
    t = i18n.t
    seed_class(session, "CM2 A", "en", "Adam")
    page = new_page("staff", width=768)
    sign_in_teacher_in(page, language)
    page.get_by_text(t("Create a class")).click()
    wait_idle(page)
    form = page.locator('[data-testid="stExpander"]').filter(has_text=t("Create a class"))
    chosen = form.locator('[data-testid="stSelectbox"]').filter(has_text=t("Class language"))
    expect(chosen.get_by_role("combobox")).to_have_value(LANGUAGE_NAMES[language])
    chosen.locator('[data-testid="stTooltipIcon"]').hover()
    expect(page.locator('[data-testid="stTooltipContent"]')).to_have_text(t(CLASS_LANGUAGE_HELP))
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"create-class-{language}.png"))

    name = form.locator(f'input[aria-label="{t("Class name")}"]')
    name.fill("CM1 B")
    click(page, "button", t("Create the class"), exact=True)
    created = session.exec(select(SchoolClass).where(SchoolClass.name == "CM1 B")).one()
    assert created.language == language
    expect(page.get_by_text(t("Class created. Its code is {code}.", code=created.join_code))).to_be_visible()
    expect(name).to_be_hidden()  # the form closed
    page.get_by_text(t("Create a class")).click()
    wait_idle(page)
    expect(name).to_have_value("")
