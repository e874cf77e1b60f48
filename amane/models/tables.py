"""Database tables (SQLModel). The schema itself is created by Alembic migrations.

Children's data is minimal by design: a pupil is a display name in a class, a hash of a
picture password and lockout state. No email, birth date, photo or free text.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from amane.clock import utcnow


class School(SQLModel, table=True):
    """The one school of this install: `one_school` is 1 on its row and unique, so two first-visit
    setups racing each other end with one school."""

    __table_args__ = (
        UniqueConstraint("one_school", name="uq_school_one_school"),
        CheckConstraint("one_school = 1", name="ck_school_one_school"),
    )
    id: int | None = Field(default=None, primary_key=True)
    one_school: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    name: str = Field(max_length=120)
    retention_days: int | None = Field(default=None, description="purge archived classes after")
    created_at: datetime = Field(default_factory=utcnow)


class StaffUser(SQLModel, table=True):
    __tablename__ = "staff_user"
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    username: str = Field(max_length=60, unique=True, index=True)
    display_name: str = Field(max_length=80)
    password_hash: str = Field(max_length=100)
    role: str = Field(max_length=10, description="teacher | admin")
    active: bool = True
    language: str | None = Field(default=None, max_length=2)
    # The class a teacher last opened, where their next sign-in lands. No foreign key: a class
    # deleted since is simply not found, and the teacher lands on My classes.
    last_class_id: int | None = None
    created_at: datetime = Field(default_factory=utcnow)


class StaffSession(SQLModel, table=True):
    """A staff sign-in, kept on the server so that it can end: idle or too old (rules.py), or
    ended with every other session of the account (sign-out, password change or reset, account
    disabled). The browser's cookie holds the token; only its SHA-256 is stored."""

    __tablename__ = "staff_session"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    staff_id: int = Field(foreign_key="staff_user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)


class SignInThrottle(SQLModel, table=True):
    """Wrong sign-in tries counted per key (a username typed, a class, a client), for the growing
    delays of services/throttle.py. Keys hold no name: typed text and addresses are hashed."""

    __tablename__ = "sign_in_throttle"
    key: str = Field(primary_key=True, max_length=80)
    failures: int = 0
    last_failure_at: datetime = Field(default_factory=utcnow)
    blocked_until: datetime | None = None


class SchoolClass(SQLModel, table=True):
    __tablename__ = "school_class"
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    teacher_id: int = Field(foreign_key="staff_user.id", index=True)
    name: str = Field(max_length=60)
    age_band: str = Field(max_length=5)
    language: str = Field(max_length=2)
    join_code: str = Field(max_length=12, unique=True, index=True)
    archived_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Pupil(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    class_id: int = Field(foreign_key="school_class.id", index=True)
    display_name: str = Field(max_length=40)
    picture_hash: str = Field(max_length=200)
    failed_logins: int = 0
    locked_until: datetime | None = Field(default=None, description="wrong pictures: no sign-in until then")
    created_at: datetime = Field(default_factory=utcnow)


class Assignment(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("class_id", "lesson_id"),)
    id: int | None = Field(default=None, primary_key=True)
    class_id: int = Field(foreign_key="school_class.id", index=True)
    lesson_id: str = Field(max_length=80)
    position: int = 0
    due_date: date | None = None
    created_at: datetime = Field(default_factory=utcnow)


class LessonProgress(SQLModel, table=True):
    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("pupil_id", "lesson_id"),)
    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    lesson_id: str = Field(max_length=80)
    step: int = 0
    furthest_step: int = 0
    completed_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)


class ScenarioChoice(SQLModel, table=True):
    """Each choice a pupil tried on a scenario step, first try first."""

    __tablename__ = "scenario_choice"
    __table_args__ = (UniqueConstraint("pupil_id", "lesson_id", "step", "choice"),)
    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    lesson_id: str = Field(max_length=80)
    step: int
    choice: int
    created_at: datetime = Field(default_factory=utcnow)


class QuizAttempt(SQLModel, table=True):
    __tablename__ = "quiz_attempt"
    __table_args__ = (UniqueConstraint("pupil_id", "lesson_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    lesson_id: str = Field(max_length=80, index=True)
    number: int = Field(description="1 for the first attempt at this quiz")
    score: int = 0
    max_score: int = 0
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None


class QuizAnswer(SQLModel, table=True):
    __tablename__ = "quiz_answer"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)
    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="quiz_attempt.id", index=True)
    question_id: str = Field(max_length=80)
    answer: list = Field(sa_column=Column(JSON, nullable=False), description="option ids or order")
    correct: bool
    created_at: datetime = Field(default_factory=utcnow)


class HelpRequest(SQLModel, table=True):
    __tablename__ = "help_request"
    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    class_id: int = Field(foreign_key="school_class.id", index=True)
    category: str = Field(max_length=20)
    in_person: bool = False
    status: str = Field(default="new", max_length=12, description="new | acknowledged | resolved")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by: int | None = Field(default=None, foreign_key="staff_user.id")


class AuditEvent(SQLModel, table=True):
    """Who did what, when. Never holds a pupil's words: only ids and action names."""

    __tablename__ = "audit_event"
    id: int | None = Field(default=None, primary_key=True)
    school_id: int | None = Field(default=None, foreign_key="school.id", index=True)
    actor: str = Field(max_length=40, description="staff:<id>, pupil:<id> or system")
    action: str = Field(max_length=40)
    target: str = Field(default="", max_length=40)
    detail: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, index=True)


# The tables of later features live in modules of their own; importing them here registers them
# on SQLModel.metadata wherever the schema is needed (migrations, tests).
from amane.models import impact_tables, pulse_tables, training_tables  # noqa: E402, F401
