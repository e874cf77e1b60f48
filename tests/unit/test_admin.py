"""Staff accounts and class/pupil management by teachers and admins: what each function changes.
Who may call them is proved in test_access_matrix.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from amane.models.db import session_scope
from amane.models.tables import AuditEvent, Pupil, School, SchoolClass, StaffUser, utcnow
from amane.services import accounts, assignments, classes, exports, privacy, staff_sessions, throttle
from amane.services.errors import AccessDenied, Invalid
from amane.services.permissions import PupilActor, StaffActor
from amane.services.rules import MAX_PUPIL_NAME_LENGTH, STAFF_DELAYS
from tests.conftest import PASSWORD

NEW_PASSWORD = "olive lantern river"


def _actions(session: Session) -> list[tuple[str, str, str]]:
    return [
        (e.actor, e.action, e.target)
        for e in session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
        if e.action not in ("school_created", "staff_created", "class_created", "pupils_added")
    ]


def _user(session: Session, actor: StaffActor) -> StaffUser:
    session.expire_all()
    return session.get(StaffUser, actor.id)


# ---------------------------------------------------------------- staff accounts


def test_admin_disables_and_enables_a_teacher(session, admin, teacher):
    token = staff_sessions.start(session, teacher.id)
    accounts.set_staff_active(session, admin, teacher.id, False)
    session.commit()
    assert staff_sessions.resume(session, token) is None  # ended at once
    with pytest.raises(Invalid, match="username or password is not right"):
        accounts.sign_in(session, "teacher", PASSWORD)
    accounts.set_staff_active(session, admin, teacher.id, False)  # already disabled: nothing new
    accounts.set_staff_active(session, admin, teacher.id, True)
    session.commit()
    assert staff_sessions.resume(session, token) is None  # enabling again does not bring it back
    assert accounts.sign_in(session, "teacher", PASSWORD) == teacher
    assert _actions(session) == [
        (admin.ref, "staff_disabled", teacher.ref),
        (admin.ref, "staff_enabled", teacher.ref),
        (teacher.ref, "staff_signed_in", ""),
    ]


def test_an_admin_cannot_disable_themself(session, admin):
    with pytest.raises(Invalid, match="your own account"):
        accounts.set_staff_active(session, admin, admin.id, False)
    assert _user(session, admin).active is True
    assert _actions(session) == []


def _wait_out(session: Session, username: str = "teacher") -> None:
    """Enough wrong tries with this username that its next sign-in must wait."""
    for _ in range(STAFF_DELAYS.free + 1):
        throttle.record_failure(session, throttle.staff_key(username), STAFF_DELAYS)
    session.commit()


def test_admin_resets_a_password_under_the_rule_ends_the_sessions_and_lifts_the_wait(
    session, admin, teacher
):
    token = staff_sessions.start(session, teacher.id)
    _wait_out(session)
    old_hash = _user(session, teacher).password_hash
    with pytest.raises(Invalid, match="at least 10"):
        accounts.reset_staff_password(session, admin, teacher.id, "short")
    with pytest.raises(Invalid, match="username"):
        accounts.reset_staff_password(session, admin, teacher.id, "teacher of the year")
    assert _user(session, teacher).password_hash == old_hash
    accounts.reset_staff_password(session, admin, teacher.id, NEW_PASSWORD)
    session.commit()
    user = _user(session, teacher)
    assert accounts.check_password(NEW_PASSWORD, user.password_hash)
    assert not accounts.check_password(PASSWORD, user.password_hash)
    assert staff_sessions.resume(session, token) is None  # whoever knew the old password is out
    assert accounts.sign_in(session, "teacher", NEW_PASSWORD) == teacher  # no wait
    assert (admin.ref, "staff_password_reset", teacher.ref) in _actions(session)


def test_staff_change_their_own_password_which_ends_their_sessions(session, teacher, other_teacher):
    tokens = [staff_sessions.start(session, teacher.id) for _ in range(2)]  # two computers
    other = staff_sessions.start(session, other_teacher.id)
    accounts.change_own_password(session, teacher, PASSWORD, NEW_PASSWORD)
    session.commit()
    assert accounts.check_password(NEW_PASSWORD, _user(session, teacher).password_hash)
    assert [staff_sessions.resume(session, token) for token in tokens] == [None, None]
    assert staff_sessions.resume(session, other) == other_teacher  # another account's stays
    assert _actions(session) == [(teacher.ref, "staff_password_changed", teacher.ref)]


@pytest.mark.parametrize(
    ("current", "new", "message"),
    [
        ("wrong password here", NEW_PASSWORD, "The current password is not right."),
        (PASSWORD, "short", "at least 10"),
        (PASSWORD, PASSWORD, "different from the current one"),
    ],
)
def test_change_own_password_refusals_change_nothing(session, teacher, current, new, message):
    old_hash = _user(session, teacher).password_hash
    with pytest.raises(Invalid) as refused:
        accounts.change_own_password(session, teacher, current, new)
    assert message in str(refused.value)
    assert _user(session, teacher).password_hash == old_hash
    assert _actions(session) == []


def test_wrong_current_password_says_no_more_and_counts_like_a_failed_sign_in(engine, session, teacher):
    now = utcnow()
    for _ in range(STAFF_DELAYS.free):
        with pytest.raises(Invalid) as refused, session_scope(engine) as unit:  # rolls back on error
            accounts.change_own_password(unit, teacher, "not my password", NEW_PASSWORD, now)
        assert (refused.value.message, refused.value.params) == ("The current password is not right.", {})
    with pytest.raises(Invalid) as refused:  # the same count as sign-in's, kept despite the rollbacks
        accounts.sign_in(session, "teacher", "not my password", now)
    assert (refused.value.message, refused.value.params) == (accounts.TOO_MANY_TRIES, {"n": 1})
    with pytest.raises(Invalid, match="Too many tries"):  # even the right password, while waiting
        accounts.change_own_password(session, teacher, PASSWORD, NEW_PASSWORD, now)
    assert accounts.check_password(PASSWORD, _user(session, teacher).password_hash)
    accounts.change_own_password(session, teacher, PASSWORD, NEW_PASSWORD, now + timedelta(minutes=1))
    assert accounts.check_password(NEW_PASSWORD, _user(session, teacher).password_hash)  # once it has passed


def test_an_admin_lets_a_teacher_sign_in_again_at_once(session, admin, teacher, other_teacher):
    """Only the school's admin may (a teacher or an admin of another school: test_access_matrix)."""
    _wait_out(session)
    assert accounts.sign_in_wait_minutes(session, admin, teacher.id) == 1
    with pytest.raises(Invalid, match="Too many tries"):
        accounts.sign_in(session, "teacher", PASSWORD)
    for stranger in (teacher, other_teacher):
        with pytest.raises(AccessDenied):
            accounts.unlock_staff(session, stranger, teacher.id)
    assert accounts.sign_in_wait_minutes(session, admin, teacher.id) == 1
    accounts.unlock_staff(session, admin, teacher.id)
    session.commit()
    assert accounts.sign_in_wait_minutes(session, admin, teacher.id) is None
    assert accounts.sign_in(session, "teacher", PASSWORD) == teacher
    assert (admin.ref, "staff_unlocked", teacher.ref) in _actions(session)


