"""Every page renders for its audience in every language, with no error and no English left
on the French and Arabic pages."""

import pytest
from babel.messages.pofile import read_po

from amane import i18n
from amane.services import help_requests
from amane.testing.apptest import goto, new_app, sign_in_pupil, sign_in_staff, texts
from amane.views import state
from amane.views.navigation import PAGES as REGISTERED
from tests.conftest import PASSWORD

PAGES = {
    "anonymous": ["start", "staff", "parents", "help"],
    "pupil": ["lessons", "badges", "talk", "privacy", "help", "pulse"],
    "teacher": [
        "classes",
        "dashboard",
        "progress",
        "impact",
        "class-pulse",
        "training",
        "kit",
        "present",
        "letter",
        "requests",
        "account",
        "privacy-notice",
        "parents",
        "help",
        "pupil",
        "computer",
    ],
    "admin": [
        "teachers", "classes", "requests", "ready", "audit", "impact", "class-pulse", "training", "kit",
    ],  # fmt: skip
}


def test_every_page_of_app_py_is_checked_here():
    assert {spec.url for spec in REGISTERED} - {"setup"} == {url for urls in PAGES.values() for url in urls}


def _english_strings() -> list[str]:
    with (i18n.LOCALES_DIR / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        ids = [m.id for m in read_po(handle) if m.id and not m.pluralizable and "{" not in m.id]
    return [m for m in ids if len(m.split()) >= 3]  # short words may be the same in French


@pytest.fixture
def signed_in(request, app_env, admin, teacher, school_class, pupils, session):
    help_requests.ask_for_help(session, pupils[0][0], "mean", True)
    session.commit()

    def open_as(role: str):
        at = new_app().run()
        if role == "pupil":
            actor, pictures = pupils[0]
            return sign_in_pupil(at, school_class.join_code, actor.display_name, pictures)
        if role in ("teacher", "admin"):
            return sign_in_staff(at, role, PASSWORD)
        return at

    return open_as


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
@pytest.mark.parametrize("role", list(PAGES))
def test_pages_render_in_each_language(signed_in, role, lang):
    at = signed_in(role)
    at.selectbox(key=state.LANGUAGE_MENU).select(lang).run()
    english = _english_strings() if lang != "en" else []
    i18n.set_language(lang)  # AppTest formats widget options in this thread (format_func calls t)
    try:
        for url in PAGES[role]:
            goto(at, url)
            assert not at.exception, (url, at.exception)
            shown = texts(at)
            assert shown.strip(), url
            leaked = [m for m in english if m in shown]
            assert leaked == [], (url, leaked)
    finally:
        i18n.set_language("en")
