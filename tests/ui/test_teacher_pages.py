"""A teacher creates a class, adds pupils, follows progress and reads help requests."""

import pytest
from sqlmodel import select

from amane.i18n import t
from amane.models.tables import Assignment, AuditEvent, HelpRequest, SchoolClass
from amane.services import help_requests, progress
from amane.testing.apptest import button, goto, new_app, sign_in_staff, texts, widget
from amane.views import state
from tests.conftest import PASSWORD


@pytest.fixture
def teacher_app(app_env, teacher):
    at = sign_in_staff(new_app().run(), "teacher", PASSWORD)
    assert not at.exception
    return at


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_new_class_starts_in_the_teachers_language(teacher_app, language):
    """The class language (the pupils' screens, the letter) defaults to the one the teacher reads."""
    teacher_app.session_state[state.LANGUAGE] = language
    at = teacher_app.run()
    chosen = widget(at, "selectbox", t("Class language", lang=language))
    assert chosen.value == language
    assert chosen.help == t("The language of the pupils' screens (each pupil can still choose another), "
                            "and of the letter to families.", lang=language)


def test_teacher_creates_a_class_and_adds_pupils_with_sign_in_cards(teacher_app, session):
    at = teacher_app
    assert "You have no class yet" in texts(at)
    at.text_input[0].input("CM2 B")
    widget(at, "selectbox", "Age band").select("9-11")
    widget(at, "selectbox", "Class language").select("ar")
    at = button(at, "Create the class").click().run()
    created = session.exec(SchoolClass.__table__.select()).one()
    assert f"Its code is {created.join_code}" in texts(at)
    assert session.exec(select(Assignment.lesson_id)).all() == ["sample-9-11"]  # every lesson of its band
    at.text_area[0].input("Adam\n\nYasmine\nadam\n")
    at = button(at, "Add pupils").click().run()
    shown = texts(at)
    assert "2 pupils added." in shown
    assert "Already in the class, not added again: adam" in shown
    assert "1 empty line was skipped." in shown  # a counted string: the singular for 1
    assert "Sign-in cards" in shown
    assert [m.value for m in at.markdown].count(f"Class code: **{created.join_code}**") == 2
    assert "Pupils (2)" in shown


def test_pupil_names_are_shown_as_plain_text(teacher_app, session, school_class):
    at = goto(teacher_app, "classes")
    at.text_area[0].input("**bold**\n<img src=x onerror=alert(1)>")
    at = button(at, "Add pupils").click().run()
    assert "**\\*\\*bold\\*\\***" in [m.value for m in at.markdown]  # on the sign-in card
    labels = [e.label for e in at.expander]
    assert "\\*\\*bold\\*\\*" in labels
    assert "\\<img src=x onerror=alert\\(1\\)\\>" in labels


def test_progress_table_shows_status_and_score(teacher_app, session, school_class, pupils, fixture_catalogue):
    lesson = fixture_catalogue.lesson("sample-9-11")
    progress.save_step(session, pupils[1][0], lesson.id, 3, len(lesson.steps))
    session.commit()
    at = goto(teacher_app, "progress")
    frame = at.table[0].value
    assert list(frame.columns) == ["Sample lesson"]
    assert frame["Sample lesson"].to_dict() == {"Adam": "—", "Omar": "—", "Yasmine": "◐"}


def test_help_inbox_shows_requests_and_records_status_changes(teacher_app, session, school_class, pupils):
    help_requests.ask_for_help(session, pupils[0][0], "secrets", True)
    session.commit()
    at = goto(teacher_app, "requests")
    assert "Someone asks me for photos or secrets" in texts(at)
    assert "Wants to talk in person" in texts(at)
    # The disclosure guidance names the school's channel and the helpline of guidance/help.yaml.
    assert "listening and mediation unit" in texts(at)
    assert "The child helpline, free: Child helpline 2511." in texts(at)
    at.radio[0].set_value("acknowledged").run()
    session.expire_all()
    assert session.get(HelpRequest, 1).status == "acknowledged"
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "help_status")).one().detail == {
        "before": "new",
        "after": "acknowledged",
    }


def test_help_inbox_shows_the_newest_open_requests_first_and_more_on_demand(
    teacher_app, session, school_class, pupils
):
    """A big school's inbox stays quick: 20 requests at a time, resolved ones apart."""
    from amane.services.rules import HELP_INBOX_PAGE as PAGE

    sent = [
        help_requests.ask_for_help(session, me, category, in_person)
        for me, _ in pupils
        for category in help_requests.CATEGORIES
        for in_person in (False, True)
    ]  # 3 pupils x 5 categories x 2 = 30
    help_requests.set_status(session, teacher_app.session_state[state.STAFF], sent[0].id, "resolved")
    session.commit()
    at = goto(teacher_app, "requests")
    assert len(at.radio) == PAGE + 1  # 20 open, and the one resolved request in its expander
    assert [r.value for r in at.radio][:PAGE] == ["new"] * PAGE
    at = button(at, "Show more").click().run()
    assert len(at.radio) == len(sent) - 1 + 1
    assert "Show more" not in [b.label for b in at.button]
    assert at.radio[-1].value == "resolved"


