"""Quiz attempts: grading, recording every answer, scores. Retakes make new attempts."""

from __future__ import annotations

from sqlalchemy import exists
from sqlmodel import Session, func, select, update

from amane.models.content import Question, Quiz
from amane.models.db import insert_if_absent
from amane.models.tables import QuizAnswer, QuizAttempt, utcnow
from amane.services.errors import N_, AccessDenied, Invalid
from amane.services.permissions import Actor, require_pupil
from amane.services.progress import require_assigned


def _validate_answer(question: Question, answer: list) -> None:
    if problem := question.answer_problem(answer):
        raise Invalid(problem)


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


def open_attempt(session: Session, actor: Actor, quiz: Quiz) -> QuizAttempt:
    """The pupil's unfinished attempt at this quiz, or a new one (attempts are numbered).
    Two tabs opening the quiz at the same moment get the same attempt."""
    require_assigned(session, actor, quiz.lesson)
    pupil = require_pupil(actor)
    while True:
        attempt = _unfinished_attempt(session, pupil.id, quiz.lesson)
        if attempt is not None:
            return attempt
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


def _own_attempt(session: Session, actor: Actor, attempt_id: int) -> QuizAttempt:
    pupil = require_pupil(actor)
    attempt = session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.pupil_id != pupil.id:
        raise AccessDenied()
    return attempt


def get_attempt(session: Session, actor: Actor, attempt_id: int) -> QuizAttempt:
    return _own_attempt(session, actor, attempt_id)


def answers(session: Session, actor: Actor, attempt_id: int) -> dict[str, QuizAnswer]:
    _own_attempt(session, actor, attempt_id)
    rows = session.exec(select(QuizAnswer).where(QuizAnswer.attempt_id == attempt_id)).all()
    return {row.question_id: row for row in rows}


def submit_answer(session: Session, actor: Actor, attempt_id: int, question: Question, answer: list) -> bool:
    """Record one answer and return whether it is right. The first answer recorded stays: a
    second click, or the same question answered in another tab, changes nothing."""
    attempt = _own_attempt(session, actor, attempt_id)
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


def finish_attempt(session: Session, actor: Actor, attempt_id: int, quiz: Quiz) -> QuizAttempt:
    """Score the attempt from its recorded answers. Finishing twice, even at the same moment from
    two tabs, changes nothing: only the first finish writes the score and the time."""
    attempt = _own_attempt(session, actor, attempt_id)
    if attempt.finished_at is not None:
        return attempt
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
    return attempt
