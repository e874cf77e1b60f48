"""The awareness kit page (AppTest, the real course): a parents' evening presented screen by screen
in the families' language, the invitation and the summary for families, an assembly plan that
opens its lesson in classroom mode; staff only."""

from __future__ import annotations

import html
from datetime import date, time

import pytest
from sqlmodel import func, select

from amane import i18n
from amane.models.tables import AuditEvent
from amane.settings import ROOT, get_settings
from amane.testing.apptest import button, goto, new_app, sign_in_staff, texts, widget
from tests.conftest import PASSWORD


@pytest.fixture
def real_content(app_env, monkeypatch):
    monkeypatch.setenv("AMANE_CONTENT_DIR", str(ROOT))
    get_settings.cache_clear()


def shown_html(at) -> str:
    """The kit's pages and screens, as text (HTML entities read back)."""
    return html.unescape("".join(str(element.proto.body) for element in at.get("html")))


def kit(at):
    return goto(sign_in_staff(at, "teacher", PASSWORD), "kit")


def test_a_parents_evening_is_presented_in_the_families_language_screen_by_screen(
    real_content, teacher, real_catalogue
):
    at = kit(new_app().run())
    assert [
        real_catalogue.guides[g].title.en
        for g in widget(at, "multiselect", "Guides, in the order you will present them").value
    ] == [
        "The 4 Cs: the good side and the risks of the internet",
        "Signs your child may be bullied online",
        "If your child tells you something happened online",
        "Help and the law in Morocco",
        "Talking with your child about their online life",
    ]
    widget(at, "selectbox", "The families' language").select("ar").run()
    widget(at, "multiselect", "The children's ages").set_value(["9-11"]).run()
    button(at, "Present on the projector").click().run()
    screen = shown_html(at)
    assert 'dir="rtl"' in screen and i18n.t("Our children online: a parents' evening", lang="ar") in screen
    assert real_catalogue.guides["four-cs-of-risk"].title.ar in screen
    assert not at.title  # no page title, no setup: the screen alone
    next_label = i18n.t("Next", lang="ar")
    button(at, next_label).click().run()
    assert real_catalogue.guides["four-cs-of-risk"].summary.ar in shown_html(at)
    guide = real_catalogue.guides["four-cs-of-risk"]
    for _ in range(len(guide.sections) + 1):
        at = button(at, next_label).click().run()
    screen = shown_html(at)  # the guide's conversation starters, all of them for the one age chosen
    assert i18n.t("To try at home", lang="ar") in screen
    assert all(starter.ar in screen for starter in guide.conversation_starters["9-11"])
    button(at, i18n.t("Back", lang="ar")).click().run()
    assert guide.sections[-1].heading.ar in shown_html(at)
    button(at, "Stop presenting").click().run()
    assert widget(at, "selectbox", "The families' language").value == "ar"  # the choices stay
    assert widget(at, "multiselect", "The children's ages").value == ["9-11"]


def test_the_invitation_shows_what_was_typed_in_the_families_language_and_stores_nothing(
    real_content, teacher, session
):
    at = kit(new_app().run())
    widget(at, "selectbox", "The families' language").select("fr").run()
    widget(at, "radio", "Prepare").set_value("invitation").run()
    events = session.exec(select(func.count()).select_from(AuditEvent)).one()
    widget(at, "text_input", "School").input("École <b>Ibn Batouta</b>").run()
    widget(at, "date_input", "Date").set_value(date(2027, 1, 14)).run()
    widget(at, "time_input", "Start time").set_value(time(17, 30)).run()
    invitation = shown_html(at)
    assert "École <b>Ibn Batouta</b>" in invitation  # as typed, and escaped, never run as HTML:
    assert "École &lt;b&gt;Ibn Batouta&lt;/b&gt;" in "".join(str(h.proto.body) for h in at.get("html"))
    assert "jeudi 14 janvier 2027" in invitation and "17:30" in invitation
    assert i18n.t("Invitation to a parents' evening", lang="fr") in invitation
    assert "______" in invitation  # the place left empty: a line to fill in by hand
    assert "/parents" in invitation
    assert session.exec(select(func.count()).select_from(AuditEvent)).one() == events


def test_the_summary_for_families_lists_only_trusted_help_for_parents(real_content, teacher, real_catalogue):
    at = kit(new_app().run())
    widget(at, "radio", "Prepare").set_value("summary").run()
    summary = shown_html(at)
    assert real_catalogue.guides["signs-of-bullying"].summary.en in summary
    assert "2511" in summary and "https://www.e-blagh.ma" in summary
    assert "Report and Block buttons" not in summary  # in-app reporting is [M]: not on the page
    assert "A trusted adult" not in summary  # a resource for children


def test_an_assembly_plan_is_built_from_a_band_lesson_and_opens_it_in_classroom_mode(
    real_content, teacher, real_catalogue
):
    at = kit(new_app().run())
    widget(at, "radio", "Prepare").set_value("assembly").run()
    widget(at, "selectbox", "Age band").select("12-14").run()
    lessons = widget(at, "selectbox", "Lesson")
    assert lessons.value == "beyond-banter-12-14"  # cyberbullying, the campaign's subject
    assert "pressure-to-send-12-14" not in lessons.options  # sensitive: taught in class
    lesson = real_catalogue.lesson("beyond-banter-12-14")
    plan = shown_html(at)
    assert lesson.steps[0].text.en in plan  # the story
    assert all(question.en in plan for question in lesson.teacher_notes.discussion)
    assert "About 40 minutes" in plan
    button(at, "Open this lesson in classroom mode").click().run()
    assert at.title[0].value == "Classroom mode"
    assert widget(at, "selectbox", "Lesson").value == "beyond-banter-12-14"


def test_the_kit_is_for_staff_only(real_content):
    at = goto(new_app().run(), "kit")
    assert "Awareness kit" not in texts(at)
