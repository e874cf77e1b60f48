"""One pupil's full record for their teacher: lessons, story choices tried, every quiz attempt
with each answer. A fixed number of queries (tests assert the count)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from amane.models.content import Label, LocalText, ScenarioStep
from amane.models.content_loader import Catalogue
from amane.models.tables import LessonProgress, QuizAnswer, QuizAttempt, ScenarioChoice
from amane.services import audit
from amane.services.classes import assigned_lesson_ids
from amane.services.lesson_status import Status, lesson_status
from amane.services.permissions import Actor, require_staff_pupil


@dataclass(frozen=True)
class ScenarioTries:
    step: int  # index in the lesson's steps
    question: LocalText
    tries: list[tuple[LocalText, bool]]  # (choice text, was it a best choice), first try first


@dataclass(frozen=True)
class AnswerReport:
    question_id: str
    prompt: LocalText | str
    given: list[Label]  # chosen options, True/False, or the items in the order given
    correct: bool
    kind: str = ""


@dataclass(frozen=True)
class AttemptReport:
    number: int
    score: int
    max_score: int
    started_at: datetime
    finished_at: datetime | None
    answers: list[AnswerReport]

    @property
    def percent(self) -> int | None:
        if self.finished_at is None or not self.max_score:
            return None
        return round(100 * self.score / self.max_score)


@dataclass(frozen=True)
class PupilLesson:
    lesson_id: str
    title: LocalText | str
    status: Status
    step: int  # step on screen when last seen (0-based)
    furthest_step: int
    total_steps: int
    scenarios: list[ScenarioTries]
    attempts: list[AttemptReport]
    assigned: bool = True

    @property
    def best_percent(self) -> int | None:
        done = [a.percent for a in self.attempts if a.percent is not None]
        return max(done) if done else None


@dataclass(frozen=True)
class PupilReport:
    pupil_id: int
    name: str
    class_id: int
    class_name: str
    lessons: list[PupilLesson]


def pupil_report(session: Session, actor: Actor, pupil_id: int, catalogue: Catalogue) -> PupilReport:
    """One pupil's lessons, scenario choices and every quiz answer: for their teacher or an
    admin of the school. Eight queries, the last one auditing the read (pupil_viewed)."""
    pupil, school_class = require_staff_pupil(session, actor, pupil_id)  # 1, 2
    assigned = [lid for lid in assigned_lesson_ids(session, school_class.id) if lid in catalogue.lessons]  # 3
    progress = {
        row.lesson_id: row
        for row in session.exec(select(LessonProgress).where(LessonProgress.pupil_id == pupil_id)).all()  # 4
    }
    choices = session.exec(  # 5
        select(ScenarioChoice.lesson_id, ScenarioChoice.step, ScenarioChoice.choice)
        .where(ScenarioChoice.pupil_id == pupil_id)
        .order_by(ScenarioChoice.id)
    ).all()
    attempts = session.exec(  # 6
        select(QuizAttempt).where(QuizAttempt.pupil_id == pupil_id).order_by(QuizAttempt.number)
    ).all()
    answer_rows = session.exec(  # 7
        select(QuizAnswer)
        .join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
        .where(QuizAttempt.pupil_id == pupil_id)
        .order_by(QuizAnswer.id)
    ).all()
    audit.record_read(session, actor, "pupil_viewed", f"pupil:{pupil_id}")  # 8

    answers_by_attempt: dict[int, dict[str, QuizAnswer]] = defaultdict(dict)
    for row in answer_rows:
        answers_by_attempt[row.attempt_id][row.question_id] = row
    attempts_by_lesson: dict[str, list[QuizAttempt]] = defaultdict(list)
    for attempt in attempts:
        attempts_by_lesson[attempt.lesson_id].append(attempt)
    tries: dict[tuple[str, int], list[int]] = defaultdict(list)
    for lesson_id, step, choice in choices:
        tries[(lesson_id, step)].append(choice)

    touched = set(progress) | set(attempts_by_lesson) | {lesson_id for lesson_id, _ in tries}
    extra = sorted(lid for lid in touched if lid not in assigned and lid in catalogue.lessons)
    lessons = []
    for lesson_id in [*assigned, *extra]:
        lesson = catalogue.lesson(lesson_id)
        quiz = catalogue.quiz_for(lesson_id)
        questions = {question.id: question for question in quiz.questions} if quiz else {}
        order = {question_id: index for index, question_id in enumerate(questions)}
        scenarios = []
        for index, step in enumerate(lesson.steps):
            if isinstance(step, ScenarioStep) and tries.get((lesson_id, index)):
                scenarios.append(
                    ScenarioTries(
                        index,
                        step.question,
                        [
                            (step.choices[c].text, step.choices[c].best)
                            for c in tries[(lesson_id, index)]
                            if 0 <= c < len(step.choices)
                        ],
                    )
                )
        reports = []
        for attempt in attempts_by_lesson.get(lesson_id, []):
            recorded = sorted(
                answers_by_attempt.get(attempt.id, {}).values(),
                key=lambda a: (order.get(a.question_id, len(order)), a.id),
            )
            reports.append(
                AttemptReport(
                    attempt.number,
                    attempt.score,
                    attempt.max_score,
                    attempt.started_at,
                    attempt.finished_at,
                    [
                        AnswerReport(
                            a.question_id,
                            questions[a.question_id].prompt if a.question_id in questions else a.question_id,
                            (
                                questions[a.question_id].describe(a.answer)
                                if a.question_id in questions
                                else [str(item) for item in a.answer]
                            ),
                            a.correct,
                            questions[a.question_id].kind if a.question_id in questions else "",
                        )
                        for a in recorded
                    ],
                )
            )
        row = progress.get(lesson_id)
        finished = sum(1 for attempt in reports if attempt.finished_at is not None)
        lessons.append(
            PupilLesson(
                lesson_id,
                lesson.title,
                lesson_status(row is not None, bool(row and row.completed_at), finished, quiz is not None),
                row.step if row else 0,
                row.furthest_step if row else 0,
                len(lesson.steps),
                scenarios,
                reports,
                lesson_id in assigned,
            )
        )
    return PupilReport(pupil.id, pupil.display_name, school_class.id, school_class.name, lessons)
