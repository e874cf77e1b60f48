"""The audit log page: school admins only; rows in words in the admin's language, filtered by who,
which pupil and what; a page of rows at a time; a CSV of the filtered rows."""

from __future__ import annotations

import pytest

from amane import i18n
from amane.i18n import t
from amane.services import audit, help_requests, pupil_report
from amane.services.rules import AUDIT_PAGE
from amane.testing.apptest import button, goto, new_app, sign_in_staff, texts, widget
from amane.views import state
from amane.views.navigation import PAGES
from tests.conftest import PASSWORD


@pytest.fixture
def history(session, teacher, school_class, pupils, fixture_catalogue) -> None:
    """Adam asked for help; his teacher opened his page and read the class's requests."""
    adam = pupils[0][0]
    help_requests.ask_for_help(session, adam, "secrets", False)
    session.flush()
    pupil_report.pupil_report(session, teacher, adam.id, fixture_catalogue)
    help_requests.inbox(session, teacher, class_id=school_class.id)
    session.commit()


def _admin_page(lang: str):
    at = sign_in_staff(new_app().run(), "admin", PASSWORD)
    at.selectbox(key=state.LANGUAGE_MENU).select(lang).run()
    i18n.set_language(lang)  # AppTest formats the drop-downs' options in this thread (format_func calls t)
    return goto(at, "audit")


def _rows(at) -> list[list[str]]:
    return at.table[0].value.values.tolist() if at.table else []


@pytest.fixture(autouse=True)
def _english_after():
    yield
    i18n.set_language("en")


def test_only_admins_have_the_page():
    (spec,) = [spec for spec in PAGES if spec.url == "audit"]
    assert spec.roles == {"admin"} and spec.in_menu


def test_a_teacher_who_opens_its_address_is_sent_home(app_env, teacher, history):
    at = goto(sign_in_staff(new_app().run(), "teacher", PASSWORD), "audit")
    assert not at.exception
    assert "Audit log" not in [title.value for title in at.title]
    assert "Opened a pupil's page" not in texts(at)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_admin_reads_who_did_what_and_filters_it(app_env, admin, teacher, pupils, history, lang):
    at = _admin_page(lang)
    assert not at.exception
    assert at.title[0].value == t("Audit log", lang=lang)
    rows = [row for row in _rows(at) if row[1] == "Teacher One"]  # (the admin's sign-in is newest)
    assert rows[0][1:] == [
        "Teacher One",
        t("Read help requests", lang=lang),
        t("Class {name}", name="CM2 A", lang=lang),
    ]
    assert rows[1][1:] == [
        "Teacher One",
        t("Opened a pupil's page", lang=lang),
        t("Pupil {name}", name="Adam", lang=lang),
    ]
    assert rows[0][0].strip("\u2066\u2069")[2] == "/"  # dd/mm/yyyy HH:MM, kept left to right
    assert widget(at, "selectbox", t("Who", lang=lang)).value == ""  # everyone, to start with

    at.selectbox(key="audit_who").select(audit.PUPILS).run()
    assert [row[1:] for row in _rows(at)] == [
        [
            t("Pupil {name}", name="Adam", lang=lang),
            t("Asked for help", lang=lang),
            t("A help request of {name}", name="Adam", lang=lang),
        ]
    ]

    at.selectbox(key="audit_who").select("").run()
    at.selectbox(key="audit_action").select("pupil_viewed").run()
    assert [row[2] for row in _rows(at)] == [t("Opened a pupil's page", lang=lang)]

    at.selectbox(key="audit_action").select("").run()
    at.selectbox(key="audit_class").select(pupils[0][0].class_id).run()
    at.selectbox(key="audit_pupil").select(pupils[1][0].id).run()  # Yasmine: nothing yet
    assert _rows(at) == []
    assert t("Nothing recorded with these filters.", lang=lang) in texts(at)
    at.selectbox(key="audit_pupil").select(pupils[0][0].id).run()
    assert [row[2] for row in _rows(at)] == [
        t("Opened a pupil's page", lang=lang),
        t("Asked for help", lang=lang),  # Adam's own request
    ]
    assert at.get("download_button")  # the CSV of these rows


def test_a_page_of_rows_then_show_more(app_env, admin, teacher, session, history):
    for index in range(AUDIT_PAGE + 5):
        audit.record(session, teacher, "class_exported", f"class:{index}")
    session.commit()
    at = _admin_page("fr")
    assert len(_rows(at)) == AUDIT_PAGE
    button(at, t("Show more", lang="fr")).click().run()
    assert len(_rows(at)) > AUDIT_PAGE
