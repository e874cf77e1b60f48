"""The before-and-after check (issue 17, item 1): what a pupil knew before their first lesson and
after their last, and the gain per topic for the class's teacher and the school's admin.

A pupil owes the "before" check while none of their class's lessons is started, and the "after"
check once every assigned lesson is done. Only pupils who finished both are compared; those who
finished one only are counted apart, never mixed into the percentages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, select

from amane.clock import utcnow
from amane.i18n import N_, t
from amane.models.content_loader import Catalogue
from amane.models.db import insert_if_absent
from amane.models.impact import CheckQuestion, resolve
from amane.models.impact_tables import PHASES, ImpactAnswer, ImpactCheck
from amane.models.tables import LessonProgress, SchoolClass
from amane.services import audit
from amane.services.classes import assigned_lesson_ids
from amane.services.errors import AccessDenied, Invalid
from amane.services.permissions import Actor, require_admin, require_class, require_pupil
from amane.services.spreadsheet import csv_text

BEFORE, AFTER = PHASES
NOT_IN_CHECK = N_("This question is not in your check.")


# ---------------------------------------------------------------- the pupil's side


@dataclass(frozen=True)
class CheckState:
    """A pupil's check of one phase: its questions, and which were answered (right or not)."""

    phase: str
    questions: list[CheckQuestion]
    answered: dict[tuple[str, str], bool]

    @property
    def finished(self) -> bool:
        return all(question.key in self.answered for question in self.questions)

    @property
    def next_question(self) -> CheckQuestion | None:
        return next((q for q in self.questions if q.key not in self.answered), None)


def _band_questions(session: Session, class_id: int, catalogue: Catalogue) -> tuple[str, list[CheckQuestion]]:
    band = session.get(SchoolClass, class_id).age_band
    check = catalogue.checks.get(band)
    return band, resolve(check, catalogue.lessons, catalogue.quizzes) if check else []


def _my_checks(session: Session, pupil_id: int) -> dict[str, ImpactCheck]:
    rows = session.exec(select(ImpactCheck).where(ImpactCheck.pupil_id == pupil_id)).all()
    return {row.phase: row for row in rows}


def owed_check(session: Session, actor: Actor, catalogue: Catalogue) -> str | None:
    """ "before", "after" or None: the check the signed-in pupil has to take now. Before: their band
    has a check, lessons are assigned and none of them is started yet. After: every assigned lesson
    is done and the after check is not finished (4 queries)."""
    pupil = require_pupil(actor)
    _, questions = _band_questions(session, pupil.class_id, catalogue)
    lesson_ids = [lid for lid in assigned_lesson_ids(session, pupil.class_id) if lid in catalogue.lessons]
    if not questions or not lesson_ids:
        return None
    mine = _my_checks(session, pupil.id)
    progress = session.exec(
        select(LessonProgress.lesson_id, LessonProgress.completed_at).where(
            LessonProgress.pupil_id == pupil.id, LessonProgress.lesson_id.in_(lesson_ids)
        )
    ).all()
    before, after = mine.get(BEFORE), mine.get(AFTER)
    if (before is None or before.finished_on is None) and not progress:
        return BEFORE
    done = {lesson_id for lesson_id, completed in progress if completed is not None}
    if done >= set(lesson_ids) and (after is None or after.finished_on is None):
        return AFTER
    return None


def _answers(session: Session, check_id: int) -> dict[tuple[str, str], bool]:
    rows = session.exec(
        select(ImpactAnswer.lesson_id, ImpactAnswer.question_id, ImpactAnswer.correct).where(
            ImpactAnswer.check_id == check_id
        )
    ).all()
    return {(lesson_id, question_id): correct for lesson_id, question_id, correct in rows}


def _check_row(session: Session, pupil_id: int, phase: str) -> ImpactCheck | None:
    return session.exec(
        select(ImpactCheck).where(ImpactCheck.pupil_id == pupil_id, ImpactCheck.phase == phase)
    ).first()


