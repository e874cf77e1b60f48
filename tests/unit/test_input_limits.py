"""Every input has a size limit that the service keeps itself (a client can send more than a form's
max_chars): at the limit it is accepted; one over, it is refused with a message that gives the
limit, and nothing is written. The forms carry the same limits."""

import pytest
from sqlmodel import func, select

from amane.models.tables import AuditEvent, Pupil, School, SchoolClass, StaffUser
from amane.services import accounts, classes
from amane.services.errors import Invalid
from amane.services.rules import (
    MAX_CLASS_CODE_INPUT,
    MAX_CLASS_NAME_LENGTH,
    MAX_PASSWORD_BYTES,
    MAX_PASTE_CHARS,
    MAX_PUPIL_NAME_LENGTH,
    MAX_PUPILS_PER_CLASS,
    MAX_PUPILS_PER_PASTE,
    MAX_SCHOOL_NAME_LENGTH,
    MAX_STAFF_NAME_LENGTH,
    MAX_USERNAME_LENGTH,
    MIN_USERNAME_LENGTH,
)
from amane.testing.apptest import goto, new_app, sign_in_staff
from tests.conftest import PASSWORD

ASCII_PASSWORD = ("a1b2c3d4e5" * 8)[:MAX_PASSWORD_BYTES]  # 1 byte a character
ARABIC_PASSWORD = ("نافذةزيتونموسيقى" * 5)[: MAX_PASSWORD_BYTES // 2]  # 2 bytes a letter
TOO_LONG_PASSWORD = f"at most {MAX_PASSWORD_BYTES} characters"
USERNAME_RULE = f"{MIN_USERNAME_LENGTH}-{MAX_USERNAME_LENGTH} lowercase letters"
SCHOOL_RULE = f"up to {MAX_SCHOOL_NAME_LENGTH} characters"
NAME_RULE = f"up to {MAX_STAFF_NAME_LENGTH} characters"


def count(session, table) -> int:
    return session.exec(select(func.count()).select_from(table)).one()


def refused(call, *args) -> str:
    with pytest.raises(Invalid) as error:
        call(*args)
    return str(error.value)


# ---------------------------------------------------------------- school and staff accounts


def test_school_setup_accepts_every_field_at_its_limit(session):
    admin = accounts.create_school(
        session,
        "é" * MAX_SCHOOL_NAME_LENGTH,
        "a" * MAX_USERNAME_LENGTH,
        "ب" * MAX_STAFF_NAME_LENGTH,
        ARABIC_PASSWORD,
    )
    session.commit()
    assert session.get(School, admin.school_id).name == "é" * MAX_SCHOOL_NAME_LENGTH
    assert (admin.username, admin.display_name) == ("a" * MAX_USERNAME_LENGTH, "ب" * MAX_STAFF_NAME_LENGTH)
    assert accounts.check_password(ARABIC_PASSWORD, session.get(StaffUser, admin.id).password_hash)


@pytest.mark.parametrize(
    ("school", "username", "name", "password", "message"),
    [
        ("s" * (MAX_SCHOOL_NAME_LENGTH + 1), "direction", "Mme B", PASSWORD, SCHOOL_RULE),
        ("   ", "direction", "Mme B", PASSWORD, SCHOOL_RULE),
        ("École", "a" * (MAX_USERNAME_LENGTH + 1), "Mme B", PASSWORD, USERNAME_RULE),
        ("École", "a" * (MIN_USERNAME_LENGTH - 1), "Mme B", PASSWORD, USERNAME_RULE),
        ("École", "mme dupont", "Mme B", PASSWORD, USERNAME_RULE),
        ("École", "élève", "Mme B", PASSWORD, USERNAME_RULE),
        ("École", "direction", "n" * (MAX_STAFF_NAME_LENGTH + 1), PASSWORD, NAME_RULE),
        ("École", "direction", "Mme B", ASCII_PASSWORD + "x", TOO_LONG_PASSWORD),
        ("École", "direction", "Mme B", ARABIC_PASSWORD + "ب", TOO_LONG_PASSWORD),
        ("École", "direction", "Mme B", " olive lantern river", "must not start or end with a space"),
    ],
    ids=[
        "school-name",
        "blank-school-name",
        "long-username",
        "short-username",
        "username-space",
        "username-accent",
        "display-name",
        "password-latin",
        "password-arabic",
        "password-space",
    ],
)
def test_school_setup_refuses_a_field_over_its_limit_and_writes_nothing(
    session, school, username, name, password, message
):
    assert message in refused(accounts.create_school, session, school, username, name, password)
    assert accounts.needs_setup(session)
    assert count(session, StaffUser) == 0


def test_new_accounts_and_new_passwords_keep_the_same_limits(session, admin, teacher):
    assert USERNAME_RULE in refused(
        accounts.create_staff, session, admin, "a" * (MAX_USERNAME_LENGTH + 1), "Prof", PASSWORD
    )
    assert count(session, StaffUser) == 2
    user = session.get(StaffUser, teacher.id)
    before = user.password_hash
    too_long = ASCII_PASSWORD + "x"
    assert TOO_LONG_PASSWORD in refused(accounts.reset_staff_password, session, admin, teacher.id, too_long)
    assert TOO_LONG_PASSWORD in refused(
        accounts.change_own_password, session, teacher, PASSWORD, ARABIC_PASSWORD + "ب"
    )
    assert user.password_hash == before
    assert count(session, AuditEvent) == 2  # the two accounts' creation, nothing since
    accounts.reset_staff_password(session, admin, teacher.id, ASCII_PASSWORD)
    assert accounts.check_password(ASCII_PASSWORD, user.password_hash)


def test_staff_language_must_be_one_the_app_offers(session, teacher):
    assert "choose a language" in refused(accounts.set_staff_language, session, teacher, "x" * 100)
    assert accounts.staff_language(session, teacher) is None


# ---------------------------------------------------------------- classes and pupils


def test_class_name_limit_on_create_and_rename(session, teacher, fixture_catalogue):
    longest = "ك" * MAX_CLASS_NAME_LENGTH
    created = classes.create_class(session, teacher, longest, "9-11", "ar", fixture_catalogue)
    assert created.name == "ك" * MAX_CLASS_NAME_LENGTH
    too_long = "x" * (MAX_CLASS_NAME_LENGTH + 1)
    message = f"up to {MAX_CLASS_NAME_LENGTH} characters"
    for call, args in (
        (classes.create_class, (too_long, "9-11", "ar")),
        (classes.update_class, (created.id, too_long, "9-11", "ar")),
    ):
        assert message in refused(call, session, teacher, *args, fixture_catalogue)
    assert count(session, SchoolClass) == 1
    assert session.get(SchoolClass, created.id).name == "ك" * MAX_CLASS_NAME_LENGTH


def test_pasted_list_is_limited_in_characters_before_it_is_read(session, teacher, school_class):
    at_limit = "Adam\n" + " " * (MAX_PASTE_CHARS - len("Adam\n"))
    assert len(at_limit) == MAX_PASTE_CHARS
    message = f"paste at most {MAX_PASTE_CHARS} characters"
    assert message in refused(classes.add_pupils, session, teacher, school_class.id, at_limit + " ")
    assert count(session, Pupil) == 0
    added = classes.add_pupils(session, teacher, school_class.id, at_limit)
    assert [new.pupil.display_name for new in added.added] == ["Adam"]


def test_pupil_name_limit_on_paste_and_rename(session, teacher, school_class):
    longest, too_long = "ب" * MAX_PUPIL_NAME_LENGTH, "x" * (MAX_PUPIL_NAME_LENGTH + 1)
    result = classes.add_pupils(session, teacher, school_class.id, f"{longest}\n{too_long}")
    assert [new.pupil.display_name for new in result.added] == [longest]
    assert result.too_long == [too_long]
    pupil = result.added[0].pupil
    message = f"up to {MAX_PUPIL_NAME_LENGTH} characters"
    assert message in refused(classes.rename_pupil, session, teacher, pupil.id, too_long)
    assert session.get(Pupil, pupil.id).display_name == longest
    assert count(session, Pupil) == 1


def test_names_per_paste_and_pupils_per_class(session, teacher, school_class):
    names = [f"Pupil {number}" for number in range(MAX_PUPILS_PER_PASTE + 1)]
    message = f"at most {MAX_PUPILS_PER_PASTE} names"
    assert message in refused(classes.add_pupils, session, teacher, school_class.id, "\n".join(names))
    assert count(session, Pupil) == 0
    assert MAX_PUPILS_PER_PASTE == MAX_PUPILS_PER_CLASS  # so one full paste fills the class
    full = classes.add_pupils(session, teacher, school_class.id, "\n".join(names[:MAX_PUPILS_PER_PASTE]))
    assert len(full.added) == MAX_PUPILS_PER_CLASS
    message = f"at most {MAX_PUPILS_PER_CLASS} pupils"
    assert message in refused(classes.add_pupils, session, teacher, school_class.id, "One more")
    assert count(session, Pupil) == MAX_PUPILS_PER_CLASS


def test_class_code_input_is_limited_before_it_is_read(session, school_class):
    """Not an error for the child: an over-long code is a code we cannot find."""
    code = school_class.join_code
    spaced = f"{code[:2]}-{code[2:4]} {code[4:6]}-{code[6:]}".ljust(MAX_CLASS_CODE_INPUT)
    assert classes.open_class(session, spaced).class_id == school_class.id
    assert classes.open_class(session, spaced + " ") is None


# ---------------------------------------------------------------- the forms


def limits(at) -> set[tuple[str, int]]:
    return {(field.label, field.max_chars) for field in [*at.text_input, *at.text_area]}


def test_every_form_field_carries_the_services_limit(app_env, session, fixture_catalogue):
    password = MAX_PASSWORD_BYTES
    at = new_app().run()  # no school yet: the setup page
    assert limits(at) == {
        ("School name", MAX_SCHOOL_NAME_LENGTH),
        ("Your name", MAX_STAFF_NAME_LENGTH),
        ("Username", MAX_USERNAME_LENGTH),
        ("Password", password),
        ("Password again", password),
    }
    admin = accounts.create_school(session, "École", "admin", "Admin", PASSWORD)
    school_class = classes.create_class(session, admin, "CM2 A", "9-11", "en", fixture_catalogue)
    classes.add_pupils(session, admin, school_class.id, "Adam")
    session.commit()
    assert limits(new_app().run()) == {("Class code", MAX_CLASS_CODE_INPUT)}  # pupils sign in
    at = sign_in_staff(new_app().run(), "admin", PASSWORD)  # opens My classes
    assert limits(at) == {
        ("Class name", MAX_CLASS_NAME_LENGTH),  # creating a class, and the class's settings
        ("Add pupils: one first name or nickname per line", MAX_PASTE_CHARS),
        ("Name", MAX_PUPIL_NAME_LENGTH),
    }
    assert limits(goto(at, "teachers")) == {
        ("Name", MAX_STAFF_NAME_LENGTH),
        ("Username", MAX_USERNAME_LENGTH),
        ("First password", password),
        ("New password", password),
    }
    assert limits(goto(at, "account")) == {
        ("Current password", password),
        ("New password", password),
        ("New password again", password),
    }
