"""The staff training course (issue 16): each staff member's own progress through the modules,
and their school's record for its admins.

A staff member reaches only their own record (and only while their account is active); an admin
also reads the record of every staff member of their own school, on a page and as a CSV.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from amane.i18n import N_, t
from amane.models.content import Question
from amane.models.content_loader import Catalogue
from amane.models.tables import School, StaffUser, utcnow
from amane.models.training import TrainingModule
from amane.models.training_tables import StaffTraining
from amane.services import audit
from amane.services.errors import Invalid
from amane.services.permissions import Actor, require_admin, require_staff_account
from amane.services.rules import CONFIDENCE_MAX, CONFIDENCE_MIN
from amane.services.spreadsheet import csv_text

NEW, STARTED, COMPLETED = "new", "started", "completed"


@dataclass(frozen=True)
class TrainingRecord:
    """One staff member's progress in one module."""

    module_id: str
    confidence_before: int
    confidence_after: int | None
    step: int
    furthest_step: int
    answers: dict[str, list]
    check_score: int | None
    check_max: int | None
    started_at: datetime
    completed_at: datetime | None

    @classmethod
    def of(cls, row: StaffTraining) -> TrainingRecord:
        return cls(
            row.module_id,
            row.confidence_before,
            row.confidence_after,
            row.step,
            row.furthest_step,
            dict(row.answers),
            row.check_score,
            row.check_max,
            row.started_at,
            row.completed_at,
        )

    @property
    def status(self) -> str:
        return COMPLETED if self.completed_at else STARTED


@dataclass(frozen=True)
class ModuleStatus:
    module: TrainingModule
    record: TrainingRecord | None

    @property
    def status(self) -> str:
        return self.record.status if self.record else NEW


@dataclass(frozen=True)
class MyTraining:
    """A staff member's course: every module in order with its status, and the next to take."""

    modules: list[ModuleStatus]

    @property
    def next_module(self) -> TrainingModule | None:
        """The first module started and not completed, else the first not started."""
        for wanted in (STARTED, NEW):
            found = next((item.module for item in self.modules if item.status == wanted), None)
            if found:
                return found
        return None

    @property
    def completed(self) -> list[ModuleStatus]:
        return [item for item in self.modules if item.status == COMPLETED]


@dataclass(frozen=True)
class Certificate:
    name: str
    school: str
    completed: list[tuple[TrainingModule, datetime]]


@dataclass(frozen=True)
class StaffTrainingRow:
    """One staff member of the school, for the admin's view: their record per module id."""

    staff_id: int
    name: str
    username: str
    role: str
    active: bool
    records: dict[str, TrainingRecord]


def _check_confidence(value: int) -> None:
    if not isinstance(value, int) or not CONFIDENCE_MIN <= value <= CONFIDENCE_MAX:
        raise Invalid(N_("Please choose how sure you are, from 1 to 5."))


def _row(session: Session, staff_id: int, module_id: str) -> StaffTraining | None:
    return session.exec(
        select(StaffTraining).where(StaffTraining.staff_id == staff_id, StaffTraining.module_id == module_id)
    ).first()


def _started(session: Session, actor: Actor, module: TrainingModule) -> StaffTraining:
    user = require_staff_account(session, actor)
    row = _row(session, user.id, module.id)
    if row is None:
        raise Invalid(N_("Please start the module first."))
    return row


def _touch(session: Session, row: StaffTraining) -> None:
    row.updated_at = utcnow()
    session.add(row)
    session.flush()


def start_module(
    session: Session, actor: Actor, module: TrainingModule, confidence_before: int
) -> TrainingRecord:
    """Start a module with the confidence given before it. Starting it again (another tab, a
    double click) keeps the first rating and the progress."""
    user = require_staff_account(session, actor)
    _check_confidence(confidence_before)
    row = _row(session, user.id, module.id)
    if row is None:
        row = StaffTraining(staff_id=user.id, module_id=module.id, confidence_before=confidence_before)
        _touch(session, row)
    return TrainingRecord.of(row)


def module_record(session: Session, actor: Actor, module: TrainingModule) -> TrainingRecord | None:
    """The acting staff member's record in one module (None before they start it)."""
    user = require_staff_account(session, actor)
    row = _row(session, user.id, module.id)
    return TrainingRecord.of(row) if row else None


def save_step(session: Session, actor: Actor, module: TrainingModule, step: int) -> None:
    """Where the staff member is in the module's screens (kept within them)."""
    row = _started(session, actor, module)
    row.step = max(0, min(step, len(module.steps)))
    row.furthest_step = max(row.furthest_step, row.step)
    _touch(session, row)


