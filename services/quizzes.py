"""Quiz attempts: grading, recording every answer, scores. Retakes make new attempts."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from models.content import MultipleChoice, Ordering, Question, Quiz, SingleChoice, TrueFalse
from models.tables import QuizAnswer, QuizAttempt, utcnow
from services.errors import N_, AccessDenied, Invalid
from services.permissions import Actor, require_pupil
from services.progress import require_assigned


def grade(question: Question, answer: list) -> bool:
    """`answer`: chosen option ids (single/multiple), [True|False], or item indexes in order."""
    if isinstance(question, SingleChoice):
        right = [o.id for o in question.options if o.correct]
        return list(answer) == right
    if isinstance(question, MultipleChoice):
        return set(answer) == {o.id for o in question.options if o.correct}
    if isinstance(question, TrueFalse):
        return list(answer) == [question.answer]
    if isinstance(question, Ordering):
        return list(answer) == list(range(len(question.items)))
    raise TypeError(type(question))


def _validate_answer(question: Question, answer: list) -> None:
    if isinstance(question, (SingleChoice, MultipleChoice)):
        ids = {o.id for o in question.options}
        if (
            not answer
            or any(a not in ids for a in answer)
            or (isinstance(question, SingleChoice) and len(answer) != 1)
        ):
            raise Invalid(N_("Please choose an answer."))
    elif isinstance(question, TrueFalse):
        if len(answer) != 1 or not isinstance(answer[0], bool):
            raise Invalid(N_("Please choose an answer."))
    elif sorted(answer) != list(range(len(question.items))):
        raise Invalid(N_("Please put every item in a place."))


def open_attempt(session: Session, actor: Actor, quiz: Quiz) -> QuizAttempt:
    """The pupil's unfinished attempt at this quiz, or a new one (attempts are numbered)."""
    require_assigned(session, actor, quiz.lesson)
    pupil = require_pupil(actor)
    attempt = session.exec(
        select(QuizAttempt)
        .where(
            QuizAttempt.pupil_id == pupil.id,
            QuizAttempt.lesson_id == quiz.lesson,
            QuizAttempt.finished_at == None,
        )
        .order_by(QuizAttempt.number.desc())
    ).first()  # noqa: E711
    if attempt is not None:
        return attempt
    last = session.exec(
        select(func.max(QuizAttempt.number)).where(
            QuizAttempt.pupil_id == pupil.id, QuizAttempt.lesson_id == quiz.lesson
        )
    ).one()
    attempt = QuizAttempt(
        pupil_id=pupil.id, lesson_id=quiz.lesson, number=(last or 0) + 1, max_score=len(quiz.questions)
    )
    session.add(attempt)
    try:
        session.flush()
    except IntegrityError:  # a double click opened it at the same moment: use that one
        session.rollback()
        return open_attempt(session, actor, quiz)
    return attempt


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
    """Record one answer and return whether it is right. A second submit keeps the first answer."""
    attempt = _own_attempt(session, actor, attempt_id)
    if attempt.finished_at is not None:
        raise Invalid(N_("This quiz is already finished."))
    existing = session.exec(
        select(QuizAnswer).where(QuizAnswer.attempt_id == attempt_id, QuizAnswer.question_id == question.id)
    ).first()
    if existing is not None:
        return existing.correct
    _validate_answer(question, answer)
    correct = grade(question, answer)
    session.add(
        QuizAnswer(attempt_id=attempt_id, question_id=question.id, answer=list(answer), correct=correct)
    )
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        return submit_answer(session, actor, attempt_id, question, answer)
    return correct


def finish_attempt(session: Session, actor: Actor, attempt_id: int, quiz: Quiz) -> QuizAttempt:
    """Score the attempt from its recorded answers. Finishing twice changes nothing."""
    attempt = _own_attempt(session, actor, attempt_id)
    if attempt.finished_at is not None:
        return attempt
    recorded = answers(session, actor, attempt_id)
    if len(recorded) < len(quiz.questions):
        raise Invalid(N_("Please answer every question first."))
    attempt.score = sum(1 for q in quiz.questions if recorded.get(q.id) and recorded[q.id].correct)
    attempt.max_score = len(quiz.questions)
    attempt.finished_at = utcnow()
    session.add(attempt)
    return attempt
