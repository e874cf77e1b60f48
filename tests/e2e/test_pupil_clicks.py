"""A pupil's clicks rerun only the lesson (st.fragment), in French and Arabic, on a phone and a
tablet: each step is still saved, the top bar stays, and a pupil whose class is archived meanwhile
is signed out at their next click, which AppTest cannot show (it runs the whole page at every
click)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from amane import i18n
from amane.models.tables import LessonProgress, SchoolClass
from amane.services import classes
from amane.services.permissions import StaffActor
from amane.settings import ROOT
from tests.e2e.conftest import LESSON
from tests.e2e.test_journey import click
from tests.e2e.test_quiz_controls import LANGUAGES, pupil_in, sign_in  # noqa: F401  (pupil_in: fixture)

SHOTS = ROOT / "screenshots" / "pupil-clicks"
def _saved_step(session, pupil_id: int) -> int:
    session.expire_all()
    return session.exec(select(LessonProgress.step).where(LessonProgress.pupil_id == pupil_id)).one()


@pytest.mark.parametrize("width", [390, 768])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_next_saves_each_step_and_an_archived_class_signs_out_at_the_next_click(
    new_page, session, real_catalogue, pupil_in, lang, width  # noqa: F811
):
    t = i18n.t
    me = pupil_in(lang)
    lesson = real_catalogue.lesson(LESSON)
    total = len(lesson.steps)
    page: Page = new_page(width=width, height=1024 if width == 768 else 844)
    sign_in(page, session, me)
    click(page, "button", t("Start"), exact=True)
    for step in (2, 3):
        click(page, "button", t("Next"), exact=True)
        expect(page.get_by_text(t("Step {step} of {total}", step=step, total=total))).to_be_visible()
        assert _saved_step(session, me.id) == step - 1  # saved at every step
    topbar = page.locator(".st-key-amane-topbar")  # left alone by the lesson's own runs, still there
    expect(topbar.get_by_role("button", name=t("Sign out"))).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"step-{lang}-{width}.png"))

    school_class = session.get(SchoolClass, me.class_id)
    teacher = StaffActor(school_class.teacher_id, school_class.school_id, "teacher", "teacher", "M. Alaoui")
    classes.archive_class(session, teacher, me.class_id)
    session.commit()
    click(page, "button", t("Next"), exact=True)
    expect(page.locator('input[aria-label="' + t("Class code") + '"]')).to_be_visible()  # the door
    expect(page.get_by_text(t("Step {step} of {total}", step=4, total=total))).to_have_count(0)

