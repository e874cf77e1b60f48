"""Tables of the anonymous class climate pulse (issue 17, item 2): filled in by migration 0006.

Nothing here leads back to a pupil. Answers are counts per (pulse, question, choice), created at
zero when the pulse opens and incremented in the answering pupil's transaction: no row per pupil,
no pupil id, no time finer than the day. That a pupil has answered is a separate marker, an HMAC
of their id under the pulse's own secret (never shown), so only the pulse itself can tell whether
someone answered, not what; when the pulse closes its markers and secret are deleted.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class ClassPulse(SQLModel, table=True):
    """One pulse of a class: opened and closed by its teacher (days only)."""

    __tablename__ = "class_pulse"
    # One open pulse per class: open_class_id is the class's id while open, NULL once closed.
    __table_args__ = (UniqueConstraint("open_class_id", name="uq_class_pulse_open_class_id"),)
    id: int | None = Field(default=None, primary_key=True)
    class_id: int = Field(foreign_key="school_class.id", index=True)
    open_class_id: int | None = None
    band: str = Field(max_length=5, description="the age band whose questions were asked")
    opened_on: date
    closed_on: date | None = None
    answered: int = Field(default=0, description="how many pupils sent their answers")
    secret: str | None = Field(default=None, max_length=64)  # the markers' HMAC key; None once closed


class PulseCount(SQLModel, table=True):
    """How many pupils chose this answer to this question of this pulse."""

    __tablename__ = "pulse_count"
    pulse_id: int = Field(foreign_key="class_pulse.id", primary_key=True)
    question_id: str = Field(max_length=40, primary_key=True)
    choice_id: str = Field(max_length=40, primary_key=True)
    count: int = 0


class PulseMarker(SQLModel, table=True):
    """Someone answered this (open) pulse: HMAC-SHA256 of a pupil id under the pulse's secret."""

    __tablename__ = "pulse_marker"
    pulse_id: int = Field(foreign_key="class_pulse.id", primary_key=True)
    marker: str = Field(max_length=64, primary_key=True)
