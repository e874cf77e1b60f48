"""First run, staff sign-in, Get help and languages, through the real app.py."""

import time

import pytest

from amane.services import accounts, classes
from amane.services.rules import STAFF_DELAYS
from amane.settings import ROOT, get_settings
from amane.testing.apptest import button, goto, new_app, sign_in_pupil, sign_in_staff, texts, widget
from amane.views import state
from tests.conftest import PASSWORD


def test_first_visit_creates_the_school_and_then_offers_staff_sign_in(app_env, session):
    at = new_app().run()
    assert not at.exception
    assert "Welcome to Amane" in texts(at)
    labels = [i.label for i in at.text_input]
    assert labels == ["School name", "Your name", "Username", "Password", "Password again"]
    for field, value in zip(
        at.text_input, ["École Al Amal", "Mme Bennani", "direction", PASSWORD, PASSWORD], strict=True
    ):
        field.input(value)
    button(at, "Create the school").click().run()
    assert not at.exception
    assert "Your school is ready" in texts(at)
    assert [i.label for i in at.text_input] == ["Username", "Password"]
    assert not accounts.needs_setup(session)


def test_setup_form_keeps_what_was_typed_when_passwords_differ(app_env):
    at = new_app().run()
    for field, value in zip(
        at.text_input, ["École", "Mme B", "direction", PASSWORD, "something else 123"], strict=True
    ):
        field.input(value)
    button(at, "Create the school").click().run()
    assert "The two passwords are different." in texts(at)
    assert at.text_input[0].value == "École" and at.text_input[2].value == "direction"


def test_wrong_password_says_so_without_saying_which_part(app_env, teacher):
    at = new_app().run()
    sign_in_staff(at, "teacher", "wrong password!!")
    assert [e.value for e in at.error] == ["The username or password is not right."]
    sign_in_staff(at, "nobody", PASSWORD)
    assert [e.value for e in at.error] == ["The username or password is not right."]


def test_teacher_signs_in_and_sees_only_staff_pages(app_env, teacher):
    at = new_app().run()
    sign_in_staff(at, "teacher", PASSWORD)
    assert not at.exception
    assert "My classes" in [t.value for t in at.title]
    goto(at, "lessons")  # a pupil page: a teacher is sent back to their home page
    assert [t.value for t in at.title] == ["My classes"]


def test_many_wrong_passwords_make_sign_in_wait_alike_for_any_username(app_env, teacher):
    replies = {}
    for username in ("teacher", "nobody"):
        at = new_app().run()
        for _ in range(STAFF_DELAYS.free + 1):
            sign_in_staff(at, username, "wrong password!!")
        replies[username] = [e.value for e in at.error]
        sign_in_staff(at, username, PASSWORD)  # even the right password waits
        replies[username] += [e.value for e in at.error]
        assert "My classes" not in [t.value for t in at.title]
    assert replies["teacher"] == replies["nobody"] == ["Too many tries. Wait 1 minute and try again."] * 2


def test_get_help_needs_no_sign_in_and_lists_resources(app_env, admin):
    at = goto(new_app().run(), "help")
    assert not at.exception
    shown = texts(at)
    assert "What to do now" in shown and "Child helpline 2511" in shown
    assert "Keep evidence." in shown


E_BLAGH = "e-Blagh (national police, DGSN)"
IN_APP = "Report and block in the app"
CNDP = "CNDP (the authority"


@pytest.mark.parametrize(
    ("band", "shown", "hidden"),
    [("6-8", ["2511 child helpline (ONDE)"], [E_BLAGH, IN_APP]), ("12-14", [E_BLAGH, IN_APP], [CNDP])],
)
def test_a_pupil_sees_the_help_meant_for_their_age(
    app_env, monkeypatch, session, teacher, real_catalogue, band, shown, hidden
):
    """Get help lists, for a signed-in pupil, the resources for children of their class's band
    (help.yaml's min_band): no police reporting portal for a 7-year-old; everything for visitors."""
    monkeypatch.setenv("AMANE_CONTENT_DIR", str(ROOT))
    get_settings.cache_clear()
    school_class = classes.create_class(session, teacher, "Classe", band, "en", real_catalogue)
    [added] = classes.add_pupils(session, teacher, school_class.id, "Nour").added
    session.commit()
    at = goto(sign_in_pupil(new_app(), school_class.join_code, "Nour", added.pictures), "help")
    page = texts(at)
    assert all(name in page for name in shown)
    assert not any(name in page for name in hidden)
    assert E_BLAGH in texts(goto(new_app().run(), "help"))


def test_arabic_switches_the_page_to_right_to_left(app_env, admin):
    at = new_app().run()
    widget(at, "selectbox", "Language").select("ar").run()
    assert not at.exception
    styles = "".join(str(h.proto.body) for h in at.get("html"))
    assert "direction: rtl" in styles
    widget(at, "selectbox", "اللغة").select("en").run()
    assert "direction: rtl" not in "".join(str(h.proto.body) for h in at.get("html"))


def test_parents_area_lists_guides_without_sign_in(app_env, admin):
    at = goto(new_app().run(), "parents")
    assert not at.exception
    assert "Talking with your child" in [e.label for e in at.expander]


def test_parents_filter_by_age_and_topic_and_print_a_family_agreement(app_env, admin):
    at = goto(new_app().run(), "parents")
    widget(at, "selectbox", "My child's age").select("12-14").run()
    assert "Talking with your child" not in [e.label for e in at.expander]
    assert "No guide matches these choices." in texts(at)
    widget(at, "selectbox", "My child's age").select("9-11").run()
    assert "What worries you online?" in texts(at)
    at.checkbox[1].check().run()
    printable = "".join(str(h.proto.body) for h in at.get("html"))
    assert "We eat meals without screens." in printable
    assert "We keep phones out of bedrooms at night." not in printable


def test_larger_text_option_scales_the_page(app_env, admin):
    at = new_app().run()
    assert "zoom" not in "".join(str(h.proto.body) for h in at.get("html"))
    widget(at, "toggle", "Larger text").set_value(True).run()
    assert "zoom: 1.25" in "".join(str(h.proto.body) for h in at.get("html"))


def test_language_chosen_before_signing_in_follows_the_teacher_to_a_new_session(app_env, teacher):
    at = new_app().run()
    widget(at, "selectbox", "Language").select("ar").run()
    goto(at, "staff")
    at.text_input[0].input("teacher")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()  # « تسجيل الدخول »
    assert not at.error
    later = goto(new_app().run(), "staff")  # another computer, another day: English at first
    later.text_input[0].input("teacher")
    later.text_input[1].input(PASSWORD)
    button(later, "Sign in").click().run()
    assert "direction: rtl" in "".join(str(h.proto.body) for h in later.get("html"))


def test_a_staff_tab_left_idle_is_signed_out_at_its_next_click(app_env, teacher, monkeypatch):
    """AMANE_STAFF_IDLE_MINUTES=0.05: three seconds without a click end the session, in the open
    tab too; the next click shows the public home and says why."""
    monkeypatch.setenv("AMANE_STAFF_IDLE_MINUTES", "0.05")
    get_settings.cache_clear()
    at = sign_in_staff(new_app().run(), "teacher", PASSWORD)
    assert "My classes" in [title.value for title in at.title]
    time.sleep(3.5)
    at = goto(at, "progress")
    assert "Welcome to Amane" in texts(at)
    assert "You were signed out because nobody used the computer for a while." in texts(at)
    assert not at.session_state[state.STAFF]
