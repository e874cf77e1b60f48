"""The class a staff member last opened, where their next sign-in lands (staff_user.last_class_id).

Written when a class page shows a class the teacher had not opened last (the class picker); read
once at sign-in. A class deleted, archived or no longer theirs since is simply not found, and the
sign-in then lands on My classes.
"""

from __future__ import annotations

from sqlmodel import Session, select, update

from amane.models.tables import SchoolClass, StaffUser
from amane.services.permissions import Actor, require_class, require_staff, visible_classes


def remember_class(session: Session, actor: Actor, class_id: int) -> None:
    """Remember `class_id` as the class the acting staff member last opened: only a class they
    may manage (their own, or any of the school's for an admin), on their own active account.
    Two statements: the class check and the update."""
    staff = require_staff(actor)
    require_class(session, staff, class_id)
    session.exec(
        update(StaffUser)
        .where(StaffUser.id == staff.id, StaffUser.school_id == staff.school_id, StaffUser.active == True)  # noqa: E712
        .values(last_class_id=class_id)
    )


def last_class(session: Session, actor: Actor) -> int | None:
    """The class the acting staff member last opened, if it is still there, not archived and
    still one they may manage; otherwise None. One query."""
    staff = require_staff(actor)
    found = session.exec(
        select(SchoolClass.id)
        .join(StaffUser, StaffUser.last_class_id == SchoolClass.id)
        .where(
            StaffUser.id == staff.id,
            StaffUser.active == True,  # noqa: E712
            SchoolClass.archived_at.is_(None),
            visible_classes(staff),
        )
    ).first()
    return found
