"""Staff sessions kept on the server (table staff_session), so that they end and can be ended.

A sign-in starts a session and hands back a random token (the browser's cookie and the tab's
session state hold it; the table holds only its SHA-256). Every page resumes the session from the
token: it is refused once the account is disabled, once nobody used it for the idle timeout
(STAFF_IDLE_TIMEOUT, or AMANE_STAFF_IDLE_MINUTES) or once it is older than STAFF_SESSION_LIMIT,
whatever the cookie says. Signing out, a password change or reset and disabling the account end
every session of the account (end_all), so a copied cookie stops working at once.

Granularity: `last_seen_at` is written at most once per TOUCH_EVERY (one minute; half the idle
timeout if that is shorter), not on every click, so the idle timeout counts from a moment up to a
minute before the last click: a session may end up to a minute early, never late.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, delete, or_, select, update

from amane.clock import utcnow
from amane.models.tables import StaffSession, StaffUser
from amane.services.permissions import StaffActor
from amane.services.rules import STAFF_IDLE_TIMEOUT, STAFF_SESSION_LIMIT

TOUCH_EVERY = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(
    session: Session, staff_id: int, now: datetime | None = None, idle: timedelta = STAFF_IDLE_TIMEOUT
) -> str:
    """A new session of this account; returns its token. Sessions of any account that have ended
    without being resumed since (a tab closed without signing out) are deleted on the way."""
    now = now or utcnow()
    session.exec(delete(StaffSession).where(_ended(now, idle)))
    token = secrets.token_urlsafe(32)
    session.add(StaffSession(token_hash=_digest(token), staff_id=staff_id, created_at=now, last_seen_at=now))
    session.flush()
    return token


def _ended(now: datetime, idle: timedelta):
    return or_(StaffSession.last_seen_at < now - idle, StaffSession.created_at < now - STAFF_SESSION_LIMIT)


def resume(
    session: Session, token: str, now: datetime | None = None, idle: timedelta = STAFF_IDLE_TIMEOUT
) -> StaffActor | None:
    """The staff member of a live session, or None (no such session, account disabled, idle too
    long, too old; an ended session found is deleted). One SELECT, and one UPDATE when
    last_seen_at is due for a touch."""
    now = now or utcnow()
    found = session.exec(
        select(StaffSession, StaffUser)
        .join(StaffUser, StaffUser.id == StaffSession.staff_id)
        .where(StaffSession.token_hash == _digest(token))
    ).first()
    if found is None:
        return None
    row, user = found
    if not user.active or now - row.last_seen_at > idle or now - row.created_at > STAFF_SESSION_LIMIT:
        session.exec(delete(StaffSession).where(StaffSession.id == row.id))
        return None
    if now - row.last_seen_at >= min(TOUCH_EVERY, idle / 2):
        session.exec(update(StaffSession).where(StaffSession.id == row.id).values(last_seen_at=now))
    return StaffActor.of(user)


def end_all(session: Session, staff_id: int) -> None:
    """End every session of this account (every computer, every tab)."""
    session.exec(delete(StaffSession).where(StaffSession.staff_id == staff_id))
