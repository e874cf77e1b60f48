"""The teacher's class dashboard: who needs help, progress, scores per topic, activity, and the
hardest quiz questions (one pupil's full record is in services/pupil_report.py). Every function
runs a fixed number of queries whatever the class size (tests assert the counts)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, func, select

from amane.clock import utcnow
from amane.i18n import N_, Message, Nn_
from amane.models.content import LocalText, OptionCount
from amane.models.content_loader import Catalogue
from amane.models.tables import HelpRequest, Pupil, QuizAnswer, QuizAttempt
from amane.services import audit
from amane.services.classes import assigned_lesson_ids
from amane.services.help_requests import OPEN, HelpRequestInfo
from amane.services.lesson_status import (
    Cell,
    ProgressRow,
    Status,
    attempt_rows,
    build_grid,
    class_pupils,
    progress_rows,
)
from amane.services.permissions import Actor, require_class
from amane.services.rules import (
    ACTIVITY_DAYS,
    NEEDS_HELP_LOW_SCORE,
    NEEDS_HELP_LOW_SCORE_AFTER_ATTEMPTS,
    NEEDS_HELP_WRONG_ON_SAME_QUESTION,
)

__all__ = [
    "NEEDS_HELP_LOW_SCORE",
    "NEEDS_HELP_LOW_SCORE_AFTER_ATTEMPTS",
    "NEEDS_HELP_WRONG_ON_SAME_QUESTION",
    "ACTIVITY_DAYS",
    "class_dashboard",
    "difficult_questions",
    "needs_help",
]

REASON_HELP_REQUEST = N_("Open help requests: {requests}")
REASON_WRONG_ANSWERS = Nn_(
    "{n} wrong answer on the same question in “{lesson}”",
    "{n} wrong answers on the same question in “{lesson}”",
)
REASON_LOW_SCORE = Nn_(
    "Best quiz score {percent}% after {n} try in “{lesson}”",
    "Best quiz score {percent}% after {n} tries in “{lesson}”",
)


# ---------------------------------------------------------------- shared


def _title(catalogue: Catalogue, lesson_id: str) -> LocalText | str:
    lesson = catalogue.lesson(lesson_id)
    return lesson.title if lesson else lesson_id


# ---------------------------------------------------------------- class dashboard


@dataclass(frozen=True)
class Reason:
    """Why a pupil needs help: an English msgid and its parameters (LocalText values are
    shown in the reader's language)."""

    message: Message
    params: dict[str, object] = field(default_factory=dict)
    kind: str = ""  # help_request | wrong_answers | low_score
    lesson_id: str | None = None


@dataclass(frozen=True)
class NeedsHelp:
    pupil_id: int
    name: str
    reasons: list[Reason]
    requests: tuple[HelpRequestInfo, ...] = ()  # the pupil's open help requests, newest first


@dataclass(frozen=True)
class LessonSummary:
    lesson_id: str
    title: LocalText
    topic: str
    done: int
    pupils: int

    @property
    def completion(self) -> float:
        return self.done / self.pupils if self.pupils else 0.0


@dataclass(frozen=True)
class TopicScore:
    topic: str
    average_percent: float  # mean of the pupils' best scores on the topic's lessons
    scores: int  # how many (pupil, lesson) best scores it averages


@dataclass(frozen=True)
class DayActivity:
    day: date
    steps: int  # lesson progress saved (last save of each pupil's lesson)
    answers: int  # quiz answers given


@dataclass(frozen=True)
class ClassDashboard:
    class_id: int
    class_name: str
    lesson_ids: list[str]
    pupils: list[tuple[int, str]]
    cells: dict[tuple[int, str], Cell]
    lessons: list[LessonSummary]
    topics: list[TopicScore]
    activity: list[DayActivity]
    needs_help: list[NeedsHelp]

    def cell(self, pupil_id: int, lesson_id: str) -> Cell:
        return self.cells.get((pupil_id, lesson_id), Cell())


def class_dashboard(
    session: Session, actor: Actor, class_id: int, catalogue: Catalogue, now: datetime | None = None
) -> ClassDashboard:
    """Everything on the class dashboard, in eight queries whatever the class size (nine when it
    shows help requests: their read is audited)."""
    school_class = require_class(session, actor, class_id)  # 1
    lesson_ids = [lid for lid in assigned_lesson_ids(session, class_id) if lid in catalogue.lessons]  # 2
    pupils = class_pupils(session, class_id)  # 3
    progress = progress_rows(session, class_id=class_id)  # 4
    attempts = attempt_rows(session, class_id=class_id)  # 5
    cells = build_grid(pupils, lesson_ids, progress, attempts, catalogue).cells
    lessons, topics = _lessons_and_topics(pupils, lesson_ids, cells, catalogue)
    activity = _activity(session, class_id, progress, now or utcnow())  # 6
    helped = needs_help(session, class_id, pupils, cells, catalogue)  # 7, 8
    if any(entry.requests for entry in helped):  # the card shows help requests: a read, audited
        audit.record_read(session, actor, "help_requests_read", f"class:{class_id}")  # 9
    return ClassDashboard(
        class_id, school_class.name, lesson_ids, pupils, cells, lessons, topics, activity, helped
    )


def _lessons_and_topics(
    pupils: list[tuple[int, str]],
    lesson_ids: list[str],
    cells: dict[tuple[int, str], Cell],
    catalogue: Catalogue,
) -> tuple[list[LessonSummary], list[TopicScore]]:
    """How many pupils finished each lesson, and the mean best score per topic."""
    lessons = []
    topic_scores: dict[str, list[int]] = defaultdict(list)
    for lesson_id in lesson_ids:
        lesson = catalogue.lesson(lesson_id)
        done = sum(1 for pupil_id, _ in pupils if cells[(pupil_id, lesson_id)].status == Status.DONE)
        lessons.append(LessonSummary(lesson_id, lesson.title, lesson.topic, done, len(pupils)))
        for pupil_id, _ in pupils:
            percent = cells[(pupil_id, lesson_id)].percent
            if percent is not None:
                topic_scores[lesson.topic].append(percent)
    topics = [
        TopicScore(topic, sum(values) / len(values), len(values)) for topic, values in topic_scores.items()
    ]
    return lessons, topics


def _activity(
    session: Session, class_id: int, progress: list[ProgressRow], now: datetime
) -> list[DayActivity]:
    """Steps saved and quiz answers given on each of the last ACTIVITY_DAYS days (UTC). One query."""
    today = now.astimezone(UTC).date()
    first_day = today - timedelta(days=ACTIVITY_DAYS - 1)
    since = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC)
    answer_times = session.exec(
        select(QuizAnswer.created_at)
        .join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
        .join(Pupil, Pupil.id == QuizAttempt.pupil_id)
        .where(Pupil.class_id == class_id, QuizAnswer.created_at >= since)
    ).all()
    steps_per_day = Counter(
        row.updated_at.astimezone(UTC).date() for row in progress if row.updated_at >= since
    )
    answers_per_day = Counter(created.astimezone(UTC).date() for created in answer_times)
    return [
        DayActivity(day, steps_per_day[day], answers_per_day[day])
        for day in (first_day + timedelta(days=offset) for offset in range(ACTIVITY_DAYS))
    ]


