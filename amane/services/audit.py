"""The audit log: who did what and when (ids and action names only, never a pupil's words)."""

from __future__ import annotations

from sqlmodel import Session

from amane.models.tables import AuditEvent
from amane.services.permissions import Actor


def record(
    session: Session,
    actor: Actor | str,
    action: str,
    target: str = "",
    school_id: int | None = None,
    **detail: object,
) -> None:
    ref = actor if isinstance(actor, str) else (actor.ref if actor else "anonymous")
    if school_id is None and actor is not None and not isinstance(actor, str):
        school_id = actor.school_id
    session.add(AuditEvent(school_id=school_id, actor=ref, action=action, target=target, detail=detail))
