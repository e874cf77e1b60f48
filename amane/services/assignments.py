"""Which lessons a class works on, in which order, and by when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from amane.i18n import N_
from amane.models.content_loader import Catalogue
from amane.models.tables import Assignment, SchoolClass
from amane.services import audit
from amane.services.errors import Invalid
from amane.services.permissions import Actor, require_class


@dataclass(frozen=True)
class AssignmentInfo:
    """One lesson a class works on: its place in the pupils' list and its due date."""

    lesson_id: str
    position: int
    due_date: date | None


def _ordered(session: Session, class_id: int) -> list[Assignment]:
    return list(
        session.exec(
            select(Assignment)
            .where(Assignment.class_id == class_id)
            .order_by(Assignment.position, Assignment.id)
        ).all()
    )


def _infos(session: Session, class_id: int) -> list[AssignmentInfo]:
    return [AssignmentInfo(row.lesson_id, row.position, row.due_date) for row in _ordered(session, class_id)]


def band_lessons(catalogue: Catalogue, age_band: str) -> list[str]:
    """Every lesson of the age band, in the course's order: what a new class starts with, and
    what a class gets when its band changes."""
    return [lesson.id for lesson in catalogue.lessons_for_band(age_band)]


def assignments(session: Session, actor: Actor, class_id: int) -> list[AssignmentInfo]:
    require_class(session, actor, class_id)
    return _infos(session, class_id)


def set_assignments(
    session: Session,
    actor: Actor,
    class_id: int,
    lesson_ids: list[str],
    due_dates: dict[str, date | None],
    catalogue: Catalogue,
) -> list[AssignmentInfo]:
    """Make these lessons, in this order, the class's assignments (due dates by lesson id).

    Lessons taken off the list lose only their assignment: pupils' progress, choices and quiz
    attempts stay, and come back if the lesson is assigned again.
    """
    school_class = require_class(session, actor, class_id)
    replace_assignments(session, school_class, lesson_ids, due_dates, catalogue)
    audit.record(session, actor, "assignments_set", f"class:{class_id}", lessons=len(lesson_ids))
    return _infos(session, class_id)


def replace_assignments(
    session: Session,
    school_class: SchoolClass,
    lesson_ids: list[str],
    due_dates: dict[str, date | None],
    catalogue: Catalogue,
) -> None:
    """The one writer of Assignment rows, for a class its caller has already been allowed to
    manage: checks the lessons (each of the class's age band, once; due dates are dates), then
    makes them the class's assignments. Nothing is written if a check fails."""
    if len(set(lesson_ids)) != len(lesson_ids):
        raise Invalid(N_("Each lesson can be assigned only once."))
    band = set(band_lessons(catalogue, school_class.age_band))
    if any(lesson_id not in band for lesson_id in lesson_ids):
        raise Invalid(N_("Please choose lessons of this class's age band."))
    wanted = {lesson_id: due_dates.get(lesson_id) for lesson_id in lesson_ids}
    for due in wanted.values():
        if due is not None and (isinstance(due, datetime) or not isinstance(due, date)):
            raise TypeError(f"due dates are dates or None, not {type(due).__name__}")
    existing = {row.lesson_id: row for row in _ordered(session, school_class.id)}
    for lesson_id, row in existing.items():
        if lesson_id not in wanted:
            session.delete(row)
    for position, (lesson_id, due) in enumerate(wanted.items()):
        row = existing.get(lesson_id) or Assignment(class_id=school_class.id, lesson_id=lesson_id)
        row.position = position
        row.due_date = due
        session.add(row)
    session.flush()
