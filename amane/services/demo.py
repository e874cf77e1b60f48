"""A demo school to explore: one admin, one teacher, a class of 24 pupils with varied progress."""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlmodel import Session

from amane.models.content import Question
from amane.models.content_loader import Catalogue
from amane.models.tables import Pupil
from amane.services import accounts, classes, help_requests, progress, quizzes
from amane.services.permissions import PupilActor
from amane.services.pictures import hash_pictures

DEMO_PICTURES = ("sun", "cat", "apple", "heart")
ADMIN = ("direction", "Mme Bennani", "olive lantern river")
TEACHER = ("prof", "M. Alaoui", "cedar window music")
PUPILS = (
    "Adam",
    "Yasmine",
    "Omar",
    "Salma",
    "Youssef",
    "Imane",
    "Mehdi",
    "Hiba",
    "Anas",
    "Rim",
    "Karim",
    "Nour",
    "Ilyas",
    "Sara",
    "Hamza",
    "Aya",
    "Zakaria",
    "Lina",
    "Amine",
    "Malak",
    "Ayoub",
    "Chaima",
    "Bilal",
    "Douae",
)


@dataclass(frozen=True)
class DemoSchool:
    class_code: str
    class_name: str
    pupils: int


def _answer(question: Question, right: bool) -> list:
    return question.right_answer() if right else question.wrong_answers()[0]


def seed_demo(session: Session, catalogue: Catalogue, band: str = "9-11", seed: int = 7) -> DemoSchool:
    rng = random.Random(seed)
    admin = accounts.create_school(session, "École Amane (démo)", ADMIN[0], ADMIN[1], ADMIN[2])
    teacher = accounts.create_staff(session, admin, TEACHER[0], TEACHER[1], TEACHER[2], "teacher")
    lessons = catalogue.lessons_for_band(band)
    school_class = classes.create_class(session, teacher, "6e année A", band, "fr", catalogue)
    classes.add_pupils(session, teacher, school_class.id, "\n".join(PUPILS))
    pupils = session.exec(Pupil.__table__.select().where(Pupil.class_id == school_class.id)).all()
    for row in pupils:
        pupil = session.get(Pupil, row.id)
        pupil.picture_hash = hash_pictures(DEMO_PICTURES)
        session.add(pupil)
        actor = PupilActor(pupil.id, school_class.id, school_class.school_id, pupil.display_name)
        diligence = rng.random()
        for position, lesson in enumerate(lessons):
            if rng.random() > diligence - position * 0.12:
                if rng.random() < 0.3:
                    progress.save_step(
                        session, actor, lesson.id, rng.randrange(len(lesson.steps)), len(lesson.steps)
                    )
                break
            for step_index, step in enumerate(lesson.steps):
                if step.kind == "scenario":
                    progress.record_choice(
                        session, actor, lesson.id, step_index, rng.randrange(len(step.choices))
                    )
            progress.complete_lesson(session, actor, lesson.id, len(lesson.steps))
            quiz = catalogue.quiz_for(lesson.id)
            if quiz is None:
                continue
            for _ in range(1 if diligence > 0.4 else 2):
                attempt = quizzes.open_attempt(session, actor, quiz)
                for question in quiz.questions:
                    right = rng.random() < 0.35 + diligence * 0.6
                    quizzes.submit_answer(session, actor, attempt.id, question, _answer(question, right))
                quizzes.finish_attempt(session, actor, attempt.id, quiz)
        if rng.random() < 0.12:
            help_requests.ask_for_help(
                session, actor, rng.choice(list(help_requests.CATEGORIES)), rng.random() < 0.5
            )
    return DemoSchool(school_class.join_code, school_class.name, len(PUPILS))
