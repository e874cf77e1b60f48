"""Who is acting, and the one place that decides what they may touch."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, true
from sqlmodel import Session, select

from amane.models.tables import Assignment, Pupil, QuizAttempt, SchoolClass, StaffUser
from amane.services.errors import AccessDenied


@dataclass(frozen=True)
class StaffActor:
    id: int
    school_id: int
    role: str
    username: str
    display_name: str

    @classmethod
    def of(cls, user: StaffUser) -> StaffActor:
        return cls(user.id, user.school_id, user.role, user.username, user.display_name)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def ref(self) -> str:
        return f"staff:{self.id}"


@dataclass(frozen=True)
class PupilActor:
    id: int
    class_id: int
    school_id: int
    display_name: str

    @property
    def ref(self) -> str:
        return f"pupil:{self.id}"


Actor = StaffActor | PupilActor | None


def require_staff(actor: Actor) -> StaffActor:
    if not isinstance(actor, StaffActor):
        raise AccessDenied()
    return actor


def require_staff_account(session: Session, actor: Actor) -> StaffUser:
    """The acting staff member's own row, for what they do in their own name (a new class, their
    language): refused when it is gone, disabled, or not of the school the actor names."""
    staff = require_staff(actor)
    user = session.get(StaffUser, staff.id)
    if user is None or not user.active or user.school_id != staff.school_id:
        raise AccessDenied()
    return user


def require_admin(actor: Actor) -> StaffActor:
    staff = require_staff(actor)
    if not staff.is_admin:
        raise AccessDenied()
    return staff


def require_pupil(actor: Actor) -> PupilActor:
    if not isinstance(actor, PupilActor):
        raise AccessDenied()
    return actor


def can_manage_class(actor: Actor, school_class: SchoolClass) -> bool:
    """A class's own teacher, or an admin of its school."""
    return (
        isinstance(actor, StaffActor)
        and actor.school_id == school_class.school_id
        and (actor.is_admin or school_class.teacher_id == actor.id)
    )


def visible_classes(actor: Actor) -> ColumnElement[bool]:
    """The query form of can_manage_class, for lists: a condition on SchoolClass that keeps the
    classes this actor may manage (staff only)."""
    staff = require_staff(actor)
    mine = true() if staff.is_admin else SchoolClass.teacher_id == staff.id
    return (SchoolClass.school_id == staff.school_id) & mine


def require_class(session: Session, actor: Actor, class_id: int) -> SchoolClass:
    school_class = session.get(SchoolClass, class_id)
    if school_class is None or not can_manage_class(actor, school_class):
        raise AccessDenied()
    return school_class


def require_pupil_record(session: Session, actor: Actor, pupil_id: int) -> tuple[Pupil, SchoolClass]:
    """A pupil's record: the pupil themself, their teacher, or an admin of their school."""
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise AccessDenied()
    if isinstance(actor, PupilActor):
        if actor.id != pupil.id:
            raise AccessDenied()
        return pupil, session.get(SchoolClass, pupil.class_id)
    return pupil, require_class(session, actor, pupil.class_id)


def require_staff_pupil(session: Session, actor: Actor, pupil_id: int) -> tuple[Pupil, SchoolClass]:
    """A pupil's record for staff only: their class's teacher or an admin of their school."""
    require_staff(actor)
    return require_pupil_record(session, actor, pupil_id)


def require_assigned(session: Session, actor: Actor, lesson_id: str) -> PupilActor:
    """The signed-in pupil, if this lesson is assigned to their class."""
    pupil = require_pupil(actor)
    assigned = select(Assignment.id).where(
        Assignment.class_id == pupil.class_id, Assignment.lesson_id == lesson_id
    )
    if session.exec(assigned).first() is None:
        raise AccessDenied()
    return pupil


def require_own_attempt(session: Session, actor: Actor, attempt_id: int) -> QuizAttempt:
    """A quiz attempt, for the pupil who made it."""
    pupil = require_pupil(actor)
    attempt = session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.pupil_id != pupil.id:
        raise AccessDenied()
    return attempt


def require_school_staff(session: Session, actor: Actor, staff_id: int) -> StaffUser:
    """A staff account of the acting admin's school."""
    admin = require_admin(actor)
    user = session.get(StaffUser, staff_id)
    if user is None or user.school_id != admin.school_id:
        raise AccessDenied()
    return user
