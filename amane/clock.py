"""The time: aware UTC datetimes everywhere (tables, services and pages)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
