"""The teacher's class dashboard: who needs help, progress, scores per topic, activity, the
hardest quiz questions, and one pupil's full record. Every function runs a fixed number of
queries whatever the class size (tests assert the counts)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, func, select

from i18n import N_
from models.content import LocalText, MultipleChoice, Ordering, Question, ScenarioStep, SingleChoice
from models.content_loader import Catalogue
from models.tables import HelpRequest, LessonProgress, Pupil, QuizAnswer, QuizAttempt, ScenarioChoice, utcnow
from services.classes import assigned_lesson_ids
from services.permissions import Actor, require_class, require_pupil_record, require_staff
from services.rules import (
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
    "OPEN_HELP_STATUSES",
    "class_dashboard",
    "difficult_questions",
    "pupil_report",
]

OPEN_HELP_STATUSES = ("new", "acknowledged")

REASON_HELP_REQUEST = N_("Open help requests: {n}")
REASON_WRONG_ANSWERS = N_("{n} wrong answers on the same question in “{lesson}”")
REASON_LOW_SCORE = N_("Best quiz score {percent}% after {n} tries in “{lesson}”")
TRUE = N_("True")
FALSE = N_("False")
RIGHT_ORDER = N_("Right order")
WRONG_ORDER = N_("Wrong order")

Label = LocalText | str  # content text, or an English msgid for the view to translate


# ---------------------------------------------------------------- shared


def _status(has_row: bool, completed: bool, finished_attempts: int, has_quiz: bool) -> str:
    """Same rule as the pupil's own list: done = lesson finished and its quiz taken."""
    if has_row and completed and (finished_attempts or not has_quiz):
        return "done"
    if has_row or finished_attempts:
        return "in_progress"
    return "new"


def _percent(score: int | None, top: int | None) -> int | None:
    if score is None or not top:
        return None
    return round(100 * score / top)


def _title(catalogue: Catalogue, lesson_id: str) -> LocalText | str:
    lesson = catalogue.lesson(lesson_id)
    return lesson.title if lesson else lesson_id


# ---------------------------------------------------------------- class dashboard


@dataclass(frozen=True)
class Cell:
    status: str  # new | in_progress | done
    percent: int | None = None  # best finished quiz attempt
    attempts: int = 0


@dataclass(frozen=True)
class Reason:
    """Why a pupil needs help: an English msgid and its parameters (LocalText values are
    shown in the reader's language)."""

    message: str
    params: dict[str, object] = field(default_factory=dict)
    kind: str = ""  # help_request | wrong_answers | low_score
    lesson_id: str | None = None


@dataclass(frozen=True)
class NeedsHelp:
    pupil_id: int
    name: str
    reasons: list[Reason]


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
        return self.cells.get((pupil_id, lesson_id), Cell("new"))


def class_dashboard(
    session: Session, actor: Actor, class_id: int, catalogue: Catalogue, now: datetime | None = None
) -> ClassDashboard:
    """Everything on the class dashboard, in eight queries whatever the class size."""
    school_class = require_class(session, actor, class_id)  # 1
    lesson_ids = [lid for lid in assigned_lesson_ids(session, class_id) if lid in catalogue.lessons]  # 2
    pupils = [
        (pupil_id, name)
        for pupil_id, name in session.exec(  # 3
            select(Pupil.id, Pupil.display_name)
            .where(Pupil.class_id == class_id)
            .order_by(Pupil.display_name, Pupil.id)
        ).all()
    ]
    progress_rows = session.exec(  # 4
        select(
            LessonProgress.pupil_id,
            LessonProgress.lesson_id,
            LessonProgress.completed_at,
            LessonProgress.updated_at,
        )
        .join(Pupil, Pupil.id == LessonProgress.pupil_id)
        .where(Pupil.class_id == class_id)
    ).all()
    attempt_rows = session.exec(  # 5
        select(QuizAttempt.pupil_id, QuizAttempt.lesson_id, QuizAttempt.score, QuizAttempt.max_score)
        .join(Pupil, Pupil.id == QuizAttempt.pupil_id)
        .where(Pupil.class_id == class_id, QuizAttempt.finished_at != None)
    ).all()
    wrong_rows = session.exec(  # 6
        select(QuizAttempt.pupil_id, QuizAttempt.lesson_id, QuizAnswer.question_id, func.count())
        .join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
        .join(Pupil, Pupil.id == QuizAttempt.pupil_id)
        .where(Pupil.class_id == class_id, QuizAnswer.correct == False)
        .group_by(QuizAttempt.pupil_id, QuizAttempt.lesson_id, QuizAnswer.question_id)
        .having(func.count() >= NEEDS_HELP_WRONG_ON_SAME_QUESTION)
    ).all()
    help_rows = session.exec(  # 7
        select(HelpRequest.pupil_id, func.count())
        .where(HelpRequest.class_id == class_id, HelpRequest.status.in_(OPEN_HELP_STATUSES))
        .group_by(HelpRequest.pupil_id)
    ).all()
    today = (now or utcnow()).astimezone(UTC).date()
    first_day = today - timedelta(days=ACTIVITY_DAYS - 1)
    since = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC)
    answer_times = session.exec(  # 8
        select(QuizAnswer.created_at)
        .join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
        .join(Pupil, Pupil.id == QuizAttempt.pupil_id)
        .where(Pupil.class_id == class_id, QuizAnswer.created_at >= since)
    ).all()

    # Best finished attempt per pupil and lesson.
    best: dict[tuple[int, str], tuple[float, int]] = {}  # (pupil, lesson) -> (best share, attempts)
    for pupil_id, lesson_id, score, top in attempt_rows:
        share = score / top if top else 0.0
        previous, count = best.get((pupil_id, lesson_id), (0.0, 0))
        best[(pupil_id, lesson_id)] = (max(previous, share), count + 1)

    progress = {(p, lesson): completed is not None for p, lesson, completed, _ in progress_rows}
    cells: dict[tuple[int, str], Cell] = {}
    for pupil_id, _name in pupils:
        for lesson_id in lesson_ids:
            key = (pupil_id, lesson_id)
            share, count = best.get(key, (None, 0))
            status = _status(
                key in progress, progress.get(key, False), count, catalogue.quiz_for(lesson_id) is not None
            )
            cells[key] = Cell(status, None if share is None else round(100 * share), count)

    lessons = []
    topic_scores: dict[str, list[int]] = defaultdict(list)
    for lesson_id in lesson_ids:
        lesson = catalogue.lesson(lesson_id)
        done = sum(1 for pupil_id, _ in pupils if cells[(pupil_id, lesson_id)].status == "done")
        lessons.append(LessonSummary(lesson_id, lesson.title, lesson.topic, done, len(pupils)))
        for pupil_id, _ in pupils:
            percent = cells[(pupil_id, lesson_id)].percent
            if percent is not None:
                topic_scores[lesson.topic].append(percent)
    topics = [
        TopicScore(topic, sum(values) / len(values), len(values)) for topic, values in topic_scores.items()
    ]

    steps_per_day = Counter(
        updated.astimezone(UTC).date() for _, _, _, updated in progress_rows if updated >= since
    )
    answers_per_day = Counter(created.astimezone(UTC).date() for created in answer_times)
    activity = [
        DayActivity(day, steps_per_day[day], answers_per_day[day])
        for day in (first_day + timedelta(days=offset) for offset in range(ACTIVITY_DAYS))
    ]

    reasons: dict[int, list[Reason]] = defaultdict(list)
    for pupil_id, open_requests in help_rows:
        reasons[pupil_id].append(Reason(REASON_HELP_REQUEST, {"n": open_requests}, "help_request"))
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
    for (pupil_id, lesson_id), (share, count) in sorted(best.items()):
        if count >= NEEDS_HELP_LOW_SCORE_AFTER_ATTEMPTS and share < NEEDS_HELP_LOW_SCORE:
            reasons[pupil_id].append(
                Reason(
                    REASON_LOW_SCORE,
                    {"percent": round(100 * share), "n": count, "lesson": _title(catalogue, lesson_id)},
                    "low_score",
                    lesson_id,
                )
            )
    needs_help = sorted(
        (NeedsHelp(pupil_id, name, reasons[pupil_id]) for pupil_id, name in pupils if reasons.get(pupil_id)),
        key=lambda entry: (entry.reasons[0].kind != "help_request", entry.name.casefold(), entry.pupil_id),
    )
    return ClassDashboard(
        class_id, school_class.name, lesson_ids, pupils, cells, lessons, topics, activity, needs_help
    )