def needs_help(
    session: Session,
    class_id: int,
    pupils: list[tuple[int, str]],
    cells: dict[tuple[int, str], Cell],
    catalogue: Catalogue,
) -> list[NeedsHelp]:
    """The class's pupils who need their teacher, and why: open help requests, the same question
    answered wrong NEEDS_HELP_WRONG_ON_SAME_QUESTION times, or a best score under
    NEEDS_HELP_LOW_SCORE after NEEDS_HELP_LOW_SCORE_AFTER_ATTEMPTS tries (from the class's
    `cells`). Pupils with a help request come first, then by name; each entry carries its open
    requests. Two queries; the caller has already checked access to the class."""
    wrong_rows = session.exec(
        select(QuizAttempt.pupil_id, QuizAttempt.lesson_id, QuizAnswer.question_id, func.count())
        .join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
        .join(Pupil, Pupil.id == QuizAttempt.pupil_id)
        .where(Pupil.class_id == class_id, QuizAnswer.correct == False)
        .group_by(QuizAttempt.pupil_id, QuizAttempt.lesson_id, QuizAnswer.question_id)
        .having(func.count() >= NEEDS_HELP_WRONG_ON_SAME_QUESTION)
    ).all()
    open_requests: dict[int, list[HelpRequestInfo]] = defaultdict(list)
    for row in session.exec(
        select(HelpRequest)
        .where(HelpRequest.class_id == class_id, HelpRequest.status.in_(OPEN))
        .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc())
    ).all():
        open_requests[row.pupil_id].append(HelpRequestInfo.of(row))
    reasons: dict[int, list[Reason]] = defaultdict(list)
    for pupil_id, requests in open_requests.items():
        reasons[pupil_id].append(Reason(REASON_HELP_REQUEST, {"requests": len(requests)}, "help_request"))
    worst: dict[tuple[int, str], int] = {}
    for pupil_id, lesson_id, _question_id, wrong in wrong_rows:
        worst[(pupil_id, lesson_id)] = max(worst.get((pupil_id, lesson_id), 0), wrong)
    for (pupil_id, lesson_id), wrong in sorted(worst.items()):
        reasons[pupil_id].append(
            Reason(
                REASON_WRONG_ANSWERS,
                {"n": wrong, "lesson": _title(catalogue, lesson_id)},
                "wrong_answers",
                lesson_id,
            )
        )
    for (pupil_id, lesson_id), cell in sorted(cells.items()):
        low = cell.attempts and cell.score < NEEDS_HELP_LOW_SCORE * cell.max_score
        if low and cell.attempts >= NEEDS_HELP_LOW_SCORE_AFTER_ATTEMPTS:
            reasons[pupil_id].append(
                Reason(
                    REASON_LOW_SCORE,
                    {"percent": cell.percent, "n": cell.attempts, "lesson": _title(catalogue, lesson_id)},
                    "low_score",
                    lesson_id,
                )
            )
    entries = (
        NeedsHelp(pupil_id, name, reasons[pupil_id], tuple(open_requests.get(pupil_id, ())))
        for pupil_id, name in pupils
        if reasons.get(pupil_id)
    )
    return sorted(
        entries,
        key=lambda entry: (entry.reasons[0].kind != "help_request", entry.name.casefold(), entry.pupil_id),
    )


