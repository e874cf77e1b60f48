"""Quiz attempts: grading, recording every answer, scores. Retakes make new attempts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists
from sqlmodel import Session, func, select, update

from amane.i18n import N_
from amane.models.content import Question, Quiz
from amane.models.db import insert_if_absent
from amane.models.tables import QuizAnswer, QuizAttempt, utcnow
from amane.services.errors import Invalid
from amane.services.permissions import Actor, require_assigned, require_own_attempt, require_pupil


def _validate_answer(question: Question, answer: list) -> None:
    if problem := question.answer_problem(answer):
        raise Invalid(problem)


@dataclass(frozen=True)
class Attempt:
    """A quiz attempt, as the quiz page reads it."""

    id: int
    lesson_id: str
    number: int
    score: int
    max_score: int
    finished_at: datetime | None

    @classmethod
    def of(cls, row: QuizAttempt) -> Attempt:
        return cls(row.id, row.lesson_id, row.number, row.score, row.max_score, row.finished_at)


@dataclass(frozen=True)
class Answer:
    question_id: str
    answer: list
    correct: bool


def display_order(question: Question, attempt_id: int) -> list[int]:
    """How the pupil sees this question's options in this attempt: shuffled per attempt, so the
    position of the right answer cannot be learnt, and the same on every rerun and replica.
    Answers are recorded by option id, whatever the order shown."""
    return question.display_order(f"{attempt_id}:{question.id}")


def _unfinished_attempt(session: Session, pupil_id: int, lesson_id: str) -> QuizAttempt | None:
    return session.exec(
        select(QuizAttempt)
        .where(
            QuizAttempt.pupil_id == pupil_id,
            QuizAttempt.lesson_id == lesson_id,
            QuizAttempt.finished_at == None,  # noqa: E711
        )
        .order_by(QuizAttempt.number.desc())
    ).first()


def open_attempt(session: Session, actor: Actor, quiz: Quiz) -> Attempt:
    """The pupil's unfinished attempt at this quiz, or a new one (attempts are numbered).
    Two tabs opening the quiz at the same moment get the same attempt."""
    require_assigned(session, actor, quiz.lesson)
    pupil = require_pupil(actor)
    while True:
        attempt = _unfinished_attempt(session, pupil.id, quiz.lesson)
        if attempt is not None:
            return Attempt.of(attempt)
        # One statement numbers the attempt and checks that none is open, so two tabs opening
        # the quiz at the same moment create one attempt, which the loop then picks up.
        mine = (QuizAttempt.pupil_id == pupil.id) & (QuizAttempt.lesson_id == quiz.lesson)
        insert_if_absent(
            session,
            QuizAttempt(pupil_id=pupil.id, lesson_id=quiz.lesson, number=0, max_score=len(quiz.questions)),
            "pupil_id",
            "lesson_id",
            "number",
            only_if=~exists().where(mine, QuizAttempt.finished_at == None),  # noqa: E711
            number=select(func.coalesce(func.max(QuizAttempt.number), 0) + 1).where(mine).scalar_subquery(),
        )


def get_attempt(session: Session, actor: Actor, attempt_id: int) -> Attempt:
    return Attempt.of(require_own_attempt(session, actor, attempt_id))


def answers(session: Session, actor: Actor, attempt_id: int) -> dict[str, Answer]:
    """The attempt's recorded answers, by question id."""
    require_own_attempt(session, actor, attempt_id)
    rows = session.exec(
        select(QuizAnswer.question_id, QuizAnswer.answer, QuizAnswer.correct).where(
            QuizAnswer.attempt_id == attempt_id
        )
    ).all()
    return {question_id: Answer(question_id, list(answer), correct) for question_id, answer, correct in rows}


def submit_answer(session: Session, actor: Actor, attempt_id: int, question: Question, answer: list) -> bool:
    """Record one answer and return whether it is right. The first answer recorded stays: a
    second click, or the same question answered in another tab, changes nothing."""
    attempt = require_own_attempt(session, actor, attempt_id)
    if attempt.finished_at is not None:
        raise Invalid(N_("This quiz is already finished."))
    recorded = select(QuizAnswer.correct).where(
        QuizAnswer.attempt_id == attempt_id, QuizAnswer.question_id == question.id
    )
    existing = session.exec(recorded).first()
    if existing is not None:
        return existing
    _validate_answer(question, answer)
    insert_if_absent(
        session,
        QuizAnswer(
            attempt_id=attempt_id,
            question_id=question.id,
            answer=list(answer),
            correct=question.grade(answer),
        ),
        "attempt_id",
        "question_id",
    )
    return session.exec(recorded).one()


def finish_attempt(session: Session, actor: Actor, attempt_id: int, quiz: Quiz) -> Attempt:
    """Score the attempt from its recorded answers. Finishing twice, even at the same moment from
    two tabs, changes nothing: only the first finish writes the score and the time."""
    attempt = require_own_attempt(session, actor, attempt_id)
    if attempt.finished_at is not None:
        return Attempt.of(attempt)
    recorded = answers(session, actor, attempt_id)
    if len(recorded) < len(quiz.questions):
        raise Invalid(N_("Please answer every question first."))
    score = sum(1 for q in quiz.questions if recorded.get(q.id) and recorded[q.id].correct)
    session.exec(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt_id, QuizAttempt.finished_at == None)  # noqa: E711
        .values(score=score, max_score=len(quiz.questions), finished_at=utcnow())
    )
    session.refresh(attempt)
    return Attempt.of(attempt)
