"""Staff sign-in goes straight to work: the dashboard of the class last opened, else My classes."""

from __future__ import annotations

from sqlmodel import update
from streamlit.testing.v1 import AppTest

from amane.models.tables import StaffUser
from amane.services import classes
from amane.testing.apptest import button, goto, new_app, widget
from amane.views import state
from tests.conftest import PASSWORD


def _sign_in(username: str) -> AppTest:
    """A new tab signs in on /staff and is left where the sign-in sent it (no explicit goto)."""
    at = goto(new_app().run(), "staff")
    at.text_input[0].input(username)
    at.text_input[1].input(PASSWORD)
    return button(at, "Sign in").click().run()


def _landed(at: AppTest) -> tuple[str, str | None]:
    """The page's title, and the class its picker shows (None without a picker)."""
    pickers = [box for box in at.selectbox if box.label == "Class"]
    return at.title[0].value, pickers[0].format_func(pickers[0].value) if pickers else None


def test_a_teacher_lands_on_the_dashboard_of_the_class_they_last_opened(
    app_env, session, teacher, school_class, pupils, fixture_catalogue
):
    second = classes.create_class(session, teacher, "CM2 B", "9-11", "fr", fixture_catalogue)
    session.commit()
    first = _sign_in("teacher")
    assert not first.exception
    assert _landed(first) == ("My classes", "CM2 A")  # never opened a class before: My classes
    widget(first, "selectbox", "Class").select(second.id).run()  # opens CM2 B there
    assert _landed(_sign_in("teacher")) == ("Class dashboard", "CM2 B")
    again = _sign_in("teacher")
    goto(again, "progress")
    widget(again, "selectbox", "Class").select(school_class.id).run()  # the class picker of any page
    landed = _sign_in("teacher")
    assert _landed(landed) == ("Class dashboard", "CM2 A")
    assert landed.session_state[state.CLASS] == school_class.id
    assert any(">Adam<" in element.proto.body for element in landed.get("html"))  # the class's grid


def test_an_archived_class_or_one_no_longer_theirs_lands_on_my_classes(
    app_env, session, admin, teacher, other_teacher, school_class, pupils, fixture_catalogue
):
    goto(_sign_in("teacher"), "dashboard")  # opens CM2 A
    classes.archive_class(session, teacher, school_class.id)
    session.commit()
    assert _landed(_sign_in("teacher"))[0] == "My classes"
    classes.unarchive_class(session, teacher, school_class.id)
    theirs = classes.create_class(session, other_teacher, "5e B", "12-14", "fr", fixture_catalogue)
    session.commit()
    assert _landed(_sign_in("teacher"))[0] == "Class dashboard"
    admin_tab = _sign_in("admin")
    assert _landed(admin_tab) == ("My classes", "5e B")  # the school's first class, by name
    widget(admin_tab, "selectbox", "Class").select(school_class.id).run()
    assert _landed(_sign_in("admin")) == ("Class dashboard", "CM2 A")  # an admin too
    # The teacher's row names a colleague's class (it was theirs, then given away): My classes.
    session.exec(update(StaffUser).where(StaffUser.id == teacher.id).values(last_class_id=theirs.id))
    session.commit()
    assert _landed(_sign_in("teacher")) == ("My classes", "CM2 A")