# ---------------------------------------------------------------- difficult questions


@dataclass(frozen=True)
class OptionCount:
    label: Label
    chosen: int
    correct: bool
    misconception: LocalText | None = None  # for a wrong option


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


def _option_counts(question: Question, given: list[list]) -> list[OptionCount]:
    if isinstance(question, (SingleChoice, MultipleChoice)):
        chosen = Counter(option_id for answer in given for option_id in answer)
        return [
            OptionCount(option.text, chosen[option.id], option.correct, option.misconception)
            for option in question.options
        ]
    if isinstance(question, Ordering):
        right = list(range(len(question.items)))
        good = sum(1 for answer in given if list(answer) == right)
        return [
            OptionCount(RIGHT_ORDER, good, True),
            OptionCount(WRONG_ORDER, len(given) - good, False, question.misconception),
        ]
    chosen = Counter(bool(answer[0]) for answer in given if answer)
    return [
        OptionCount(label, chosen[value], right, None if right else question.misconception)
        for value, label in ((True, TRUE), (False, FALSE))
        for right in (value == question.answer,)
    ]


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
            _option_counts(question, given[question.id]),
        )
        for question in quiz.questions
    ]
    order = {question.id: index for index, question in enumerate(quiz.questions)}
    return sorted(stats, key=lambda s: (-s.wrong_share, -s.wrong, s.answers == 0, order[s.question_id]))


# ---------------------------------------------------------------- one pupil


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
        return _percent(self.score, self.max_score) if self.finished_at else None


@dataclass(frozen=True)
class PupilLesson:
    lesson_id: str
    title: LocalText | str
    status: str
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


def _given(question: Question | None, answer: list) -> list[Label]:
    if question is None:
        return [str(item) for item in answer]
    if isinstance(question, (SingleChoice, MultipleChoice)):
        texts = {option.id: option.text for option in question.options}
        return [texts.get(item, str(item)) for item in answer]
    if isinstance(question, Ordering):
        return [
            question.items[item] if isinstance(item, int) and 0 <= item < len(question.items) else str(item)
            for item in answer
        ]
    return [TRUE if item else FALSE for item in answer]


def pupil_report(session: Session, actor: Actor, pupil_id: int, catalogue: Catalogue) -> PupilReport:
    """One pupil's lessons, scenario choices and every quiz answer: for their teacher or an
    admin of the school. Seven queries."""
    require_staff(actor)
    pupil, school_class = require_pupil_record(session, actor, pupil_id)  # 1, 2
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
                            _given(questions.get(a.question_id), a.answer),
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
                _status(row is not None, bool(row and row.completed_at), finished, quiz is not None),
                row.step if row else 0,
                row.furthest_step if row else 0,
                len(lesson.steps),
                scenarios,
                reports,
                lesson_id in assigned,
            )
        )
    return PupilReport(pupil.id, pupil.display_name, school_class.id, school_class.name, lessons)
