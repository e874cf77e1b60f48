"""Classes, pupils and the pupils' picture sign-in."""

import pytest
from sqlmodel import select

from amane.models.tables import Assignment, Pupil, SchoolClass
from amane.services import classes
from amane.services.errors import AccessDenied, Invalid
from amane.services.pictures import PICTURES
from amane.services.rules import (
    CLASS_CODE_ALPHABET,
    CLASS_CODE_LENGTH,
    MAX_PUPILS_PER_PASTE,
    PUPIL_MAX_FAILED_LOGINS,
)


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
    assert all(len(p.pictures) == 3 and set(p.pictures) <= set(PICTURES) for p in result.added)
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
    signed_in = classes.pupil_sign_in(session, school_class.id, actor.id, list(pictures))
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
            classes.pupil_sign_in(session, school_class.id, actor.id, _wrong(pictures))
        assert wrong.value.tries_left == left
    with pytest.raises(classes.PupilLocked):
        classes.pupil_sign_in(session, school_class.id, actor.id, _wrong(pictures))
    with pytest.raises(classes.PupilLocked):  # even the right pictures
        classes.pupil_sign_in(session, school_class.id, actor.id, list(pictures))
    classes.unlock_pupil(session, teacher, actor.id)
    assert classes.pupil_sign_in(session, school_class.id, actor.id, list(pictures)).id == actor.id


def test_reset_pictures_gives_new_pictures_and_old_ones_stop_working(session, teacher, school_class, pupils):
    actor, old = pupils[0]
    new = classes.reset_pictures(session, teacher, actor.id)
    assert classes.pupil_sign_in(session, school_class.id, actor.id, list(new))
    if tuple(new) != tuple(old):
        with pytest.raises(classes.WrongPictures):
            classes.pupil_sign_in(session, school_class.id, actor.id, list(old))


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
        "locked",
        "created_at",
    }


def test_archived_class_code_opens_nothing(session, teacher, school_class):
    classes.archive_class(session, teacher, school_class.id)
    session.flush()
    assert classes.open_class(session, school_class.join_code) is None


def test_pupil_cannot_manage_classes(session, school_class, pupils):
    with pytest.raises(AccessDenied):
        classes.list_pupils(session, pupils[0][0], school_class.id)
