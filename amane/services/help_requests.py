"""A pupil's private request to talk to their teacher. Categories only: no free text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, func, select

from amane.clock import utcnow
from amane.i18n import N_
from amane.models.tables import HelpRequest, Pupil, SchoolClass, StaffUser
from amane.services import audit
from amane.services.errors import AccessDenied, Invalid
from amane.services.permissions import (
    Actor,
    StaffActor,
    require_class,
    require_pupil,
    require_staff,
    require_staff_pupil,
    visible_classes,
)

CATEGORIES: dict[str, str] = {
    "mean": N_("Someone is being mean to me"),
    "contact": N_("Someone I don't know contacted me"),
    "upset": N_("I saw something that upset me"),
    "secrets": N_("Someone asks me for photos or secrets"),
    "other": N_("Something else"),
}
STATUSES = ("new", "acknowledged", "resolved")
STATUS_NAMES: dict[str, str] = {
    "new": N_("New"),
    "acknowledged": N_("Acknowledged"),
    "resolved": N_("Resolved"),
}
OPEN = ("new", "acknowledged")


@dataclass(frozen=True)
class HelpRequestInfo:
    """A help request as the pages see it."""

    id: int
    pupil_id: int
    class_id: int
    category: str
    in_person: bool
    status: str
    created_at: datetime
    updated_at: datetime
    updated_by: int | None

    @classmethod
    def of(cls, row: HelpRequest) -> HelpRequestInfo:
        return cls(
            row.id,
            row.pupil_id,
            row.class_id,
            row.category,
            row.in_person,
            row.status,
            row.created_at,
            row.updated_at,
            row.updated_by,
        )


def ask_for_help(session: Session, actor: Actor, category: str, in_person: bool) -> HelpRequestInfo:
    pupil = require_pupil(actor)
    if category not in CATEGORIES:
        raise Invalid(N_("Please choose what it is about."))
    unread = session.exec(
        select(HelpRequest).where(
            HelpRequest.pupil_id == pupil.id,
            HelpRequest.category == category,
            HelpRequest.in_person == in_person,
            HelpRequest.status == "new",
        )
    ).first()
    if unread is not None:  # sent twice (a double tap) before the teacher saw it: one is enough
        return HelpRequestInfo.of(unread)
    request = HelpRequest(pupil_id=pupil.id, class_id=pupil.class_id, category=category, in_person=in_person)
    session.add(request)
    session.flush()
    audit.record(session, pupil, "help_requested", f"help:{request.id}")
    return HelpRequestInfo.of(request)


def my_requests(session: Session, actor: Actor) -> list[HelpRequestInfo]:
    pupil = require_pupil(actor)
    rows = session.exec(
        select(HelpRequest).where(HelpRequest.pupil_id == pupil.id).order_by(HelpRequest.created_at.desc())
    ).all()
    return [HelpRequestInfo.of(row) for row in rows]


@dataclass(frozen=True)
class InboxItem:
    request: HelpRequestInfo
    pupil_name: str
    class_name: str
    changed_by: str | None  # who last changed the status (the change itself is in the audit log)


def inbox(
    session: Session,
    actor: Actor,
    class_id: int | None = None,
    statuses: tuple[str, ...] = STATUSES,
    limit: int | None = None,
    pupil_id: int | None = None,
) -> list[InboxItem]:
    """Requests the actor may read in these statuses (of one class or one pupil if given), newest
    first (at most `limit`), with pupil, class and last editor names. A read that shows requests
    is audited (help_requests_read, about the class, the pupil or the school): one statement."""
    staff = require_staff(actor)
    query = (
        select(HelpRequest, Pupil.display_name, SchoolClass.name, StaffUser.display_name)
        .join(Pupil, Pupil.id == HelpRequest.pupil_id)
        .join(SchoolClass, SchoolClass.id == HelpRequest.class_id)
        .outerjoin(StaffUser, StaffUser.id == HelpRequest.updated_by)
        .where(visible_classes(staff), HelpRequest.status.in_(statuses))
    )
    if class_id is not None:
        require_class(session, actor, class_id)
        query = query.where(HelpRequest.class_id == class_id)
    if pupil_id is not None:
        require_staff_pupil(session, actor, pupil_id)
        query = query.where(HelpRequest.pupil_id == pupil_id)
    newest_first = query.order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc()).limit(limit)
    items = [
        InboxItem(HelpRequestInfo.of(request), pupil_name, class_name, changed_by)
        for request, pupil_name, class_name, changed_by in session.exec(newest_first).all()
    ]
    if items:
        audit.record_read(session, staff, "help_requests_read", _read_target(staff, class_id, pupil_id))
    return items


def _read_target(staff: StaffActor, class_id: int | None, pupil_id: int | None) -> str:
    if pupil_id is not None:
        return f"pupil:{pupil_id}"
    if class_id is not None:
        return f"class:{class_id}"
    return f"school:{staff.school_id}"  # every request they may read: their classes, or all for an admin


def new_count(session: Session, actor: Actor) -> int:
    """How many requests the actor may read are still new (for the navigation badge)."""
    staff = require_staff(actor)
    query = (
        select(func.count())
        .select_from(HelpRequest)
        .join(SchoolClass, SchoolClass.id == HelpRequest.class_id)
        .where(visible_classes(staff), HelpRequest.status == "new")
    )
    return session.exec(query).one()


def set_status(session: Session, actor: Actor, request_id: int, status: str) -> HelpRequestInfo:
    staff = require_staff(actor)
    request = session.get(HelpRequest, request_id)
    if request is None:
        raise AccessDenied()
    require_class(session, actor, request.class_id)
    if status not in STATUSES:
        raise Invalid(N_("Unknown status."))
    previous = request.status
    request.status = status
    request.updated_at = utcnow()
    request.updated_by = staff.id
    session.add(request)
    audit.record(session, staff, "help_status", f"help:{request.id}", before=previous, after=status)
    return HelpRequestInfo.of(request)
