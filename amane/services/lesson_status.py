"""Where a pupil is with a lesson, and the pupils x lessons grid of a class: the one rule, used by
the class dashboard, Class progress, the CSV exports, the pupil page, My lessons and badges.

A lesson is done when it is finished and its quiz taken (or it has no quiz); in progress once
it is started or a quiz attempt is finished; new otherwise. A cell's percent is the pupil's best
finished attempt, as a share of that attempt's own maximum.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, select

from amane.i18n import N_
from amane.models.content_loader import Catalogue
from amane.models.tables import LessonProgress, Pupil, QuizAttempt
from amane.services.classes import assigned_lesson_ids
from amane.services.permissions import Actor, require_class


class Status(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    DONE = "done"


# How a status is written in a table cell, a CSV and a heading, and the legend that explains it.
SYMBOLS: dict[Status, str] = {Status.NEW: "—", Status.IN_PROGRESS: "◐", Status.DONE: "✔"}
NAMES: dict[Status, str] = {
    Status.NEW: N_("Not started"),
    Status.IN_PROGRESS: N_("In progress"),
    Status.DONE: N_("Done"),
}
LEGEND = N_("— not started · ◐ in progress · ✔ done · % best quiz score")


def lesson_status(started: bool, completed: bool, finished_attempts: int, has_quiz: bool) -> Status:
    if started and completed and (finished_attempts or not has_quiz):
        return Status.DONE
    if started or finished_attempts:
        return Status.IN_PROGRESS
    return Status.NEW


@dataclass(frozen=True)
class Cell:
    status: Status = Status.NEW
    percent: int | None = None  # the best finished quiz attempt
    attempts: int = 0  # finished quiz attempts
    step: int = 0  # the lesson step reached
    score: int | None = None  # the best attempt's score ...
    max_score: int | None = None  # ... out of its maximum

    @property
    def text(self) -> str:
        """The cell as the progress table and the CSV show it, e.g. "✔ 80%"."""
        symbol = SYMBOLS[self.status]
        return symbol if self.percent is None else f"{symbol} {self.percent}%"


@dataclass(frozen=True)
class ProgressRow:
    pupil_id: int
    lesson_id: str
    step: int
    completed_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True)
class AttemptRow:
    pupil_id: int
    lesson_id: str
    score: int
    max_score: int


@dataclass(frozen=True)
class Grid:
    """Pupils (id, name) in name order x lessons in the class's order."""

    lesson_ids: list[str]
    pupils: list[tuple[int, str]]
    cells: dict[tuple[int, str], Cell] = field(default_factory=dict)

    def cell(self, pupil_id: int, lesson_id: str) -> Cell:
        return self.cells.get((pupil_id, lesson_id), Cell())


def build_grid(
    pupils: list[tuple[int, str]],
    lesson_ids: list[str],
    progress: Iterable[ProgressRow],
    attempts: Iterable[AttemptRow],
    catalogue: Catalogue,
) -> Grid:
    started = {(row.pupil_id, row.lesson_id): row for row in progress}
    best: dict[tuple[int, str], tuple[AttemptRow, int]] = {}  # -> (best attempt, finished attempts)
    for attempt in attempts:
        key = (attempt.pupil_id, attempt.lesson_id)
        previous, count = best.get(key, (None, 0))
        if previous is None or _share(attempt) > _share(previous):
            previous = attempt
        best[key] = (previous, count + 1)
    cells = {}
    for pupil_id, _name in pupils:
        for lesson_id in lesson_ids:
            key = (pupil_id, lesson_id)
            row = started.get(key)
            top, count = best.get(key, (None, 0))
            status = lesson_status(
                row is not None,
                row is not None and row.completed_at is not None,
                count,
                catalogue.quiz_for(lesson_id) is not None,
            )
            cells[key] = Cell(
                status,
                None if top is None else round(100 * _share(top)),
                count,
                row.step if row else 0,
                top.score if top else None,
                top.max_score if top else None,
            )
    return Grid(lesson_ids, pupils, cells)


def _share(attempt: AttemptRow) -> float:
    return attempt.score / attempt.max_score if attempt.max_score else 0.0


# ---------------------------------------------------------------- the queries behind a grid


def class_pupils(session: Session, class_id: int) -> list[tuple[int, str]]:
    """The class's pupils (id, name), in name order. One query."""
    rows = session.exec(
        select(Pupil.id, Pupil.display_name)
        .where(Pupil.class_id == class_id)
        .order_by(Pupil.display_name, Pupil.id)
    ).all()
    return [(pupil_id, name) for pupil_id, name in rows]


def progress_rows(
    session: Session, *, class_id: int | None = None, pupil_id: int | None = None
) -> list[ProgressRow]:
    """Every lesson a class's pupils (or one pupil) started. One query."""
    _one_of(class_id, pupil_id)
    query = select(
        LessonProgress.pupil_id,
        LessonProgress.lesson_id,
        LessonProgress.step,
        LessonProgress.completed_at,
        LessonProgress.updated_at,
    )
    if pupil_id is not None:
        query = query.where(LessonProgress.pupil_id == pupil_id)
    else:
        query = query.join(Pupil, Pupil.id == LessonProgress.pupil_id).where(Pupil.class_id == class_id)
    return [ProgressRow(*row) for row in session.exec(query).all()]


def attempt_rows(
    session: Session, *, class_id: int | None = None, pupil_id: int | None = None
) -> list[AttemptRow]:
    """Every finished quiz attempt of a class's pupils (or one pupil). One query."""
    _one_of(class_id, pupil_id)
    query = select(
        QuizAttempt.pupil_id, QuizAttempt.lesson_id, QuizAttempt.score, QuizAttempt.max_score
    ).where(QuizAttempt.finished_at != None)  # noqa: E711
    if pupil_id is not None:
        query = query.where(QuizAttempt.pupil_id == pupil_id)
    else:
        query = query.join(Pupil, Pupil.id == QuizAttempt.pupil_id).where(Pupil.class_id == class_id)
    return [AttemptRow(*row) for row in session.exec(query).all()]


def _one_of(class_id: int | None, pupil_id: int | None) -> None:
    if (class_id is None) == (pupil_id is None):
        raise ValueError("give a class_id or a pupil_id")


def class_grid(session: Session, actor: Actor, class_id: int, catalogue: Catalogue) -> Grid:
    """The class's pupils x its assigned lessons (Class progress, the CSV). Five queries."""
    require_class(session, actor, class_id)
    lesson_ids = [lid for lid in assigned_lesson_ids(session, class_id) if lid in catalogue.lessons]
    return build_grid(
        class_pupils(session, class_id),
        lesson_ids,
        progress_rows(session, class_id=class_id),
        attempt_rows(session, class_id=class_id),
        catalogue,
    )
