"""The audit log: reading children's data (help requests, a pupil's page) is recorded once per
window, not once per page run; every action has a label; the admins' audit page service shows
their own school only, filters by who, pupil and action, and downloads as a formula-safe CSV."""

from __future__ import annotations

import ast
import csv
import io
from datetime import timedelta

import pytest
from sqlmodel import select

from amane.i18n import t
from amane.models.tables import AuditEvent
from amane.services import accounts, audit, classes, help_requests, privacy, pupil_report
from amane.services.errors import AccessDenied
from amane.services.rules import AUDIT_READ_WINDOW
from amane.settings import PACKAGE
from tests.conftest import PASSWORD


def _reads(session, action: str | None = None) -> list[tuple[str, str, str]]:
    query = select(AuditEvent.actor, AuditEvent.action, AuditEvent.target).order_by(AuditEvent.id)
    reads = ("help_requests_read", "pupil_viewed") if action is None else (action,)
    return list(session.exec(query.where(AuditEvent.action.in_(reads))).all())


def _age(session, by: timedelta) -> None:
    """Every audit row as if written `by` earlier."""
    for row in session.exec(select(AuditEvent)).all():
        row.created_at = row.created_at - by
        session.add(row)
    session.commit()


# ---------------------------------------------------------------- reads are audited


def test_reading_help_requests_is_recorded_once_per_window_and_per_reader(
    session, teacher, admin, school_class, pupils
):
    adam = pupils[0][0]
    help_requests.ask_for_help(session, adam, "secrets", True)
    session.commit()
    for _run in range(3):  # Streamlit runs the inbox again on every click
        help_requests.inbox(session, teacher, statuses=help_requests.OPEN)
        help_requests.inbox(session, teacher, statuses=("resolved",))
        session.commit()
    help_requests.inbox(session, admin)
    help_requests.inbox(session, teacher, class_id=school_class.id)
    session.commit()
    school = f"school:{teacher.school_id}"
    assert _reads(session) == [
        (teacher.ref, "help_requests_read", school),
        (admin.ref, "help_requests_read", school),
        (teacher.ref, "help_requests_read", f"class:{school_class.id}"),
    ]

    _age(session, AUDIT_READ_WINDOW + timedelta(seconds=1))
    help_requests.inbox(session, teacher)
    session.commit()
    assert _reads(session)[-1] == (teacher.ref, "help_requests_read", school)
    assert len(_reads(session)) == 4


def test_opening_a_pupils_page_records_the_pupil_and_their_requests(
    session, teacher, pupils, fixture_catalogue
):
    adam, yasmine = pupils[0][0], pupils[1][0]
    help_requests.ask_for_help(session, adam, "secrets", True)
    for _run in range(2):
        pupil_report.pupil_report(session, teacher, adam.id, fixture_catalogue)
        help_requests.inbox(session, teacher, pupil_id=adam.id)
        session.commit()
    pupil_report.pupil_report(session, teacher, yasmine.id, fixture_catalogue)
    session.commit()
    assert _reads(session) == [
        (teacher.ref, "pupil_viewed", f"pupil:{adam.id}"),
        (teacher.ref, "help_requests_read", f"pupil:{adam.id}"),
        (teacher.ref, "pupil_viewed", f"pupil:{yasmine.id}"),
    ]


def test_a_refused_read_records_nothing(session, other_teacher, pupils, fixture_catalogue):
    with pytest.raises(AccessDenied):
        pupil_report.pupil_report(session, other_teacher, pupils[0][0].id, fixture_catalogue)
    with pytest.raises(AccessDenied):
        help_requests.inbox(session, other_teacher, pupil_id=pupils[0][0].id)
    assert _reads(session) == []


def test_every_action_recorded_in_the_code_has_a_label():
    recorded = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            is_audit_call = (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("record", "record_read")
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
            )
            if is_audit_call and len(node.args) >= 3:
                recorded |= {
                    sub.value
                    for sub in ast.walk(node.args[2])
                    if isinstance(sub, ast.Constant) and isinstance(sub.value, str)
                }
    assert {"pupil_viewed", "help_requests_read", "pupils_added"} <= recorded  # the scan finds them
    assert sorted(recorded - set(audit.ACTIONS)) == [], "add these to audit.ACTIONS"


# ---------------------------------------------------------------- the audit page's service


@pytest.fixture
def history(session, admin, teacher, school_class, pupils, fixture_catalogue) -> None:
    """Adam asked for help, his teacher read it and opened his page; Yasmine was locked."""
    adam = pupils[0][0]
    help_requests.ask_for_help(session, adam, "mean", False)
    session.flush()
    help_requests.inbox(session, teacher, class_id=school_class.id)
    pupil_report.pupil_report(session, teacher, adam.id, fixture_catalogue)
    audit.record(session, "system", "pupil_locked", f"pupil:{pupils[1][0].id}", admin.school_id)
    session.commit()