# ---------------------------------------------------------------- difficult questions


@dataclass(frozen=True)
class QuestionStats:
    question_id: str
    kind: str
    prompt: LocalText
    answers: int
    wrong: int
    options: list[OptionCount]

    @property
    def wrong_share(self) -> float:
        return self.wrong / self.answers if self.answers else 0.0


def difficult_questions(
    session: Session, actor: Actor, class_id: int, lesson_id: str, catalogue: Catalogue
) -> list[QuestionStats]:
    """The quiz's questions, hardest first (share of wrong answers among all the class's
    answers), with how often each option was chosen. Two queries."""
    require_class(session, actor, class_id)  # 1
    quiz = catalogue.quiz_for(lesson_id)
    rows = session.exec(  # 2
        select(QuizAnswer.question_id, QuizAnswer.answer, QuizAnswer.correct)
        .join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
        .where(
            # IN (pupils of the class), not a join: SQLite then looks attempts up by
            # (pupil, lesson) instead of reading the whole school's attempts at this lesson.
            QuizAttempt.pupil_id.in_(select(Pupil.id).where(Pupil.class_id == class_id)),
            QuizAttempt.lesson_id == lesson_id,
        )
    ).all()
    if quiz is None:
        return []
    given: dict[str, list[list]] = defaultdict(list)
    wrong: Counter[str] = Counter()
    for question_id, answer, correct in rows:
        given[question_id].append(list(answer))
        if not correct:
            wrong[question_id] += 1
    stats = [
        QuestionStats(
            question.id,
            question.kind,
            question.prompt,
            len(given[question.id]),
            wrong[question.id],
            question.tally(given[question.id]),
        )
        for question in quiz.questions
    ]
    order = {question.id: index for index, question in enumerate(quiz.questions)}
    return sorted(stats, key=lambda s: (-s.wrong_share, -s.wrong, s.answers == 0, order[s.question_id]))