# ---------------------------------------------------------------- classes


def test_update_class_changes_name_band_and_language_but_not_code(
    session, teacher, school_class, fixture_catalogue
):
    code = school_class.join_code
    assert classes.assigned_lesson_ids(session, school_class.id) == ["sample-9-11"]
    info = classes.update_class(
        session, teacher, school_class.id, "  CM2   Bleu ", "6-8", "ar", fixture_catalogue
    )
    assert (info.name, info.age_band, info.language, info.join_code) == ("CM2 Bleu", "6-8", "ar", code)
    session.commit()
    session.expire_all()
    updated = session.get(SchoolClass, school_class.id)
    assert (updated.name, updated.age_band, updated.language, updated.join_code) == (
        "CM2 Bleu",
        "6-8",
        "ar",
        code,
    )
    assert classes.assigned_lesson_ids(session, school_class.id) == []  # no 6-8 lesson in the fixtures
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "class_updated")).one()
    assert event.detail == {"fields": ["age_band", "language", "name"]}


@pytest.mark.parametrize(
    ("name", "band", "language"),
    [
        ("", "9-11", "fr"),
        (" \t ", "9-11", "fr"),
        ("x" * 61, "9-11", "fr"),
        ("A", "5-6", "fr"),
        ("A", "9-11", "de"),
    ],
)
def test_update_class_refuses_bad_input_and_changes_nothing(
    session, teacher, school_class, fixture_catalogue, name, band, language
):
    with pytest.raises(Invalid):
        classes.update_class(session, teacher, school_class.id, name, band, language, fixture_catalogue)
    session.expire_all()
    kept = session.get(SchoolClass, school_class.id)
    assert (kept.name, kept.age_band, kept.language) == ("CM2 A", "9-11", "en")