def test_admin_creates_a_teacher_account(app_env, admin, session):
    at = sign_in_staff(new_app().run(), "admin", PASSWORD)
    at = goto(at, "teachers")
    at.text_input[0].input("Mme Idrissi")
    at.text_input[1].input("idrissi")
    at.text_input[2].input("short")
    at = button(at, "Create the account").click().run()
    assert "at least 10 characters" in texts(at)
    assert at.text_input[1].value == "idrissi"  # the form keeps what was typed
    at.text_input[2].input("olive tree morning")
    at = button(at, "Create the account").click().run()
    assert "Account created for Mme Idrissi." in texts(at)


def test_teacher_cannot_open_the_admin_page(teacher_app):
    at = goto(teacher_app, "teachers")
    assert [t.value for t in at.title] == ["My classes"]


def test_navigation_counts_new_help_requests(app_env, teacher, session, school_class, pupils):
    help_requests.ask_for_help(session, pupils[0][0], "mean", False)
    help_requests.ask_for_help(session, pupils[1][0], "upset", True)
    session.commit()
    at = sign_in_staff(new_app().run(), "teacher", PASSWORD)
    titles = [info["page_name"] for info in at._registered_pages.values()]  # noqa: SLF001
    assert "Help requests (2)" in titles


def test_teacher_renames_archives_and_deletes_with_confirmation(teacher_app, session, school_class, pupils):
    from amane.models.tables import Pupil

    at = goto(teacher_app, "classes")
    names = [f for f in at.text_input if f.label == "Name"]
    omar = next(i for i, f in enumerate(names) if f.value == "Omar")
    names[omar].input("Adam")
    at = [b for b in at.button if b.label == "Rename"][omar].click().run()
    assert "Another pupil in this class already has this name." in texts(at)
    assert sorted(session.exec(select(Pupil.display_name)).all()) == ["Adam", "Omar", "Yasmine"]
    delete = [b for b in at.button if b.label == "Delete"]
    assert all(b.disabled for b in delete)  # nothing is deleted without ticking the box first
    at.checkbox[0].check().run()
    at = [b for b in at.button if b.label == "Delete" and not b.disabled][0].click().run()
    session.expire_all()
    assert sorted(session.exec(select(Pupil.display_name)).all()) == ["Omar", "Yasmine"]
    at = button(at, "Archive the class").click().run()
    assert "This class is archived." in texts(at)


def test_teacher_sets_a_due_date_on_the_class_lessons(teacher_app, session, school_class):
    from datetime import date

    from amane.models.tables import Assignment

    at = goto(teacher_app, "classes")
    widget(at, "date_input", "Due date: Sample lesson").set_value(date(2026, 12, 15))
    at = button(at, "Save the lessons").click().run()
    assert "Lessons saved." in texts(at)
    session.expire_all()
    assert [(a.lesson_id, a.due_date) for a in session.exec(select(Assignment)).all()] == [
        ("sample-9-11", date(2026, 12, 15))
    ]


def test_a_new_age_band_in_the_class_settings_brings_that_bands_lessons(teacher_app, session, school_class):
    at = goto(teacher_app, "classes")
    for band, lessons in (("6-8", []), ("9-11", ["sample-9-11"])):  # the fixture content: 9-11 only
        [w for w in at.selectbox if w.label == "Age band"][-1].select(band)  # the settings', not "Create"
        at = button(at, "Save").click().run()
        assert not at.exception
        session.expire_all()
        assert session.get(SchoolClass, school_class.id).age_band == band
        assert session.exec(select(Assignment.lesson_id)).all() == lessons


def test_admin_disables_a_teacher_who_can_then_not_sign_in(app_env, admin, teacher, session):
    at = goto(sign_in_staff(new_app().run(), "admin", PASSWORD), "teachers")
    at = button(at, "Disable the account").click().run()
    assert not at.exception
    from amane.models.tables import StaffUser

    session.expire_all()
    assert session.get(StaffUser, teacher.id).active is False
    again = sign_in_staff(new_app().run(), "teacher", PASSWORD)
    assert [e.value for e in again.error] == ["The username or password is not right."]


def test_teacher_changes_own_password(teacher_app):
    at = goto(teacher_app, "account")
    at.text_input[0].input("wrong password!!")
    at.text_input[1].input("new olive garden")
    at.text_input[2].input("new olive garden")
    at = button(at, "Change my password").click().run()
    assert "The current password is not right." in texts(at)
    assert [field.value for field in at.text_input] == ["", "", ""]  # no password stays in a field
    for field, value in zip(at.text_input, [PASSWORD, "new olive garden", "new olive garden"], strict=True):
        field.input(value)
    at = button(at, "Change my password").click().run()
    assert "Your password is changed." in texts(at)
    assert not sign_in_staff(new_app().run(), "teacher", "new olive garden").error