def open_check(session: Session, actor: Actor, catalogue: Catalogue, phase: str) -> CheckState:
    """The pupil's check of this phase, started now if it is the one they owe."""
    pupil = require_pupil(actor)
    row = _check_row(session, pupil.id, phase)
    if row is None:
        if owed_check(session, actor, catalogue) != phase:
            raise AccessDenied()
        band, _ = _band_questions(session, pupil.class_id, catalogue)
        started = ImpactCheck(
            pupil_id=pupil.id, class_id=pupil.class_id, phase=phase, band=band, started_on=utcnow().date()
        )
        insert_if_absent(session, started, "pupil_id", "phase")
        row = _check_row(session, pupil.id, phase)
    _, questions = _band_questions(session, pupil.class_id, catalogue)
    return CheckState(phase, questions, _answers(session, row.id))


def record_answer(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    phase: str,
    lesson_id: str,
    question_id: str,
    answer: list,
) -> bool:
    """Record one answer of the pupil's check (the first answer to an item stays); True if right.
    The check is finished, with today's date, when its last item is answered."""
    pupil = require_pupil(actor)
    row = _check_row(session, pupil.id, phase)
    if row is None or row.finished_on is not None:
        raise AccessDenied()
    _, questions = _band_questions(session, pupil.class_id, catalogue)
    item = next((q for q in questions if q.key == (lesson_id, question_id)), None)
    if item is None:
        raise Invalid(NOT_IN_CHECK)
    if problem := item.question.answer_problem(answer):
        raise Invalid(problem)
    correct = item.question.grade(answer)
    today = utcnow().date()
    answer_row = ImpactAnswer(
        check_id=row.id, lesson_id=lesson_id, question_id=question_id, correct=correct, answered_on=today
    )
    insert_if_absent(session, answer_row, "check_id", "lesson_id", "question_id")
    answered = _answers(session, row.id)
    if all(q.key in answered for q in questions):
        session.exec(
            update(ImpactCheck)
            .where(ImpactCheck.id == row.id, ImpactCheck.finished_on == None)  # noqa: E711
            .values(finished_on=today)
        )
    session.flush()
    return answered[(lesson_id, question_id)]


@dataclass(frozen=True)
class ItemResult:
    """One question of the check: right before? right after? (None: not answered then)."""

    item: CheckQuestion
    before: bool | None
    after: bool | None


def my_results(session: Session, actor: Actor, catalogue: Catalogue) -> list[ItemResult]:
    """The pupil's own answers, before and after, per question of their check."""
    pupil = require_pupil(actor)
    mine = _my_checks(session, pupil.id)
    given = {phase: _answers(session, row.id) for phase, row in mine.items()}
    _, questions = _band_questions(session, pupil.class_id, catalogue)
    return [
        ItemResult(q, given.get(BEFORE, {}).get(q.key), given.get(AFTER, {}).get(q.key)) for q in questions
    ]


# ---------------------------------------------------------------- the teacher's and admin's side


@dataclass(frozen=True)
class TopicGain:
    """Share of right answers before and after (whole percent), among pupils who took both."""

    topic: str  # "" for every topic together
    before: int | None
    after: int | None
    pupils: int

    @property
    def gain(self) -> int | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class ImpactSummary:
    topics: list[TopicGain]
    overall: TopicGain
    both: int  # pupils who finished the before and the after check
    only_before: int  # finished the before check only (so far)
    only_after: int  # finished the after check only (started lessons before the check existed)


@dataclass(frozen=True)
class BandImpact:
    band: str
    summary: ImpactSummary


Row = tuple[int, str, object, str | None, bool | None]  # pupil, phase, finished_on, lesson, right


def _percent(right: int, total: int) -> int | None:
    return round(100 * right / total) if total else None


