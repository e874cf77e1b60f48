"""Who is acting, and the one place that decides what they may touch."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from amane.models.tables import Pupil, SchoolClass
from amane.services.errors import AccessDenied


@dataclass(frozen=True)
class StaffActor:
    id: int
    school_id: int
    role: str
    username: str
    display_name: str

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
