"""Which lessons a class works on, in which order, and by when."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from amane.models.content_loader import Catalogue
from amane.models.tables import Assignment
from amane.services import audit
from amane.services.errors import N_, Invalid
from amane.services.permissions import Actor, require_class


def _ordered(session: Session, class_id: int) -> list[Assignment]:
    return list(
        session.exec(
            select(Assignment)
            .where(Assignment.class_id == class_id)
            .order_by(Assignment.position, Assignment.id)
        ).all()
    )


def assignments(session: Session, actor: Actor, class_id: int) -> list[Assignment]:
    require_class(session, actor, class_id)
    return _ordered(session, class_id)


def set_assignments(
    session: Session,
    actor: Actor,
    class_id: int,
    lesson_ids: list[str],
    due_dates: dict[str, date | None],
    catalogue: Catalogue,
) -> list[Assignment]:
    """Make these lessons, in this order, the class's assignments (due dates by lesson id).

    Lessons taken off the list lose only their assignment: pupils' progress, choices and quiz
    attempts stay, and come back if the lesson is assigned again.
    """
    school_class = require_class(session, actor, class_id)
    if len(set(lesson_ids)) != len(lesson_ids):
        raise Invalid(N_("Each lesson can be assigned only once."))
    band = {lesson.id for lesson in catalogue.lessons_for_band(school_class.age_band)}
    if any(lesson_id not in band for lesson_id in lesson_ids):
        raise Invalid(N_("Please choose lessons of this class's age band."))
    wanted = {lesson_id: due_dates.get(lesson_id) for lesson_id in lesson_ids}
    for due in wanted.values():
        if due is not None and (isinstance(due, datetime) or not isinstance(due, date)):
            raise TypeError(f"due dates are dates or None, not {type(due).__name__}")
    existing = {row.lesson_id: row for row in _ordered(session, class_id)}
    for lesson_id, row in existing.items():
        if lesson_id not in wanted:
            session.delete(row)
    for position, (lesson_id, due) in enumerate(wanted.items()):
        row = existing.get(lesson_id) or Assignment(class_id=class_id, lesson_id=lesson_id)
        row.position = position
        row.due_date = due
        session.add(row)
    session.flush()
    audit.record(session, actor, "assignments_set", f"class:{class_id}", lessons=len(lesson_ids))
    return _ordered(session, class_id)
