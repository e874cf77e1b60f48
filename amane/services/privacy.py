"""A pupil's data: export all of it, delete all of it, and purge archived classes after the
school's retention period."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, update
from sqlmodel import Session, select

from amane.i18n import N_
from amane.models.content_loader import Catalogue
from amane.models.db import forget_deleted_on_commit
from amane.models.impact_tables import ImpactAnswer, ImpactCheck
from amane.models.tables import (
    Assignment,
    AuditEvent,
    HelpRequest,
    LessonProgress,
    Pupil,
    QuizAnswer,
    QuizAttempt,
    ScenarioChoice,
    School,
    SchoolClass,
    utcnow,
)
from amane.services import audit, pulse
from amane.services.errors import AccessDenied, Invalid
from amane.services.permissions import Actor, require_admin, require_staff_pupil
from amane.services.rules import MAX_RETENTION_DAYS, MIN_RETENTION_DAYS

# Retention of archived classes (days); None keeps them until someone deletes them.

# What audit events say about a pupil, once the pupil is deleted.
DELETED_PUPIL = "pupil:deleted"
DELETED_HELP = "help:deleted"


def _iso(value: object) -> object:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _row(obj: Any, fields: tuple[str, ...]) -> dict[str, object]:
    return {name: _iso(getattr(obj, name)) for name in fields}


def _audit_about(pupil_ids: list[int], help_ids: list[int]):
    """The audit events that name these pupils (as actor or target) or their help requests."""
    pupil_refs = [f"pupil:{pid}" for pid in pupil_ids]
    help_refs = [f"help:{hid}" for hid in help_ids]
    return or_(
        AuditEvent.actor.in_(pupil_refs),
        AuditEvent.target.in_(pupil_refs),
        AuditEvent.target.in_(help_refs),
    )


def export_pupil(session: Session, actor: Actor, pupil_id: int, catalogue: Catalogue) -> dict:
    """Everything stored about one pupil, as JSON-ready data (ISO dates), for the pupil's family."""
    pupil, school_class = require_staff_pupil(session, actor, pupil_id)
    progress = session.exec(
        select(LessonProgress).where(LessonProgress.pupil_id == pupil.id).order_by(LessonProgress.id)
    ).all()
    choices = session.exec(
        select(ScenarioChoice).where(ScenarioChoice.pupil_id == pupil.id).order_by(ScenarioChoice.id)
    ).all()
    attempts = session.exec(
        select(QuizAttempt).where(QuizAttempt.pupil_id == pupil.id).order_by(QuizAttempt.id)
    ).all()
    answers: dict[int, list[QuizAnswer]] = {}
    for answer in session.exec(
        select(QuizAnswer)
        .join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
        .where(QuizAttempt.pupil_id == pupil.id)
        .order_by(QuizAnswer.id)
    ).all():
        answers.setdefault(answer.attempt_id, []).append(answer)
    requests = session.exec(
        select(HelpRequest).where(HelpRequest.pupil_id == pupil.id).order_by(HelpRequest.id)
    ).all()
    checks = session.exec(
        select(ImpactCheck).where(ImpactCheck.pupil_id == pupil.id).order_by(ImpactCheck.id)
    ).all()
    check_answers = session.exec(
        select(ImpactAnswer)
        .join(ImpactCheck, ImpactCheck.id == ImpactAnswer.check_id)
        .where(ImpactCheck.pupil_id == pupil.id)
        .order_by(ImpactAnswer.id)
    ).all()
    events = session.exec(
        select(AuditEvent)
        .where(_audit_about([pupil.id], [r.id for r in requests]))
        .order_by(AuditEvent.created_at, AuditEvent.id)
    ).all()

    def title(lesson_id: str) -> dict[str, str] | None:
        lesson = catalogue.lesson(lesson_id)
        return lesson.title.model_dump() if lesson else None

    data = {
        "exported_at": utcnow().isoformat(),
        "pupil": {
            **_row(pupil, ("id", "display_name", "failed_logins", "locked_until", "created_at")),
            "class": {"id": school_class.id, "name": school_class.name},
        },
        "lesson_progress": [
            {
                "lesson_title": title(row.lesson_id),
                **_row(row, ("lesson_id", "step", "furthest_step", "completed_at", "updated_at")),
            }
            for row in progress
        ],
        "scenario_choices": [_row(row, ("lesson_id", "step", "choice", "created_at")) for row in choices],
        "quiz_attempts": [
            {
                **_row(row, ("lesson_id", "number", "score", "max_score", "started_at", "finished_at")),
                "answers": [
                    _row(answer, ("question_id", "answer", "correct", "created_at"))
                    for answer in answers.get(row.id, [])
                ],
            }
            for row in attempts
        ],
        "help_requests": [
            _row(row, ("id", "category", "in_person", "status", "created_at", "updated_at"))
            for row in requests
        ],
        "before_after_checks": [
            {
                **_row(row, ("phase", "band", "started_on", "finished_on")),
                "answers": [
                    _row(answer, ("lesson_id", "question_id", "correct", "answered_on"))
                    for answer in check_answers
                    if answer.check_id == row.id
                ],
            }
            for row in checks
        ],
        "audit_events": [_row(row, ("actor", "action", "target", "detail", "created_at")) for row in events],
    }
    audit.record(session, actor, "pupil_exported", f"pupil:{pupil.id}")
    return data