def test_archiving_hides_the_class_and_closes_its_code_until_unarchived(session, teacher, school_class):
    archived = classes.archive_class(session, teacher, school_class.id)
    session.commit()
    first = archived.archived_at
    assert first is not None
    assert classes.list_classes(session, teacher) == []
    assert [c.id for c in classes.list_classes(session, teacher, include_archived=True)] == [school_class.id]
    assert classes.open_class(session, school_class.join_code) is None
    assert classes.archive_class(session, teacher, school_class.id).archived_at == first  # clock not reset
    classes.unarchive_class(session, teacher, school_class.id)
    session.commit()
    assert classes.open_class(session, school_class.join_code).class_id == school_class.id
    assert [c.id for c in classes.list_classes(session, teacher)] == [school_class.id]
    target = f"class:{school_class.id}"
    assert _actions(session) == [
        (teacher.ref, "class_archived", target),
        (teacher.ref, "class_unarchived", target),
    ]


def test_rename_pupil_cleans_the_name_like_add_pupils(session, teacher, school_class, pupils):
    adam = pupils[0][0]
    assert classes.rename_pupil(session, teacher, adam.id, "  Adam \u200b  B\u0007 ").display_name == "Adam B"
    assert classes.rename_pupil(session, teacher, adam.id, "ADAM B").display_name == "ADAM B"  # own name
    assert classes.rename_pupil(session, teacher, adam.id, "ب" * MAX_PUPIL_NAME_LENGTH).display_name == (
        "ب" * MAX_PUPIL_NAME_LENGTH
    )
    session.commit()
    assert _actions(session) == [(teacher.ref, "pupil_renamed", adam.ref)] * 3


@pytest.mark.parametrize(
    ("new_name", "message"),
    [
        ("yasmine", "already has this name"),
        ("  OMAR ", "already has this name"),
        ("", "up to 40 characters"),
        ("\u200b \n", "up to 40 characters"),
        ("x" * (MAX_PUPIL_NAME_LENGTH + 1), "up to 40 characters"),
    ],
)
def test_rename_pupil_refusals(session, teacher, school_class, pupils, new_name, message):
    with pytest.raises(Invalid, match=message):
        classes.rename_pupil(session, teacher, pupils[0][0].id, new_name)


def test_a_failed_rename_leaves_the_database_as_it_was(engine, session, teacher, school_class, pupils):
    before = sorted(session.exec(select(Pupil.id, Pupil.display_name)).all())
    events = session.exec(select(AuditEvent.id)).all()
    with pytest.raises(Invalid), session_scope(engine) as unit:
        classes.rename_pupil(unit, teacher, pupils[1][0].id, "Omar")  # Yasmine -> a name already taken
    session.expire_all()
    assert sorted(session.exec(select(Pupil.id, Pupil.display_name)).all()) == before
    assert session.exec(select(AuditEvent.id)).all() == events


def test_the_same_name_in_another_class_is_fine(session, teacher, school_class, pupils, fixture_catalogue):
    other = classes.create_class(session, teacher, "CM2 B", "9-11", "fr", fixture_catalogue)
    classes.add_pupils(session, teacher, other.id, "Samir")
    samir = session.exec(select(Pupil).where(Pupil.display_name == "Samir")).one()
    assert classes.rename_pupil(session, teacher, samir.id, "Adam").display_name == "Adam"


def test_a_deleted_pupil_leaves_the_class_list(session, teacher, school_class, pupils):
    adam = pupils[0][0]
    privacy.delete_pupil(session, teacher, adam.id)
    session.commit()
    assert [p.display_name for p in classes.list_pupils(session, teacher, school_class.id)] == [
        "Omar",
        "Yasmine",
    ]
    assert _actions(session) == [(teacher.ref, "pupil_deleted", f"class:{school_class.id}")]


# ---------------------------------------------------------------- who may call what


@dataclass
class World:
    class_id: int
    pupil_id: int
    teacher_id: int
    admin_id: int
    catalogue: object


@pytest.fixture
def world(school_class, pupils, teacher, admin, fixture_catalogue) -> World:
    return World(school_class.id, pupils[0][0].id, teacher.id, admin.id, fixture_catalogue)


