"""Tables of the before-and-after check (issue 17, item 1): filled in by migration 0005.

A pupil takes their band's check twice, "before" their first lesson and "after" their last: one
ImpactCheck row per pupil and phase, one ImpactAnswer per item answered. Only whether each answer
was right is kept (not the option chosen), and days, not times."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

PHASES: tuple[str, ...] = ("before", "after")


class ImpactCheck(SQLModel, table=True):
    __tablename__ = "impact_check"
    __table_args__ = (
        UniqueConstraint("pupil_id", "phase", name="uq_impact_check_pupil_phase"),
        CheckConstraint("phase IN ('before', 'after')", name="ck_impact_check_phase"),
    )
    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    class_id: int = Field(foreign_key="school_class.id", index=True)
    phase: str = Field(max_length=6, description="before | after")
    band: str = Field(max_length=5, description="the age band whose check it is")
    started_on: date
    finished_on: date | None = None


class ImpactAnswer(SQLModel, table=True):
    __tablename__ = "impact_answer"
    __table_args__ = (UniqueConstraint("check_id", "lesson_id", "question_id", name="uq_impact_answer_item"),)
    id: int | None = Field(default=None, primary_key=True)
    check_id: int = Field(foreign_key="impact_check.id", index=True)
    lesson_id: str = Field(max_length=80)
    question_id: str = Field(max_length=80)
    correct: bool
    answered_on: date
