"""Badges a pupil earns: one per finished lesson, one per topic whose assigned lessons are all
finished, and the Internet Safety Passport when every assigned lesson is finished. Derived
from progress, never stored; no streaks, points or rankings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from amane.models.content_loader import Catalogue
from amane.services.lesson_status import Status
from amane.services.permissions import Actor
from amane.services.progress import my_lessons


@dataclass(frozen=True)
class Badges:
    lessons: list[str]  # lesson ids finished, in the class's order
    topics: list[str]  # topics whose assigned lessons are all finished
    passport: bool
    assigned: int


def my_badges(session: Session, actor: Actor, catalogue: Catalogue) -> Badges:
    rows = my_lessons(session, actor, catalogue)
    done = [lesson_id for lesson_id, cell in rows if cell.status == Status.DONE]
    topics: dict[str, list[bool]] = {}
    for lesson_id, cell in rows:
        topics.setdefault(catalogue.lesson(lesson_id).topic, []).append(cell.status == Status.DONE)
    finished_topics = [topic for topic, states in topics.items() if all(states)]
    return Badges(done, finished_topics, bool(rows) and len(done) == len(rows), len(rows))
