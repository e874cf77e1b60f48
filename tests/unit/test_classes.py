"""Classes, pupils and the pupils' picture sign-in."""

import pytest
from sqlmodel import select

from amane.models.tables import Assignment, AuditEvent, Pupil, SchoolClass
from amane.services import classes, throttle
from amane.services import pictures as pictures_module
from amane.services.errors import AccessDenied, Invalid
from amane.services.pictures import PICTURES
from amane.services.rules import (
    CLASS_CODE_ALPHABET,
    CLASS_CODE_LENGTH,
    MAX_PUPILS_PER_PASTE,
    PICTURE_PASSWORD_LENGTH,
    PUPIL_MAX_FAILED_LOGINS,
)
from tests.conftest import old_picture_hash

CLIENT = throttle.client_key("203.0.113.7")


def test_create_class_gives_an_unguessable_code_and_every_lesson_of_its_band(
    session, teacher, real_catalogue
):
    created = classes.create_class(session, teacher, "  CM2   B ", "9-11", "ar", real_catalogue)
    assert (created.name, created.age_band, created.language) == ("CM2 B", "9-11", "ar")
    assert len(created.join_code) == CLASS_CODE_LENGTH and set(created.join_code) <= set(CLASS_CODE_ALPHABET)
    band = [lesson.id for lesson in real_catalogue.lessons_for_band("9-11")]
    assert len(band) > 1
    assert classes.assigned_lesson_ids(session, created.id) == band
    other = classes.create_class(session, teacher, "CM2 C", "6-8", "ar", real_catalogue)
    assert other.join_code != created.join_code
    assert classes.assigned_lesson_ids(session, other.id) == [
        lesson.id for lesson in real_catalogue.lessons_for_band("6-8")
    ]


@pytest.mark.parametrize(
    ("name", "band", "language"), [("", "9-11", "fr"), ("A", "5-6", "fr"), ("A", "9-11", "de")]
)
def test_create_class_refuses_bad_input(session, teacher, fixture_catalogue, name, band, language):
    with pytest.raises(Invalid):
        classes.create_class(session, teacher, name, band, language, fixture_catalogue)
    assert session.exec(select(SchoolClass)).all() == []
    assert session.exec(select(Assignment)).all() == []


def test_add_pupils_handles_blank_lines_duplicates_and_long_names(session, teacher, school_class):
    pasted = "Adam\n\n  Yasmine \nadam\nYasmine\n" + "x" * 41 + "\n"
    result = classes.add_pupils(session, teacher, school_class.id, pasted)
    assert [p.pupil.display_name for p in result.added] == ["Adam", "Yasmine"]
    assert result.duplicates == ["adam", "Yasmine"]
    assert result.too_long == ["x" * 41]
    assert result.blank_lines == 1
    assert all(
        len(p.pictures) == PICTURE_PASSWORD_LENGTH and set(p.pictures) <= set(PICTURES) for p in result.added
    )
    again = classes.add_pupils(session, teacher, school_class.id, "ADAM")
    assert again.added == [] and again.duplicates == ["ADAM"]


def test_add_pupils_limits_the_paste(session, teacher, school_class):
    with pytest.raises(Invalid, match="at most"):
        classes.add_pupils(
            session,
            teacher,
            school_class.id,
            "\n".join(f"Pupil {i}" for i in range(MAX_PUPILS_PER_PASTE + 1)),
        )
    assert classes.list_pupils(session, teacher, school_class.id) == []


def test_pupil_signs_in_with_code_name_and_pictures(session, school_class, pupils):
    actor, pictures = pupils[0]
    door = classes.open_class(session, school_class.join_code.lower()[:4] + " " + school_class.join_code[4:])
    assert door.class_id == school_class.id
    assert [name for _, name in door.pupils] == ["Adam", "Omar", "Yasmine"]
    assert classes.pictures_to_tap(session, school_class.id, actor.id) == PICTURE_PASSWORD_LENGTH
    signed_in = classes.pupil_sign_in(session, school_class.join_code, actor.id, list(pictures), CLIENT)
    assert signed_in.id == actor.id and signed_in.class_id == school_class.id


def test_unknown_code_opens_nothing(session, school_class):
    assert classes.open_class(session, "ZZZZZZZZ") is None
    assert classes.open_class(session, "") is None


def _wrong(pictures):
    return [p for p in PICTURES if p != pictures[0]][:1] + list(pictures[1:])


def test_five_wrong_picture_tries_lock_the_pupil_until_the_teacher_unlocks(
    session, teacher, school_class, pupils
):
    actor, pictures = pupils[0]
    for left in range(PUPIL_MAX_FAILED_LOGINS - 1, 0, -1):
        with pytest.raises(classes.WrongPictures) as wrong:
            classes.pupil_sign_in(session, school_class.join_code, actor.id, _wrong(pictures), CLIENT)
        assert wrong.value.tries_left == left
    with pytest.raises(classes.PupilLocked):
        classes.pupil_sign_in(session, school_class.join_code, actor.id, _wrong(pictures), CLIENT)
    with pytest.raises(classes.PupilLocked):  # even the right pictures
        classes.pupil_sign_in(session, school_class.join_code, actor.id, list(pictures), CLIENT)
    (listed,) = [p for p in classes.list_pupils(session, teacher, school_class.id) if p.id == actor.id]
    assert listed.locked
    classes.unlock_pupil(session, teacher, actor.id)
    assert (
        classes.pupil_sign_in(session, school_class.join_code, actor.id, list(pictures), CLIENT).id
        == actor.id
    )


