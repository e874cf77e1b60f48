"""A pupil's help request where the teacher looks, in a real browser in French and Arabic at
768 px: on the class dashboard's Needs help card (what about, when in the teacher's own time,
in person), acknowledged from the card, then shown as acknowledged on the pupil's page.
Screenshots of both pages go to screenshots/help/ (also at 1280 px, for the layout of the
completion chart and of the pupil's quiz table)."""

from __future__ import annotations

import pytest
from babel.dates import format_datetime
from playwright.sync_api import Page, expect
from sqlmodel import select

from amane import i18n
from amane.models.tables import HelpRequest, StaffUser
from amane.services import assignments, help_requests
from amane.services.permissions import StaffActor
from amane.settings import ROOT
from amane.testing.browser import wait_idle
from tests.conftest import finish_lesson
from tests.e2e.conftest import LESSON, choose_language, click, seed_class, sign_in_staff

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "screenshots" / "help"
ZONE = "Africa/Casablanca"  # the teacher's browser: times are shown in it, not in UTC


def _sent(request: help_requests.HelpRequestInfo, lang: str) -> str:
    """'Sent …' as the teacher in Casablanca reads it: the locale's short date, and the time."""
    local = format_datetime(request.created_at, "short", tzinfo=ZONE, locale=i18n.BABEL_LOCALES[lang])
    return i18n.t("Sent {when}", lang=lang, when=i18n.isolate(local))


def _shoot(page: Page, name: str) -> None:
    """The whole page: Streamlit scrolls inside the page, so the window is made tall for the shot."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": 2600})
    wait_idle(page)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    page.set_viewport_size({"width": width, "height": 1000})
    wait_idle(page)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_teacher_acknowledges_a_request_from_the_dashboard(
    new_page, server, session, real_catalogue, lang
):
    t = i18n.t
    school_class, (yasmine, _adam) = seed_class(session, "CM2 A", lang, "Yasmine\nAdam")
    teacher = StaffActor.of(session.exec(select(StaffUser).where(StaffUser.username == "teacher")).one())
    every_lesson = [lesson.id for lesson in real_catalogue.lessons_for_band("9-11")]  # a full chart
    assignments.set_assignments(session, teacher, school_class.id, every_lesson, {}, real_catalogue)
    finish_lesson(session, yasmine, real_catalogue, LESSON)  # a quiz table on her page
    asked = help_requests.ask_for_help(session, yasmine, "mean", True)
    session.commit()

    page = new_page("staff", width=768, height=1000, timezone_id=ZONE)
    choose_language(page, lang)
    sign_in_staff(page, lang)
    page.goto(f"{server}/dashboard")  # at 768 px the menu is folded away; the profile keeps the language
    wait_idle(page)

    card = page.locator(f".st-key-dashboard_help_{asked.id}")
    expect(card).to_contain_text(t(help_requests.CATEGORIES["mean"], lang=lang))
    expect(card).to_contain_text(_sent(asked, lang))
    expect(card).to_contain_text(t("Wants to talk in person", lang=lang))
    expect(card).to_contain_text(t("Status: {status}", lang=lang, status=t("New", lang=lang)))
    assert card.evaluate("e => getComputedStyle(e).direction") == ("rtl" if lang == "ar" else "ltr")
    _shoot(page, f"dashboard-{lang}-768")

    card.get_by_role("button", name=t("Acknowledge", lang=lang)).click()
    wait_idle(page)

    acknowledged = t("Status: {status}", lang=lang, status=t("Acknowledged", lang=lang))
    expect(page.get_by_role("button", name=t("Acknowledge", lang=lang))).to_have_count(0)  # none left to do
    expect(card).to_contain_text(acknowledged)
    session.expire_all()
    assert session.exec(select(HelpRequest.status).where(HelpRequest.id == asked.id)).one() == "acknowledged"

    click(page, "button", t("Open {name}'s page", lang=lang, name="Yasmine"))
    expect(page.get_by_role("heading", name=t("Help requests", lang=lang))).to_be_visible()
    on_her_page = page.locator(f".st-key-pupil_help_{asked.id}")
    expect(on_her_page).to_contain_text(t(help_requests.CATEGORIES["mean"], lang=lang))
    expect(on_her_page).to_contain_text(_sent(asked, lang))
    expect(on_her_page).to_contain_text(acknowledged)
    expect(on_her_page).to_contain_text("M. Alaoui")  # who acknowledged it
    _shoot(page, f"pupil-{lang}-768")

    page.set_viewport_size({"width": 1280, "height": 1000})
    wait_idle(page)
    _shoot(page, f"pupil-{lang}-1280")
    click(page, "button", t("Class dashboard", lang=lang))
    _shoot(page, f"dashboard-{lang}-1280")
