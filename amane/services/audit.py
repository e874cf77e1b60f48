"""The audit log: who did what and when (ids and action names only, never a pupil's words), and
its page for school admins: the school's events, filtered by who, which pupil and what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from sqlalchemy import ColumnElement, exists, insert, literal, or_
from sqlmodel import Session, select

from amane.clock import utcnow
from amane.i18n import N_, t
from amane.models.tables import AuditEvent, HelpRequest, Pupil, SchoolClass, StaffUser
from amane.services.permissions import Actor, require_admin, require_staff_pupil
from amane.services.rules import AUDIT_PAGE, AUDIT_READ_WINDOW
from amane.services.spreadsheet import csv_text

# Every action recorded anywhere (audit.record / record_read), with its label on the audit page.
ACTIONS: dict[str, str] = {
    "school_created": N_("Created the school"),
    "staff_created": N_("Created a staff account"),
    "staff_signed_in": N_("Signed in"),
    "staff_locked": N_("Locked a staff account after wrong passwords"),
    "staff_unlocked": N_("Unlocked a staff account"),
    "staff_enabled": N_("Enabled a staff account"),
    "staff_disabled": N_("Disabled a staff account"),
    "staff_password_reset": N_("Reset a staff password"),
    "staff_password_changed": N_("Changed their password"),
    "class_created": N_("Created a class"),
    "class_updated": N_("Changed a class"),
    "class_code_changed": N_("Changed a class code"),
    "class_archived": N_("Archived a class"),
    "class_unarchived": N_("Brought back an archived class"),
    "class_exported": N_("Downloaded a class spreadsheet"),
    "class_purged": N_("Deleted an archived class (retention period over)"),
    "assignments_set": N_("Chose the lessons of a class"),
    "pupils_added": N_("Added pupils"),
    "pupil_renamed": N_("Renamed a pupil"),
    "pupil_locked": N_("Locked a pupil after wrong pictures"),
    "pupil_unlocked": N_("Unlocked a pupil"),
    "pupil_pictures_reset": N_("Gave a pupil new pictures"),
    "pupil_exported": N_("Downloaded everything about a pupil"),
    "pupil_deleted": N_("Deleted a pupil"),
    "pupil_viewed": N_("Opened a pupil's page"),
    "help_requested": N_("Asked for help"),
    "help_status": N_("Changed the status of a help request"),
    "help_requests_read": N_("Read help requests"),
    "retention_set": N_("Set how long archived classes are kept"),
    "training_completed": N_("Completed a training module"),
    "training_exported": N_("Downloaded the school's training record"),
    "pulse_opened": N_("Opened a class pulse"),
    "pulse_closed": N_("Closed a class pulse"),
}
PUPILS, SYSTEM = "pupil", "system"  # the `who` filter for every pupil, or for Amane itself
DELETED_PUPIL, DELETED_HELP = "pupil:deleted", "help:deleted"  # privacy.py's stand-ins


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


def record_read(session: Session, actor: Actor, action: str, target: str) -> None:
    """Record that staff read children's data, once per AUDIT_READ_WINDOW: Streamlit runs a page
    again on every click, and a row per run would bury everything else. One statement whether
    written or not (INSERT ... SELECT ... WHERE NOT EXISTS), so callers' query counts stay fixed."""
    table = AuditEvent.__table__
    now = utcnow()
    values = {
        "school_id": actor.school_id,
        "actor": actor.ref,
        "action": action,
        "target": target,
        "detail": {},
        "created_at": now,
    }
    recent = exists().where(
        AuditEvent.actor == actor.ref,
        AuditEvent.action == action,
        AuditEvent.target == target,
        AuditEvent.created_at > now - AUDIT_READ_WINDOW,
    )
    source = select(*[literal(value, table.c[name].type) for name, value in values.items()]).where(~recent)
    session.execute(insert(table).from_select(list(values), source))


_TARGETS: dict[str, str] = {
    "class": N_("Class {name}"),
    "pupil": N_("Pupil {name}"),
    "help": N_("A help request of {name}"),
    "staff": N_("Staff account {name}"),
}
_GONE: dict[str, str] = {  # targets whose row no longer exists
    "pupil": N_("A deleted pupil"),
    "deleted_pupil": N_("A deleted pupil"),
    "help": N_("A deleted help request"),
    "deleted_help": N_("A deleted help request"),
    "class": N_("A deleted class"),
    "staff": N_("A former staff member"),
}


@dataclass(frozen=True)
class Event:
    """One audit row as the audit page shows it: names resolved, said in words in `lang` (the
    run's language if None) by its methods."""

    id: int
    created_at: datetime
    who_kind: str  # staff | pupil | deleted (a deleted pupil) | system
    who_name: str
    action: str
    target_kind: str  # class | pupil | help | staff | school | deleted_pupil | deleted_help | ""
    target_name: str

    def when(self, zone: tzinfo | None = None) -> str:
        """dd/mm/yyyy HH:MM in `zone` (the reader's), or in UTC marked so."""
        aware = self.created_at if self.created_at.tzinfo else self.created_at.replace(tzinfo=UTC)
        text = aware.astimezone(zone or UTC).strftime("%d/%m/%Y %H:%M")
        return text if zone else f"{text} UTC"

    def who(self, lang: str | None = None) -> str:
        if self.who_kind == "staff":
            return self.who_name or t("A former staff member", lang=lang)
        if self.who_kind == "pupil":
            return t("Pupil {name}", name=self.who_name, lang=lang)
        if self.who_kind == "deleted":
            return t("A deleted pupil", lang=lang)
        return t("System", lang=lang)

    def what(self, lang: str | None = None) -> str:
        label = ACTIONS.get(self.action)
        return t(label, lang=lang) if label else self.action

    def about(self, lang: str | None = None) -> str:
        """The target in words; names only of the school's own classes, pupils and staff."""
        kind = self.target_kind
        if kind in _TARGETS and self.target_name:
            return t(_TARGETS[kind], name=self.target_name, lang=lang)
        if kind == "school" and self.action == "help_requests_read":
            return t("Every class they can see", lang=lang)
        if kind == "school":
            return t("The school", lang=lang)
        return t(_GONE[kind], lang=lang) if kind in _GONE else ""


