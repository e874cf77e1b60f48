"""The staff course in a real browser, in Arabic at a tablet's width (issue 16): a teacher rates
their confidence, goes through a module's screens and scenarios, answers its check with feedback,
rates again, prints the certificate, and the school's admin sees the completion."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from amane import i18n
from amane.models.content import ScenarioStep
from amane.services import accounts, training
from amane.testing.browser import start_server, stop_server, wait_idle
from tests.conftest import FIXTURE_CONTENT, PASSWORD
from tests.e2e.conftest import choose_language, click, sign_in_staff
from tests.e2e.test_journey import answer_in
from tests.e2e.test_print import print_shows_only
from tests.e2e.test_rtl import open_from_menu

pytestmark = pytest.mark.e2e
MODULE_ID = "when-a-pupil-tells-you"
WIDTH = 768


@pytest.fixture
def server(database_url, tmp_path) -> Iterator[str]:
    """The conftest's server on the fixture content, whose module stays the same while the
    course's real modules are written."""
    process, base = start_server(database_url, tmp_path, AMANE_CONTENT_DIR=str(FIXTURE_CONTENT))
    yield base
    stop_server(process)


@pytest.fixture
def arabic() -> Iterator[None]:
    i18n.set_language("ar")  # so that t() gives the texts the page shows
    yield
    i18n.set_language("en")


def sign_in_in_arabic(page: Page, username: str) -> None:
    choose_language(page, "ar")
    sign_in_staff(page, "ar", username)
    open_from_menu(page, "training")
    expect(page.get_by_role("heading", name=i18n.t("Training"))).to_be_visible()


def rate(page: Page, value: int) -> None:
    page.locator('[data-testid="stRadio"] label').filter(has_text=str(value)).first.click()
    wait_idle(page)


def test_a_teacher_completes_a_module_in_arabic_prints_the_certificate_and_the_admin_sees_it(
    new_page, session, fixture_catalogue, arabic
):
    module = fixture_catalogue.training_module(MODULE_ID)
    admin = accounts.create_school(session, "مدرسة النور", "direction", "المديرة", PASSWORD)
    accounts.create_staff(session, admin, "teacher", "الأستاذ علوي", PASSWORD)
    session.commit()
    t = i18n.t

    page = new_page("staff", width=WIDTH)
    sign_in_in_arabic(page, "teacher")
    click(page, "button", t("Start"), exact=True)
    expect(
        page.get_by_text(t("How sure are you that you can {skill}?", skill=module.skill.ar))
    ).to_be_visible()
    rate(page, 2)
    click(page, "button", t("Start the module"))
    for index, step in enumerate(module.steps):
        if isinstance(step, ScenarioStep):
            worse = next(choice for choice in step.choices if not choice.best)
            click(page, "button", worse.text.ar, exact=True)
            expect(page.locator(".st-key-scenario-outcome")).to_contain_text(worse.consequence.ar)
        last = index == len(module.steps) - 1
        click(page, "button", t("To the check") if last else t("Next"), exact=True)
    expect(page.get_by_role("heading", name=t("Check what you know"))).to_be_visible()
    for question in module.check:
        answer_in(page, question, "ar")
        expect(page.get_by_text(t("Right."), exact=True)).to_be_visible()  # feedback on every answer
        click(page, "button", t("Next"), exact=True)
    expect(page.get_by_text(module.key_points[0].ar)).to_be_visible()
    rate(page, 4)
    click(page, "button", t("Complete the module"))
    teacher = next(
        row for row in training.school_record(session, admin, fixture_catalogue) if row.role == "teacher"
    )
    record = teacher.records[MODULE_ID]
    assert (record.status, record.confidence_before, record.confidence_after) == ("completed", 2, 4)
    click(page, "button", t("My certificate"))
    printed = print_shows_only(page, ".st-key-printable-certificate", "training-certificate-ar")
    for text in (t("Staff training certificate"), "الأستاذ علوي", "مدرسة النور", module.title.ar):
        assert text in printed, text
    assert page.locator(".st-key-printable-certificate div[dir]").get_attribute("dir") == "rtl"

    admin_page = new_page("staff", width=WIDTH)
    sign_in_in_arabic(admin_page, "direction")
    click(admin_page, "tab", t("Our school"))
    table = admin_page.locator('[data-testid="stTable"]')
    expect(table).to_contain_text("الأستاذ علوي")
    expect(table).to_contain_text(module.title.ar)
    expect(table).to_contain_text("2 → 4")
    expect(table).to_contain_text(t("Completed"))
