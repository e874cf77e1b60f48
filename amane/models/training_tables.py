"""Tables of the staff training course (issue 16): filled in by its migration 0004.

One row per staff member and module they have started: the confidence they gave the module's
skill before (1-5, when they start) and after (1-5, when they complete it), how far they got, their
answers to the module's check and its score. The row belongs to the staff account: disabling the
account keeps it (the admin still sees what the person completed, and re-enabling brings it back);
deleting the account's row would delete it too (ON DELETE CASCADE), as it is about that person only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from amane.clock import utcnow


class StaffTraining(SQLModel, table=True):
    __tablename__ = "staff_training"
    __table_args__ = (
        UniqueConstraint("staff_id", "module_id"),
        CheckConstraint("confidence_before BETWEEN 1 AND 5", name="ck_staff_training_before"),
        CheckConstraint(
            "confidence_after IS NULL OR confidence_after BETWEEN 1 AND 5", name="ck_staff_training_after"
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(
        sa_column=Column(Integer, ForeignKey("staff_user.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    module_id: str = Field(max_length=80)
    confidence_before: int
    confidence_after: int | None = None
    step: int = 0
    furthest_step: int = 0
    # question id -> the first answer given (as services.quizzes records answers: a list)
    answers: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    check_score: int | None = None
    check_max: int | None = None
    started_at: datetime = Field(default_factory=utcnow)
    completed_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)