def _who_filter(who: str) -> ColumnElement[bool]:
    if who == PUPILS:
        return AuditEvent.actor.startswith("pupil:")  # deleted pupils too
    if who == SYSTEM:
        return AuditEvent.actor == SYSTEM
    return AuditEvent.actor == who


def events(
    session: Session,
    actor: Actor,
    who: str | None = None,
    pupil_id: int | None = None,
    action: str | None = None,
    limit: int = AUDIT_PAGE,
) -> list[Event]:
    """The admin's school's audit rows, newest first (at most `limit`): by `who` ("staff:<id>",
    PUPILS or SYSTEM), about one pupil (what they did, and what was done to them or their help
    requests), of one action. Four queries, and three more to check and find a pupil's rows."""
    admin = require_admin(actor)
    query = select(AuditEvent).where(AuditEvent.school_id == admin.school_id)
    if who is not None:
        query = query.where(_who_filter(who))
    if pupil_id is not None:
        require_staff_pupil(session, admin, pupil_id)  # 1, 2: a pupil of the admin's school
        ref = f"pupil:{pupil_id}"
        helps = select(HelpRequest.id).where(HelpRequest.pupil_id == pupil_id)
        help_refs = [f"help:{help_id}" for help_id in session.exec(helps).all()]  # 3
        query = query.where(
            or_(AuditEvent.actor == ref, AuditEvent.target == ref, AuditEvent.target.in_(help_refs))
        )
    if action is not None:
        query = query.where(AuditEvent.action == action)
    rows = session.exec(query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(limit)).all()
    names = _names(session, admin.school_id, rows)
    return [_event(row, names) for row in rows]


def _ids(refs: set[str], kind: str) -> list[int]:
    """The ids of the references of this kind: {"class:3", "pupil:7"}, "class" -> [3]."""
    parts = (ref.partition(":") for ref in refs)
    return [int(number) for prefix, _, number in parts if prefix == kind and number.isdigit()]


def _names(session: Session, school_id: int, rows: list[AuditEvent]) -> dict[str, str]:
    """Display names of every staff member, pupil, class and help request the rows name, keyed by
    reference ("pupil:7"); only those of the school. Help requests are named by their pupil."""
    refs = {row.actor for row in rows} | {row.target for row in rows}
    names: dict[str, str] = {}
    staff = select(StaffUser.id, StaffUser.display_name).where(
        StaffUser.school_id == school_id, StaffUser.id.in_(_ids(refs, "staff"))
    )
    names.update({f"staff:{i}": name for i, name in session.exec(staff).all()})
    classes = select(SchoolClass.id, SchoolClass.name).where(
        SchoolClass.school_id == school_id, SchoolClass.id.in_(_ids(refs, "class"))
    )
    names.update({f"class:{i}": name for i, name in session.exec(classes).all()})
    help_ids = _ids(refs, "help")
    pupils = (
        select(Pupil.id, Pupil.display_name, HelpRequest.id)
        .join(SchoolClass, SchoolClass.id == Pupil.class_id)
        .outerjoin(HelpRequest, (HelpRequest.pupil_id == Pupil.id) & HelpRequest.id.in_(help_ids))
        .where(SchoolClass.school_id == school_id)
        .where(or_(Pupil.id.in_(_ids(refs, "pupil")), HelpRequest.id.is_not(None)))
    )
    for pupil_id, name, help_id in session.exec(pupils).all():
        names[f"pupil:{pupil_id}"] = name
        if help_id is not None:
            names[f"help:{help_id}"] = name
    return names


def _kind(ref: str) -> str:
    """What a reference names ("class:3": class); the deleted stand-ins: deleted_pupil, deleted_help."""
    deleted = {DELETED_PUPIL: "deleted_pupil", DELETED_HELP: "deleted_help"}
    return deleted.get(ref) or ref.split(":", 1)[0]


def _event(row: AuditEvent, names: dict[str, str]) -> Event:
    who_kind = "deleted" if row.actor == DELETED_PUPIL else _kind(row.actor)
    if who_kind not in ("staff", "pupil", "deleted"):
        who_kind = SYSTEM
    return Event(
        row.id,
        row.created_at,
        who_kind,
        names.get(row.actor, ""),
        row.action,
        _kind(row.target),
        names.get(row.target, ""),
    )


def events_csv(
    session: Session,
    actor: Actor,
    lang: str,
    who: str | None = None,
    pupil_id: int | None = None,
    action: str | None = None,
    limit: int = 100_000,
) -> str:
    """The filtered rows as a spreadsheet (UTF-8 with BOM, formula-safe), times in UTC."""
    rows = events(session, actor, who, pupil_id, action, limit)
    header = [t(label, lang=lang) for label in (N_("Time (UTC)"), N_("Who"), N_("What"), N_("About"))]
    return csv_text(
        header,
        [[row.when(UTC), row.who(lang), row.what(lang), row.about(lang)] for row in rows],
    )
