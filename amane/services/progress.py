"""A pupil's way through their lessons: steps reached, scenario choices, completion."""

from __future__ import annotations

from sqlmodel import Session, select

from amane.models.content import shuffled_order
from amane.models.content_loader import Catalogue
from amane.models.db import insert_if_absent
from amane.models.tables import LessonProgress, ScenarioChoice, SchoolClass, utcnow
from amane.services.classes import assigned_lesson_ids
from amane.services.lesson_status import Cell, Status, attempt_rows, build_grid, progress_rows
from amane.services.permissions import Actor, require_assigned, require_pupil


def my_band(session: Session, actor: Actor) -> str:
    """The age band of the signed-in pupil's class."""
    pupil = require_pupil(actor)
    return session.get(SchoolClass, pupil.class_id).age_band


def choice_order(actor: Actor, lesson_id: str, step_index: int, count: int) -> list[int]:
    """The order a scenario's choices are shown to this pupil: shuffled per pupil and lesson, the
    same on every visit (choices are recorded by their place in the lesson file)."""
    pupil = require_pupil(actor)
    return shuffled_order(count, f"{pupil.id}:{lesson_id}:{step_index}")


def _progress(session: Session, pupil_id: int, lesson_id: str) -> LessonProgress | None:
    return session.exec(
        select(LessonProgress).where(
            LessonProgress.pupil_id == pupil_id, LessonProgress.lesson_id == lesson_id
        )
    ).first()


def current_step(session: Session, actor: Actor, lesson_id: str) -> int:
    """Where the pupil left this lesson (0 if never opened)."""
    pupil = require_pupil(actor)
    progress = _progress(session, pupil.id, lesson_id)
    return progress.step if progress else 0


def save_step(session: Session, actor: Actor, lesson_id: str, step: int, total_steps: int) -> None:
    """Remember the step on screen; reaching past the last step completes the lesson.

    Safe when the same pupil saves from two tabs at once: the row is created once and then
    updated under a row lock, so the furthest step and the completion time are never lost."""
    require_assigned(session, actor, lesson_id)
    pupil = require_pupil(actor)
    step = max(0, min(step, total_steps))
    insert_if_absent(session, LessonProgress(pupil_id=pupil.id, lesson_id=lesson_id), "pupil_id", "lesson_id")
    progress = session.exec(
        select(LessonProgress)
        .where(LessonProgress.pupil_id == pupil.id, LessonProgress.lesson_id == lesson_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    progress.step = min(step, total_steps - 1)
    progress.furthest_step = max(progress.furthest_step, progress.step)
    if step >= total_steps and progress.completed_at is None:
        progress.completed_at = utcnow()
    progress.updated_at = utcnow()
    session.add(progress)
    session.flush()


def complete_lesson(session: Session, actor: Actor, lesson_id: str, total_steps: int) -> None:
    save_step(session, actor, lesson_id, total_steps, total_steps)


def record_choice(session: Session, actor: Actor, lesson_id: str, step: int, choice: int) -> None:
    """Remember a scenario choice the pupil tried (each choice once; the first try keeps its time)."""
    require_assigned(session, actor, lesson_id)
    pupil = require_pupil(actor)
    insert_if_absent(
        session,
        ScenarioChoice(pupil_id=pupil.id, lesson_id=lesson_id, step=step, choice=choice),
        "pupil_id",
        "lesson_id",
        "step",
        "choice",
    )


def tried_choices(session: Session, actor: Actor, lesson_id: str, step: int) -> list[int]:
    pupil = require_pupil(actor)
    rows = session.exec(
        select(ScenarioChoice.choice)
        .where(
            ScenarioChoice.pupil_id == pupil.id,
            ScenarioChoice.lesson_id == lesson_id,
            ScenarioChoice.step == step,
        )
        .order_by(ScenarioChoice.id)
    ).all()
    return list(rows)


def my_lessons(session: Session, actor: Actor, catalogue: Catalogue) -> list[tuple[str, Cell]]:
    """The pupil's assigned lessons, each with its status and best quiz score (3 queries): what is
    still to do first, in the teacher's order, so the next lesson is at the top; then the finished
    ones, in the same order."""
    pupil = require_pupil(actor)
    lesson_ids = [lid for lid in assigned_lesson_ids(session, pupil.class_id) if lid in catalogue.lessons]
    grid = build_grid(
        [(pupil.id, pupil.display_name)],
        lesson_ids,
        progress_rows(session, pupil_id=pupil.id),
        attempt_rows(session, pupil_id=pupil.id),
        catalogue,
    )
    rows = [(lesson_id, grid.cell(pupil.id, lesson_id)) for lesson_id in lesson_ids]
    return sorted(rows, key=lambda row: row[1].status == Status.DONE)  # stable: keeps the order