def _summarise(rows: Iterable[Row], catalogue: Catalogue, band: str) -> ImpactSummary:
    rows = list(rows)
    finished: dict[str, set[int]] = {phase: set() for phase in PHASES}
    for pupil_id, phase, finished_on, _, _ in rows:
        if finished_on is not None:
            finished[phase].add(pupil_id)
    both = finished[BEFORE] & finished[AFTER]
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])  # (topic, phase) -> right, total
    for pupil_id, phase, _, lesson_id, correct in rows:
        lesson = catalogue.lessons.get(lesson_id) if lesson_id else None
        if pupil_id not in both or lesson is None:
            continue
        for topic in (lesson.topic, ""):
            tally[(topic, phase)][0] += bool(correct)
            tally[(topic, phase)][1] += 1
    check = catalogue.checks.get(band)
    order = [q.topic for q in resolve(check, catalogue.lessons, catalogue.quizzes)] if check else []
    topics = list(dict.fromkeys(order + sorted(topic for topic, _ in tally if topic)))

    def gain(topic: str) -> TopicGain:
        before, after = tally.get((topic, BEFORE), [0, 0]), tally.get((topic, AFTER), [0, 0])
        return TopicGain(topic, _percent(*before), _percent(*after), len(both))

    return ImpactSummary(
        [gain(topic) for topic in topics],
        gain(""),
        len(both),
        len(finished[BEFORE] - both),
        len(finished[AFTER] - both),
    )


def _rows_query():
    return select(
        ImpactCheck.pupil_id,
        ImpactCheck.phase,
        ImpactCheck.finished_on,
        ImpactAnswer.lesson_id,
        ImpactAnswer.correct,
    ).outerjoin(ImpactAnswer, ImpactAnswer.check_id == ImpactCheck.id)


def class_summary(session: Session, actor: Actor, class_id: int, catalogue: Catalogue) -> ImpactSummary:
    """The class's gain per topic (2 queries): its teacher or an admin of its school."""
    school_class = require_class(session, actor, class_id)
    rows = session.exec(_rows_query().where(ImpactCheck.class_id == class_id)).all()
    return _summarise(rows, catalogue, school_class.age_band)


def school_summary(session: Session, actor: Actor, catalogue: Catalogue) -> list[BandImpact]:
    """The school's gain per age band and topic, every class together (admins; 1 query)."""
    admin = require_admin(actor)
    rows = session.exec(
        _rows_query()
        .add_columns(ImpactCheck.band)
        .join(SchoolClass, SchoolClass.id == ImpactCheck.class_id)
        .where(SchoolClass.school_id == admin.school_id)
    ).all()
    by_band: dict[str, list[Row]] = defaultdict(list)
    for *row, band in rows:
        by_band[band].append(tuple(row))
    bands = [band for band in catalogue.checks if band in by_band] + sorted(
        set(by_band) - set(catalogue.checks)
    )
    return [BandImpact(band, _summarise(by_band[band], catalogue, band)) for band in bands]


def _csv_rows(
    summary: ImpactSummary, topic_name: Callable[[str], str], lang: str, band: str = ""
) -> list[list]:
    everything = t("All topics", lang=lang)
    return [
        [
            *([band] if band else []),
            topic_name(row.topic) if row.topic else everything,
            row.before,
            row.after,
            row.gain,
            row.pupils,
            summary.only_before,
            summary.only_after,
        ]
        for row in [*summary.topics, summary.overall]
    ]


def _csv_header(lang: str, with_band: bool) -> list[str]:
    names = [
        N_("Topic"),
        N_("Before (% right)"),
        N_("After (% right)"),
        N_("Gain (points)"),
        N_("Pupils who took both"),
        N_("Before only"),
        N_("After only"),
    ]
    return [*([t("Age band", lang=lang)] if with_band else []), *(t(name, lang=lang) for name in names)]


def class_csv(
    session: Session,
    actor: Actor,
    class_id: int,
    catalogue: Catalogue,
    lang: str,
    topic_name: Callable[[str], str],
) -> str:
    """The class's impact table as a spreadsheet (the topic names as the page shows them)."""
    summary = class_summary(session, actor, class_id, catalogue)
    audit.record(session, actor, "class_exported", f"class:{class_id}", kind="impact")
    return csv_text(_csv_header(lang, False), _csv_rows(summary, topic_name, lang))


def school_csv(
    session: Session, actor: Actor, catalogue: Catalogue, lang: str, topic_name: Callable[[str], str]
) -> str:
    """The school's impact table by age band, as a spreadsheet (admins)."""
    bands = school_summary(session, actor, catalogue)
    rows = [row for impact in bands for row in _csv_rows(impact.summary, topic_name, lang, impact.band)]
    return csv_text(_csv_header(lang, True), rows)