CLASS_CALLS: dict[str, Callable[[Session, object, World], object]] = {
    "update_class": lambda s, a, w: classes.update_class(
        s, a, w.class_id, "Renamed", "9-11", "fr", w.catalogue
    ),
    "archive_class": lambda s, a, w: classes.archive_class(s, a, w.class_id),
    "unarchive_class": lambda s, a, w: classes.unarchive_class(s, a, w.class_id),
    "rename_pupil": lambda s, a, w: classes.rename_pupil(s, a, w.pupil_id, "Renamed"),
    "set_assignments": lambda s, a, w: assignments.set_assignments(
        s, a, w.class_id, ["sample-9-11"], {"sample-9-11": date(2030, 1, 1)}, w.catalogue
    ),
    "assignments": lambda s, a, w: assignments.assignments(s, a, w.class_id),
    "export_pupil": lambda s, a, w: privacy.export_pupil(s, a, w.pupil_id, w.catalogue),
    "delete_pupil": lambda s, a, w: privacy.delete_pupil(s, a, w.pupil_id),
    "dashboard_csv": lambda s, a, w: exports.dashboard_csv(s, a, w.class_id, w.catalogue, "en"),
    "quiz_results_csv": lambda s, a, w: exports.quiz_results_csv(s, a, w.class_id, w.catalogue, "en"),
}

@pytest.mark.parametrize("name", list(CLASS_CALLS))
@pytest.mark.parametrize("role", ["teacher", "admin"])
def test_class_functions_work_for_the_teacher_and_the_schools_admin(
    session, world, teacher, admin, name, role
):
    result = CLASS_CALLS[name](session, {"teacher": teacher, "admin": admin}[role], world)
    session.commit()
    session.expire_all()
    assert CLASS_CALL_EFFECTS[name](session, world, result), name


CLASS_CALL_EFFECTS: dict[str, Callable[[Session, World, object], bool]] = {
    "update_class": lambda s, w, r: (s.get(SchoolClass, w.class_id).name, r.language) == ("Renamed", "fr"),
    "archive_class": lambda s, w, r: s.get(SchoolClass, w.class_id).archived_at is not None,
    "unarchive_class": lambda s, w, r: (
        r.id == w.class_id and s.get(SchoolClass, w.class_id).archived_at is None
    ),
    "rename_pupil": lambda s, w, r: s.get(Pupil, w.pupil_id).display_name == "Renamed",
    "set_assignments": lambda s, w, r: (
        [(a.lesson_id, a.position, a.due_date) for a in r] == [("sample-9-11", 0, date(2030, 1, 1))]
    ),
    "assignments": lambda s, w, r: [(a.lesson_id, a.position) for a in r] == [("sample-9-11", 0)],
    "export_pupil": lambda s, w, r: r["pupil"]["id"] == w.pupil_id and r["pupil"]["display_name"] == "Adam",
    "delete_pupil": lambda s, w, r: s.get(Pupil, w.pupil_id) is None,
    "dashboard_csv": lambda s, w, r: r.splitlines()[1:] == ["Adam,—", "Omar,—", "Yasmine,—"],
    "quiz_results_csv": lambda s, w, r: r.splitlines()[1:] == [],
}


def test_missing_ids_are_refused_like_forbidden_ones(session, world, teacher):
    missing = World(999_999, 999_999, 999_999, world.admin_id, world.catalogue)
    for name, call in CLASS_CALLS.items():
        with pytest.raises(AccessDenied):
            call(session, teacher, missing)
            pytest.fail(f"{name} accepted a missing id")


def test_another_schools_admin_cannot_set_our_retention(session, admin, far_school):
    with pytest.raises(AccessDenied):
        privacy.set_retention(session, far_school["admin"], 90)
    assert session.get(School, admin.school_id).retention_days is None


def test_only_signed_in_staff_change_their_own_password(session, pupils):
    for actor in (None, pupils[0][0], PupilActor(999, 1, 1, "Fake")):
        with pytest.raises(AccessDenied):
            accounts.change_own_password(session, actor, PASSWORD, NEW_PASSWORD)


def test_a_disabled_account_cannot_change_its_password(session, admin, teacher):
    accounts.set_staff_active(session, admin, teacher.id, False)
    with pytest.raises(AccessDenied):
        accounts.change_own_password(session, teacher, PASSWORD, NEW_PASSWORD)
