"""Growing delays after wrong sign-in tries, kept in the database so that every replica and a
restart see them (table sign_in_throttle).

A key names what is counted: a username as typed (known or not, so the reply never tells which
exist), a class (wrong pictures, whoever taps) or a client (a browser's address). Free text and
addresses are stored hashed. After `Delays.free` wrong tries each new one makes the next try wait,
twice as long each time up to `max_delay`; a quiet `forget_after` starts the count again, so a
teacher's typo of last week never counts towards a lock, and no delay lasts for ever.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, case, null
from sqlmodel import Session, delete, select, update

from amane.clock import utcnow
from amane.models.db import insert_if_absent
from amane.models.tables import SignInThrottle
from amane.services.rules import Delays


def staff_key(username: str) -> str:
    return "staff:" + _digest(username.strip().lower())


def class_key(class_id: int) -> str:
    return f"class:{class_id}"


def client_key(address: str) -> str:
    return "client:" + _digest(address)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def wait_left(session: Session, key: str, now: datetime | None = None) -> timedelta | None:
    """How long a try under `key` must still wait, or None if it may go ahead now."""
    now = now or utcnow()
    query = select(SignInThrottle.blocked_until).where(SignInThrottle.key == key)
    blocked_until = session.exec(query).first()
    return blocked_until - now if blocked_until and blocked_until > now else None


def record_failure(
    session: Session, key: str, delays: Delays, now: datetime | None = None
) -> timedelta | None:
    """Count a wrong try under `key`; returns the wait it imposes on the next try, if any. The
    count is one UPDATE, so wrong tries at the same moment (two tablets, two replicas) all count."""
    now = now or utcnow()
    insert_if_absent(session, SignInThrottle(key=key, failures=0, last_failure_at=now), "key")
    row = SignInThrottle.__table__.c
    forgotten = row.last_failure_at < now - delays.forget_after
    session.exec(
        update(SignInThrottle)
        .where(SignInThrottle.key == key)
        .values(
            failures=_case(forgotten, 1, row.failures + 1),
            blocked_until=_case(forgotten, None, row.blocked_until),
            last_failure_at=now,
        )
    )
    failures = session.exec(select(SignInThrottle.failures).where(SignInThrottle.key == key)).one()
    if failures <= delays.free:
        return None
    wait = min(delays.first_delay * 2 ** min(failures - delays.free - 1, 30), delays.max_delay)
    session.exec(update(SignInThrottle).where(SignInThrottle.key == key).values(blocked_until=now + wait))
    return wait


def _case(condition: ColumnElement[bool], then: object, otherwise: object) -> ColumnElement:
    return case((condition, null() if then is None else then), else_=otherwise)


def failures(session: Session, key: str, since: datetime) -> int:
    """Wrong tries counted under `key`, if the last one was after `since` (else 0)."""
    query = select(SignInThrottle.failures).where(
        SignInThrottle.key == key, SignInThrottle.last_failure_at > since
    )
    count = session.exec(query).first()
    return count or 0


def clear(session: Session, key: str) -> None:
    """Forget the wrong tries under `key` (a right password, an admin's unlock, a new class code)."""
    session.exec(delete(SignInThrottle).where(SignInThrottle.key == key))