def answer_question(
    session: Session, actor: Actor, module: TrainingModule, question: Question, answer: list
) -> bool:
    """Record an answer to one question of the module's check; whether it is right. The first
    answer stays, as in the pupils' quizzes: a second click changes nothing."""
    row = _started(session, actor, module)
    if module.question(question.id) != question:
        raise Invalid(N_("This question is not part of this module."))
    if question.id in row.answers:
        return question.grade(row.answers[question.id])
    if problem := question.answer_problem(answer):
        raise Invalid(problem)
    row.answers = {**row.answers, question.id: list(answer)}  # a new dict: JSON changes are seen
    _touch(session, row)
    return question.grade(answer)


def complete_module(
    session: Session, actor: Actor, module: TrainingModule, confidence_after: int
) -> TrainingRecord:
    """Complete a module: every check question answered, and the confidence after it. The
    first completion stays (its date is the certificate's)."""
    row = _started(session, actor, module)
    if row.completed_at is not None:
        return TrainingRecord.of(row)
    _check_confidence(confidence_after)
    if any(question.id not in row.answers for question in module.check):
        raise Invalid(N_("Please answer every question first."))
    row.check_score = sum(question.grade(row.answers[question.id]) for question in module.check)
    row.check_max = len(module.check)
    row.confidence_after = confidence_after
    row.step = row.furthest_step = len(module.steps)
    row.completed_at = utcnow()
    _touch(session, row)
    audit.record(session, actor, "training_completed", f"training:{module.id}")
    return TrainingRecord.of(row)


def _records(session: Session, staff_ids: list[int]) -> dict[int, dict[str, TrainingRecord]]:
    found: dict[int, dict[str, TrainingRecord]] = {staff_id: {} for staff_id in staff_ids}
    rows = session.exec(select(StaffTraining).where(StaffTraining.staff_id.in_(staff_ids))).all()
    for row in rows:
        found[row.staff_id][row.module_id] = TrainingRecord.of(row)
    return found


def my_record(session: Session, actor: Actor, catalogue: Catalogue) -> MyTraining:
    """The acting staff member's own course, module by module."""
    user = require_staff_account(session, actor)
    mine = _records(session, [user.id])[user.id]
    return MyTraining([ModuleStatus(module, mine.get(module.id)) for module in catalogue.training_modules()])


def certificate(session: Session, actor: Actor, catalogue: Catalogue) -> Certificate:
    """What the staff member's certificate shows: their name, school, completed modules and dates."""
    user = require_staff_account(session, actor)
    school = session.get(School, user.school_id)
    completed = [
        (item.module, item.record.completed_at) for item in my_record(session, actor, catalogue).completed
    ]
    return Certificate(user.display_name, school.name if school else "", completed)


def school_record(session: Session, actor: Actor, catalogue: Catalogue) -> list[StaffTrainingRow]:
    """Every staff account of the admin's own school (disabled ones too: what they completed
    stays on record), with their record in each module."""
    admin = require_admin(actor)
    require_staff_account(session, admin)
    users = session.exec(
        select(StaffUser)
        .where(StaffUser.school_id == admin.school_id)
        .order_by(StaffUser.display_name, StaffUser.id)
    ).all()
    records = _records(session, [user.id for user in users])
    return [
        StaffTrainingRow(user.id, user.display_name, user.username, user.role, user.active, records[user.id])
        for user in users
    ]


def _cell(record: TrainingRecord | None) -> list[object]:
    if record is None:
        return ["", "", "", "", ""]
    completed = record.completed_at.date().isoformat() if record.completed_at else ""
    score = f"{record.check_score}/{record.check_max}" if record.check_max else ""
    after = record.confidence_after if record.confidence_after is not None else ""
    return [record.started_at.date().isoformat(), completed, record.confidence_before, after, score]


def school_record_csv(session: Session, actor: Actor, catalogue: Catalogue, lang: str) -> str:
    """The school's record as a CSV: one row per staff member and module they have started."""
    rows = school_record(session, actor, catalogue)
    header = [
        t("Staff member", lang=lang),
        t("Username", lang=lang),
        t("Module", lang=lang),
        t("Started", lang=lang),
        t("Completed", lang=lang),
        t("Confidence before (1-5)", lang=lang),
        t("Confidence after (1-5)", lang=lang),
        t("Check score", lang=lang),
    ]
    lines = [
        [row.name, row.username, module.title.get(lang), *_cell(row.records.get(module.id))]
        for row in rows
        for module in catalogue.training_modules()
        if module.id in row.records
    ]
    audit.record(session, actor, "training_exported", "school")
    return csv_text(header, lines)
