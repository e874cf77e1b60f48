"""A new school's first day: the "Your school is ready" page after setup, the first steps on the
admin's first page, staff forms emptied after a save (passwords never kept), and empty pages that
say what to do and link there."""

from streamlit.util import calc_hash

from amane.services import accounts
from amane.testing.apptest import button, goto, new_app, sign_in_staff, texts
from amane.views.navigation import PAGES
from tests.conftest import PASSWORD

STEP_LINKS = [  # (label, page) of the steps after signing in, then the families' pages
    ("2. Create the teachers' accounts", "teachers"),
    ("3. A teacher creates a class", "classes"),
    ("4. Print the pupils' sign-in cards", "classes"),
    ("For parents: guides to read at home, without an account", "parents"),
    ("Get help: who to call right now, for anyone, without signing in", "help"),
]


def _links(at) -> list[tuple[str, str]]:
    """The page's own links, without those of the bar above every page and of the staff member's
    training card at the bottom of My classes."""
    bar = ("Get help now", "Staff sign-in", "Training")
    urls = {calc_hash(spec.url): spec.url for spec in PAGES}
    return [(link.value, urls[link.proto.page_script_hash]) for link in at.page_link if link.value not in bar]


def _texts(at, kind: str) -> list[str]:
    return [element.value for element in getattr(at, kind)]


def _fill_setup(at, confirm: str) -> None:
    values = ["École Al Amal", "Mme Bennani", "direction", PASSWORD, confirm]
    for field, value in zip(at.text_input, values, strict=True):
        field.input(value)
    button(at, "Create the school").click().run()


def test_setup_keeps_what_was_typed_but_no_password_after_a_failure(app_env):
    at = new_app().run()
    _fill_setup(at, "something else 123")
    assert _texts(at, "error") == ["The two passwords are different."]
    assert _texts(at, "text_input") == ["École Al Amal", "Mme Bennani", "direction", "", ""]


def test_after_setup_the_ready_page_lists_the_steps_in_order_each_leading_to_its_page(app_env):
    at = new_app().run()
    _fill_setup(at, PASSWORD)
    assert not at.exception
    assert _texts(at, "title") == ["Your school is ready"]
    assert _texts(at, "success") == ["École Al Amal and its administrator account are created."]
    steps = [m for m in _texts(at, "markdown") if m[:3] in ("**1", "**🧑", "**🏫", "**🖨")]
    assert steps == [
        "**1. Sign in**",
        "**🧑‍🏫 2. Create the teachers' accounts**",
        "**🏫 3. A teacher creates a class**",
        "**🖨️ 4. Print the pupils' sign-in cards**",
    ]
    assert [i.label for i in at.text_input] == ["Username", "Password"]  # step 1 is the sign-in form
    assert _links(at) == STEP_LINKS[3:]  # the other steps' pages open only once signed in

    at.text_input[0].input("direction")
    at.text_input[1].input(PASSWORD)
    button(at, "Sign in").click().run()
    assert _texts(at, "title") == ["Your school is ready"]
    assert "**1. Sign in** ✔️" in _texts(at, "markdown")
    assert _links(at) == STEP_LINKS


def test_a_stranger_opening_the_ready_page_is_sent_to_the_staff_sign_in(app_env, admin):
    at = goto(new_app().run(), "ready")
    assert "Your school is ready" not in texts(at)
    assert [i.label for i in at.text_input] == ["Username", "Password"]


def test_admin_of_a_school_with_no_teacher_and_no_class_sees_the_first_steps(app_env, admin, session):
    at = sign_in_staff(new_app().run(), "admin", PASSWORD)  # lands on My classes
    assert "Your school's first steps" in _texts(at, "subheader")
    assert _links(at) == [(label, page) for label, page in STEP_LINKS if page != "classes"]
    assert "You are on this page." in " ".join(_texts(at, "caption"))  # steps 3 and 4: My classes itself
    assert [link.value for link in at.page_link][-1] == "Training"  # their own course comes last
    goto(at, "progress")
    assert _links(at) == STEP_LINKS

    accounts.create_staff(session, admin, "teacher", "Teacher One", PASSWORD)
    session.commit()
    goto(at, "progress")
    assert "Your school's first steps" not in texts(at)
    assert _texts(at, "info") == ["You have no class yet. Create one in My classes."]


def test_the_first_steps_cost_two_queries_on_an_admins_empty_page(
    app_env, admin, teacher, session, count_queries
):
    """The check "no teacher and no class yet" runs only where an admin has no class to show."""
    admin_page = sign_in_staff(new_app().run(), "admin", PASSWORD)
    teacher_page = sign_in_staff(new_app().run(), "teacher", PASSWORD)
    with count_queries() as admin_queries:
        goto(admin_page, "progress")
    with count_queries() as teacher_queries:
        goto(teacher_page, "progress")
    assert admin_queries.count == teacher_queries.count + 2


def test_new_teacher_form_empties_after_success_and_keeps_all_but_the_password_after_failure(app_env, admin):
    at = goto(sign_in_staff(new_app().run(), "admin", PASSWORD), "teachers")
    assert at.expander[0].proto.expanded  # no teacher yet: the form is open
    assert "No teacher account yet." in " ".join(_texts(at, "info"))
    name, username, password = at.text_input[:3]
    name.input("Mme Alaoui")
    username.input("alaoui")
    password.input("short")
    button(at, "Create the account").click().run()
    assert _texts(at, "error") == ["The password must be at least 10 characters long."]
    assert _texts(at, "text_input")[:3] == ["Mme Alaoui", "alaoui", ""]

    at.text_input[2].input(PASSWORD)
    button(at, "Create the account").click().run()
    assert _texts(at, "success") == ["Account created for Mme Alaoui."]
    assert _texts(at, "text_input")[:3] == ["", "", ""]
    assert at.expander[0].proto.expanded  # open for the next teacher
    assert "No teacher account yet." not in texts(at)


def test_reset_password_form_never_keeps_the_password(app_env, admin, teacher):
    at = goto(sign_in_staff(new_app().run(), "admin", PASSWORD), "teachers")
    reset = [field for field in at.text_input if field.label == "New password"][0]
    reset.input("new olive garden")
    button(at, "Reset the password").click().run()
    assert _texts(at, "success") == ["Password changed. Give it to Teacher One in person."]
    assert [field.value for field in at.text_input if field.label == "New password"] == [""]


def test_a_teacher_without_class_is_told_where_to_create_one(app_env, teacher):
    at = sign_in_staff(new_app().run(), "teacher", PASSWORD)  # My classes: the form is on this page
    assert _texts(at, "info") == [
        "You have no class yet: give it a name and an age band in “Create a class” above."
    ]
    assert [expander.label for expander in at.expander if expander.proto.expanded] == ["Create a class"]
    assert _links(at) == []
    for page in ("dashboard", "progress", "letter"):
        goto(at, page)
        assert _texts(at, "info") == ["You have no class yet. Create one in My classes."], page
        assert _links(at) == [("My classes", "classes")], page


def test_a_class_without_pupils_says_where_to_add_them(app_env, teacher, school_class):
    at = goto(sign_in_staff(new_app().run(), "teacher", PASSWORD), "progress")
    assert _texts(at, "info") == ["No pupils in this class yet. Add them in My classes, on the Pupils tab."]
    assert _links(at) == [("My classes", "classes")]
