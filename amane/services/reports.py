"""What teachers see of a class. Each report runs a fixed number of queries, whatever the
class size (tests assert the counts)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, func, select

from amane.models.tables import LessonProgress, Pupil, QuizAttempt
from amane.services.classes import assigned_lesson_ids
from amane.services.permissions import Actor, require_class


@dataclass(frozen=True)
class Cell:
    status: str  # new | in_progress | done
    best_score: int | None = None
    max_score: int | None = None
    attempts: int = 0

    @property
    def percent(self) -> int | None:
        if self.best_score is None or not self.max_score:
            return None
        return round(100 * self.best_score / self.max_score)


@dataclass(frozen=True)
class ClassTable:
    class_id: int
    lesson_ids: list[str]
    pupils: list[tuple[int, str]]
    cells: dict[tuple[int, str], Cell] = field(default_factory=dict)

    def cell(self, pupil_id: int, lesson_id: str) -> Cell:
        return self.cells.get((pupil_id, lesson_id), Cell("new"))


def class_table(session: Session, actor: Actor, class_id: int) -> ClassTable:
    """Pupils x assigned lessons: status and best quiz score. Five queries."""
    require_class(session, actor, class_id)
    lesson_ids = assigned_lesson_ids(session, class_id)
    pupils = [
        tuple(row)
        for row in session.exec(
            select(Pupil.id, Pupil.display_name)
            .where(Pupil.class_id == class_id)
            .order_by(Pupil.display_name, Pupil.id)
        ).all()
    ]
    progress = session.exec(
        select(LessonProgress.pupil_id, LessonProgress.lesson_id, LessonProgress.completed_at)
        .join(Pupil, Pupil.id == LessonProgress.pupil_id)
        .where(Pupil.class_id == class_id)
    ).all()
    attempts = session.exec(
        select(
            QuizAttempt.pupil_id,
            QuizAttempt.lesson_id,
            func.max(QuizAttempt.score),
            func.max(QuizAttempt.max_score),
            func.count(),
        )
        .join(Pupil, Pupil.id == QuizAttempt.pupil_id)
        .where(Pupil.class_id == class_id, QuizAttempt.finished_at != None)  # noqa: E711
        .group_by(QuizAttempt.pupil_id, QuizAttempt.lesson_id)
    ).all()
    best = {(p, lesson): (score, top, count) for p, lesson, score, top, count in attempts}
    cells: dict[tuple[int, str], Cell] = {}
    for pupil_id, lesson_id, completed_at in progress:
        score, top, count = best.pop((pupil_id, lesson_id), (None, None, 0))
        status = "done" if completed_at is not None and count else "in_progress"
        cells[(pupil_id, lesson_id)] = Cell(status, score, top, count)
    for (pupil_id, lesson_id), (score, top, count) in best.items():
        cells[(pupil_id, lesson_id)] = Cell("in_progress", score, top, count)
    return ClassTable(class_id, lesson_ids, pupils, cells)