def test_reset_pictures_gives_new_pictures_and_old_ones_stop_working(session, teacher, school_class, pupils):
    actor, old = pupils[0]
    new = classes.reset_pictures(session, teacher, actor.id)
    assert classes.pupil_sign_in(session, school_class.join_code, actor.id, list(new), CLIENT)
    if tuple(new) != tuple(old):
        with pytest.raises(classes.WrongPictures):
            classes.pupil_sign_in(session, school_class.join_code, actor.id, list(old), CLIENT)


def test_picture_passwords_are_stored_with_scrypt_and_say_how_many_pictures(session, pupils):
    actor, pictures = pupils[0]
    stored = session.get(Pupil, actor.id).picture_hash
    kind, taps, n, r, p, salt, digest = stored.split("$")
    assert (kind, int(taps), int(n), int(r), int(p)) == ("scrypt", PICTURE_PASSWORD_LENGTH, 2**14, 8, 1)
    assert "-".join(pictures) not in stored and len(bytes.fromhex(salt)) == 16 and len(digest) == 64
    assert not pictures_module.check_pictures(list(pictures)[:-1], stored)  # one tap short


def test_a_three_picture_card_printed_before_still_opens_and_is_stored_again_with_scrypt(
    session, teacher, school_class, pupils
):
    """Cards printed before 16 pictures: 3 of the first 9, stored with PBKDF2. The door asks for 3
    taps, they open, and the teacher's page counts the pupil as having an old card."""
    actor, _ = pupils[0]
    old = ("fish", "sun", "sun")
    row = session.get(Pupil, actor.id)
    row.picture_hash = old_picture_hash(old)
    session.commit()
    assert classes.pictures_to_tap(session, school_class.id, actor.id) == 3
    listed = classes.list_pupils(session, teacher, school_class.id)
    assert [(p.display_name, p.old_card) for p in listed] == [
        ("Adam", True),
        ("Omar", False),
        ("Yasmine", False),
    ]
    with pytest.raises(classes.WrongPictures):
        classes.pupil_sign_in(session, school_class.join_code, actor.id, ["fish", "sun", "moon"], CLIENT)
    assert classes.pupil_sign_in(session, school_class.join_code, actor.id, list(old), CLIENT).id == actor.id
    session.commit()
    assert session.get(Pupil, actor.id).picture_hash.startswith("scrypt$3$")
    assert classes.pupil_sign_in(session, school_class.join_code, actor.id, list(old), CLIENT).id == actor.id
    classes.reset_pictures(session, teacher, actor.id)
    assert classes.pictures_to_tap(session, school_class.id, actor.id) == PICTURE_PASSWORD_LENGTH
    assert not any(p.old_card for p in classes.list_pupils(session, teacher, school_class.id))


def test_pupil_names_are_stored_as_typed_and_nothing_else(session, teacher, school_class):
    classes.add_pupils(session, teacher, school_class.id, "<img src=x onerror=alert(1)>\n**bold**")
    stored = {p.display_name for p in session.exec(select(Pupil)).all()}
    assert stored == {"<img src=x onerror=alert(1)>", "**bold**"}
    assert set(Pupil.model_fields) == {
        "id",
        "class_id",
        "display_name",
        "picture_hash",
        "failed_logins",
        "locked_until",
        "created_at",
    }


def test_archived_class_code_opens_nothing(session, teacher, school_class):
    classes.archive_class(session, teacher, school_class.id)
    session.flush()
    assert classes.open_class(session, school_class.join_code) is None


def test_pupil_cannot_manage_classes(session, school_class, pupils):
    with pytest.raises(AccessDenied):
        classes.list_pupils(session, pupils[0][0], school_class.id)


def test_a_new_class_code_closes_the_old_one_and_is_audited(session, teacher, school_class, pupils):
    old = school_class.join_code
    new = classes.change_class_code(session, teacher, school_class.id)
    session.commit()
    assert new != old and len(new) == CLASS_CODE_LENGTH and set(new) <= set(CLASS_CODE_ALPHABET)
    assert classes.open_class(session, old) is None
    assert classes.open_class(session, new).class_id == school_class.id
    (event,) = session.exec(select(AuditEvent).where(AuditEvent.action == "class_code_changed")).all()
    assert (event.actor, event.target) == (teacher.ref, f"class:{school_class.id}")
    assert old not in str(event.detail) and new not in str(event.detail)


def test_another_teacher_cannot_change_the_class_code(session, other_teacher, school_class, pupils):
    with pytest.raises(AccessDenied):
        classes.change_class_code(session, other_teacher, school_class.id)
    with pytest.raises(AccessDenied):
        classes.change_class_code(session, pupils[0][0], school_class.id)
    session.rollback()
    assert classes.open_class(session, school_class.join_code).class_id == school_class.id
