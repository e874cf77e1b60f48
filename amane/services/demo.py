"""A demo school to explore: one admin, one teacher, a class of 24 pupils with varied progress.

Everything goes through the services, as if the pupils and staff had clicked: about half the class
has done every lesson; most pupils took the before-and-after check's "before" and those who
finished took the "after"; the class has two closed pulses (the earlier one back-dated, the one
write that is not a service call, so that "change since" compares two dates); the teacher has
completed two training modules and started a third, the admin one."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session

from amane.models.content import Lesson, Question, Quiz
from amane.models.content_loader import Catalogue
from amane.models.pulse_tables import ClassPulse
from amane.models.tables import Pupil
from amane.services import accounts, classes, help_requests, impact, progress, pulse, quizzes, training
from amane.services.permissions import PupilActor, StaffActor
from amane.services.pictures import hash_pictures
from amane.services.rules import PULSE_MIN_ANSWERS

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
FINISHERS = len(PUPILS) // 2  # the most diligent half does every assigned lesson
SKIP_BEFORE_CHECK = (2, 1)  # finishers, others who began lessons without the before check (counted apart)
PULSES = ((14, 0.5, 42), (19, 0.7, 0))  # answers, share of the first (reassuring) answer, days ago
HELD_BACK = 2  # the latest pulse's question (index) that two pupils answer apart: held back


@dataclass(frozen=True)
class DemoSchool:
    class_code: str
    class_name: str
    pupils: int


def _answer(question: Question, right: bool) -> list:
    return question.right_answer() if right else question.wrong_answers()[0]


def _take_check(
    session: Session, actor: PupilActor, catalogue: Catalogue, phase: str, chance: float, rng: random.Random
) -> None:
    """Answer the check of this phase, each question right with this chance; in the after check,
    what the pupil got right before stays right (so every topic shows a gain, never a drop)."""
    impact.open_check(session, actor, catalogue, phase)
    for result in impact.my_results(session, actor, catalogue):
        right = bool(phase == impact.AFTER and result.before) or rng.random() < chance
        item = result.item
        impact.record_answer(
            session, actor, catalogue, phase, item.lesson_id, item.question.id, _answer(item.question, right)
        )


def _take_quiz(
    session: Session, actor: PupilActor, quiz: Quiz, diligence: float, rng: random.Random
) -> quizzes.Attempt:
    attempt = quizzes.open_attempt(session, actor, quiz)
    for question in quiz.questions:
        right = rng.random() < 0.35 + diligence * 0.6
        quizzes.submit_answer(session, actor, attempt.id, question, _answer(question, right))
    return quizzes.finish_attempt(session, actor, attempt.id, quiz)


def _lessons_done(lessons: list[Lesson], finisher: bool, rng: random.Random) -> int:
    """How many lessons, in order, this pupil has done: all for a finisher, else anything fewer."""
    return len(lessons) if finisher else rng.randrange(len(lessons))


def _do_lessons(
    session: Session,
    actor: PupilActor,
    catalogue: Catalogue,
    lessons: list[Lesson],
    diligence: float,
    done: int,
    rng: random.Random,
) -> None:
    for lesson in lessons[:done]:
        for step_index, step in enumerate(lesson.steps):
            if step.kind == "scenario":
                progress.record_choice(
                    session, actor, lesson.id, step_index, rng.randrange(len(step.choices))
                )
        progress.complete_lesson(session, actor, lesson.id, len(lesson.steps))
        quiz = catalogue.quiz_for(lesson.id)
        if quiz is None or rng.random() > 0.55 + diligence * 0.45:  # not every quiz is taken
            continue
        first = _take_quiz(session, actor, quiz, diligence, rng)
        if diligence <= 0.4 and first.score * 2 < first.max_score:  # a struggling pupil tries again
            _take_quiz(session, actor, quiz, diligence, rng)
    if done < len(lessons) and rng.random() < 0.3:
        lesson = lessons[done]
        progress.save_step(session, actor, lesson.id, rng.randrange(len(lesson.steps)), len(lesson.steps))


def _seed_pupils(
    session: Session,
    catalogue: Catalogue,
    class_id: int,
    school_id: int,
    lessons: list[Lesson],
    rng: random.Random,
) -> list[PupilActor]:
    rows = session.exec(Pupil.__table__.select().where(Pupil.class_id == class_id).order_by(Pupil.id)).all()
    picture_hash = hash_pictures(DEMO_PICTURES)  # one scrypt for the class: the demo stays quick
    diligence = [rng.random() for _ in rows]
    finishers = set(sorted(range(len(rows)), key=lambda i: -diligence[i])[:FINISHERS])
    others = sorted(set(range(len(rows))) - finishers)
    no_before = {
        *rng.sample(sorted(finishers), SKIP_BEFORE_CHECK[0]),
        *rng.sample(others, SKIP_BEFORE_CHECK[1]),
    }
    actors = []
    for index, row in enumerate(rows):
        pupil = session.get(Pupil, row.id)
        pupil.picture_hash = picture_hash
        session.add(pupil)
        actor = PupilActor(pupil.id, class_id, school_id, pupil.display_name)
        actors.append(actor)
        done = _lessons_done(lessons, index in finishers, rng)
        if index not in no_before and impact.owed_check(session, actor, catalogue) == impact.BEFORE:
            _take_check(session, actor, catalogue, impact.BEFORE, 0.2 + diligence[index] * 0.35, rng)
        _do_lessons(session, actor, catalogue, lessons, diligence[index], done, rng)
        if impact.owed_check(session, actor, catalogue) == impact.AFTER:
            _take_check(session, actor, catalogue, impact.AFTER, 0.3 + diligence[index] * 0.4, rng)
        if rng.random() < 0.12:
            help_requests.ask_for_help(
                session, actor, rng.choice(list(help_requests.CATEGORIES)), rng.random() < 0.5
            )
    return actors


def _pulse_counts(answered: int, share: float, held_back: bool) -> list[int]:
    """Pupils per choice of one question: the first choice `share` of them, every other answer
    chosen by none or at least PULSE_MIN_ANSWERS, except two apart when the question is held back."""
    apart = 2 if held_back else 0
    first = max(PULSE_MIN_ANSWERS, min(round(answered * share), answered - apart - PULSE_MIN_ANSWERS))
    return [first, answered - first - apart, apart]


def _seed_pulse(
    session: Session,
    catalogue: Catalogue,
    teacher: StaffActor,
    class_id: int,
    band: str,
    answering: list[PupilActor],
    share: float,
    latest: bool,
    rng: random.Random,
) -> int:
    opened = pulse.open_pulse(session, teacher, class_id, catalogue)
    given: list[dict[str, str]] = [{} for _ in answering]
    for number, question in enumerate(catalogue.pulse.for_band(band).questions):
        share_here = min(0.9, max(0.2, share + rng.uniform(-0.15, 0.15)))
        counts = _pulse_counts(len(answering), share_here, latest and number == HELD_BACK)
        choices = [choice.id for choice in catalogue.pulse.choices(question)]
        picks = [choice for choice, count in zip(choices, counts, strict=False) for _ in range(count)]
        rng.shuffle(picks)
        for answers, pick in zip(given, picks, strict=False):
            answers[question.id] = pick
    for actor, answers in zip(answering, given, strict=True):
        pulse.answer_pulse(session, actor, opened.id, answers, catalogue)
    pulse.close_pulse(session, teacher, opened.id)
    return opened.id


def _backdate(session: Session, pulse_id: int, days: int) -> None:
    row = session.get(ClassPulse, pulse_id)
    row.closed_on -= timedelta(days=days)
    row.opened_on = row.closed_on - timedelta(days=7)
    session.add(row)
    session.flush()


def _seed_pulses(
    session: Session,
    catalogue: Catalogue,
    teacher: StaffActor,
    class_id: int,
    band: str,
    actors: list[PupilActor],
    rng: random.Random,
) -> None:
    for answered, share, days_ago in PULSES:
        pulse_id = _seed_pulse(
            session,
            catalogue,
            teacher,
            class_id,
            band,
            rng.sample(actors, answered),
            share,
            days_ago == 0,
            rng,
        )
        if days_ago:
            _backdate(session, pulse_id, days_ago)


def _train(
    session: Session,
    actor: StaffActor,
    catalogue: Catalogue,
    index: int,
    before: int,
    after: int | None,
    wrong: int = 0,
) -> None:
    """Take the course's module number `index`: completed with confidence `after` and `wrong`
    check questions missed, or, with `after` None, started and left halfway through its screens."""
    module = catalogue.training_modules()[index]
    training.start_module(session, actor, module, before)
    if after is None:
        training.save_step(session, actor, module, len(module.steps) // 2)
        return
    training.save_step(session, actor, module, len(module.steps))
    for number, question in enumerate(module.check):
        training.answer_question(session, actor, module, question, _answer(question, number >= wrong))
    training.complete_module(session, actor, module, after)


def seed_demo(session: Session, catalogue: Catalogue, band: str = "9-11", seed: int = 7) -> DemoSchool:
    rng = random.Random(seed)
    admin = accounts.create_school(session, "École Amane (démo)", ADMIN[0], ADMIN[1], ADMIN[2])
    teacher = accounts.create_staff(session, admin, TEACHER[0], TEACHER[1], TEACHER[2], "teacher")
    lessons = catalogue.lessons_for_band(band)
    school_class = classes.create_class(session, teacher, "6e année A", band, "fr", catalogue)
    classes.add_pupils(session, teacher, school_class.id, "\n".join(PUPILS))
    actors = _seed_pupils(session, catalogue, school_class.id, school_class.school_id, lessons, rng)
    _seed_pulses(session, catalogue, teacher, school_class.id, band, actors, rng)
    _train(session, teacher, catalogue, 0, before=2, after=4)
    _train(session, teacher, catalogue, 1, before=3, after=4, wrong=1)
    _train(session, teacher, catalogue, 2, before=2, after=None)
    _train(session, admin, catalogue, 3, before=3, after=5, wrong=1)
    return DemoSchool(school_class.join_code, school_class.name, len(PUPILS))