def _said(rows: list[audit.Event]) -> list[tuple[str, str, str]]:
    return [(row.who("en"), row.what("en"), row.about("en")) for row in rows]


def test_an_admin_reads_their_schools_events_newest_first_in_words(
    session, admin, teacher, school_class, pupils, history
):
    rows = audit.events(session, admin)
    assert _said(rows)[:4] == [
        ("System", "Locked a pupil after wrong pictures", "Pupil Yasmine"),
        ("Teacher One", "Opened a pupil's page", "Pupil Adam"),
        ("Teacher One", "Read help requests", "Class CM2 A"),
        ("Pupil Adam", "Asked for help", "A help request of Adam"),
    ]
    assert ("Admin", "Created a staff account", "Staff account Teacher One") in _said(rows)
    assert all(row.when().endswith(" UTC") and row.when()[2] == "/" for row in rows)


def test_teachers_pupils_and_strangers_are_refused(session, teacher, pupils, history):
    for actor in (teacher, pupils[0][0], None):
        with pytest.raises(AccessDenied):
            audit.events(session, actor)
        with pytest.raises(AccessDenied):
            audit.events_csv(session, actor, "en")


def test_another_schools_admin_sees_none_of_it_and_cannot_ask_about_its_pupils(
    session, pupils, history, far_school
):
    far_admin = far_school["admin"]
    assert audit.events(session, far_admin) == []
    with pytest.raises(AccessDenied):
        audit.events(session, far_admin, pupil_id=pupils[0][0].id)


def test_filters_by_who_pupil_and_action(session, admin, teacher, pupils, history):
    adam, yasmine = pupils[0][0], pupils[1][0]
    assert {row.who("en") for row in audit.events(session, admin, who=teacher.ref)} == {"Teacher One"}
    assert _said(audit.events(session, admin, who=audit.PUPILS)) == [
        ("Pupil Adam", "Asked for help", "A help request of Adam")
    ]
    assert _said(audit.events(session, admin, who=audit.SYSTEM)) == [
        ("System", "Locked a pupil after wrong pictures", "Pupil Yasmine")
    ]
    assert [what for _, what, _ in _said(audit.events(session, admin, pupil_id=adam.id))] == [
        "Opened a pupil's page",
        "Asked for help",  # by Adam, about his own request
    ]
    assert len(audit.events(session, admin, pupil_id=yasmine.id)) == 1
    viewed = audit.events(session, admin, action="pupil_viewed", who=teacher.ref)
    assert _said(viewed) == [("Teacher One", "Opened a pupil's page", "Pupil Adam")]
    assert len(audit.events(session, admin, limit=2)) == 2


def test_a_deleted_pupil_is_named_nowhere(session, admin, teacher, pupils, history):
    adam = pupils[0][0]
    privacy.delete_pupil(session, teacher, adam.id)
    session.commit()
    said = _said(audit.events(session, admin))
    assert not any("Adam" in text for row in said for text in row)
    assert ("A deleted pupil", "Asked for help", "A deleted help request") in said
    assert ("Teacher One", "Opened a pupil's page", "A deleted pupil") in said


def test_the_csv_is_the_filtered_rows_in_the_language_asked(session, admin, history):
    text = audit.events_csv(session, admin, "fr", action="pupil_viewed")
    assert text.startswith("\ufeff")  # Excel reads Arabic names right
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == [t(msgid, lang="fr") for msgid in ("Time (UTC)", "Who", "What", "About")]
    assert rows[1][1:] == [
        "Teacher One",
        t("Opened a pupil's page", lang="fr"),
        t("Pupil {name}", name="Adam", lang="fr"),
    ]
    assert len(rows) == 2 and rows[1][0][2] == "/"
    assert len(list(csv.reader(io.StringIO(audit.events_csv(session, admin, "en", who="staff:0"))))) == 1


def test_a_formula_as_a_name_is_inert_in_the_csv(session, admin, school_class, fixture_catalogue):
    formula = accounts.create_staff(session, admin, "formula", '=HYPERLINK("http://x")', PASSWORD)
    classes.create_class(session, formula, "CM1 B", "9-11", "fr", fixture_catalogue)
    session.commit()
    rows = list(csv.reader(io.StringIO(audit.events_csv(session, admin, "en", who=formula.ref))))
    assert rows[1][1] == "'" + '=HYPERLINK("http://x")'


def test_the_page_of_events_costs_four_queries_and_seven_for_a_pupil(
    session, admin, pupils, history, count_queries
):
    session.expunge_all()
    with count_queries() as everyone:
        audit.events(session, admin)
    session.expunge_all()
    with count_queries() as one_pupil:
        audit.events(session, admin, pupil_id=pupils[0][0].id)
    assert (everyone.count, one_pupil.count) == (4, 7)