def _delete_pupils_data(session: Session, pupil_ids: list[int]) -> None:
    """Delete these pupils and every row about them; audit events that named them are kept
    without the name of the pupil or of their help requests."""
    if not pupil_ids:
        return
    help_ids = list(session.exec(select(HelpRequest.id).where(HelpRequest.pupil_id.in_(pupil_ids))).all())
    pupil_refs = [f"pupil:{pid}" for pid in pupil_ids]
    session.exec(update(AuditEvent).where(AuditEvent.actor.in_(pupil_refs)).values(actor=DELETED_PUPIL))
    session.exec(update(AuditEvent).where(AuditEvent.target.in_(pupil_refs)).values(target=DELETED_PUPIL))
    session.exec(
        update(AuditEvent)
        .where(AuditEvent.target.in_([f"help:{hid}" for hid in help_ids]))
        .values(target=DELETED_HELP)
    )
    attempt_ids = select(QuizAttempt.id).where(QuizAttempt.pupil_id.in_(pupil_ids))
    session.exec(delete(QuizAnswer).where(QuizAnswer.attempt_id.in_(attempt_ids)))
    session.exec(delete(QuizAttempt).where(QuizAttempt.pupil_id.in_(pupil_ids)))
    session.exec(delete(ScenarioChoice).where(ScenarioChoice.pupil_id.in_(pupil_ids)))
    session.exec(delete(LessonProgress).where(LessonProgress.pupil_id.in_(pupil_ids)))
    session.exec(delete(HelpRequest).where(HelpRequest.pupil_id.in_(pupil_ids)))
    check_ids = select(ImpactCheck.id).where(ImpactCheck.pupil_id.in_(pupil_ids))
    session.exec(delete(ImpactAnswer).where(ImpactAnswer.check_id.in_(check_ids)))
    session.exec(delete(ImpactCheck).where(ImpactCheck.pupil_id.in_(pupil_ids)))
    session.exec(delete(Pupil).where(Pupil.id.in_(pupil_ids)))
    forget_deleted_on_commit(session)  # names and picture hashes out of the SQLite WAL too


def delete_pupil(session: Session, actor: Actor, pupil_id: int) -> None:
    """Delete a pupil and all their rows in the caller's transaction (nothing is committed here)."""
    pupil, school_class = require_staff_pupil(session, actor, pupil_id)
    class_id = school_class.id
    _delete_pupils_data(session, [pupil.id])
    audit.record(session, actor, "pupil_deleted", f"class:{class_id}")
    session.flush()


def set_retention(session: Session, actor: Actor, days: int | None) -> None:
    admin = require_admin(actor)
    if days is not None and (
        isinstance(days, bool)
        or not isinstance(days, int)
        or not MIN_RETENTION_DAYS <= days <= MAX_RETENTION_DAYS
    ):
        raise Invalid(
            N_("Keep archived classes between {min} and {max} days."),
            min=MIN_RETENTION_DAYS,
            max=MAX_RETENTION_DAYS,
        )
    school = session.get(School, admin.school_id)
    if school is None:  # an actor of no school of this install
        raise AccessDenied()
    before = school.retention_days
    school.retention_days = days
    session.add(school)
    audit.record(session, admin, "retention_set", f"school:{school.id}", before=before, after=days)


def retention(session: Session, actor: Actor) -> int | None:
    admin = require_admin(actor)
    school = session.get(School, admin.school_id)
    if school is None:  # an actor of no school of this install
        raise AccessDenied()
    return school.retention_days


def purge_expired(session: Session, now: datetime | None = None) -> int:
    """Operator command (no actor): delete each archived class whose school's retention period
    has passed since it was archived, with all its pupils' data. Returns how many classes."""
    now = now or utcnow()
    candidates = session.exec(
        select(SchoolClass, School.retention_days)
        .join(School, School.id == SchoolClass.school_id)
        .where(SchoolClass.archived_at != None, School.retention_days != None)  # noqa: E711
        .order_by(SchoolClass.id)
    ).all()
    expired = [
        (school_class.id, school_class.school_id)
        for school_class, days in candidates
        if school_class.archived_at + timedelta(days=days) < now
    ]
    for class_id, school_id in expired:
        pupil_ids = list(session.exec(select(Pupil.id).where(Pupil.class_id == class_id)).all())
        _delete_pupils_data(session, pupil_ids)
        session.exec(delete(HelpRequest).where(HelpRequest.class_id == class_id))
        session.exec(delete(Assignment).where(Assignment.class_id == class_id))
        pulse.delete_class_pulses(session, [class_id])
        session.exec(delete(SchoolClass).where(SchoolClass.id == class_id))
        audit.record(session, "system", "class_purged", f"class:{class_id}", school_id, pupils=len(pupil_ids))
    session.flush()
    return len(expired)
