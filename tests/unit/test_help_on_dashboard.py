"""Help requests where the teacher looks: each open request on the class dashboard's Needs help
card, a pupil's requests on their page, acknowledging them (the inbox's own set_status), who may
do it, and the queries it costs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from amane.models.tables import AuditEvent, HelpRequest
from amane.services import dashboard, help_requests
from amane.services.errors import AccessDenied
from amane.services.permissions import PupilActor

MONDAY = datetime(2026, 11, 30, 8, 15, tzinfo=UTC)
TUESDAY = datetime(2026, 12, 1, 13, 40, tzinfo=UTC)


def _sent_on(session, request: help_requests.HelpRequestInfo, when: datetime) -> None:
    row = session.get(HelpRequest, request.id)
    row.created_at = row.updated_at = when
    session.add(row)
    session.commit()


@pytest.fixture
def requests(session, pupils) -> dict[str, help_requests.HelpRequestInfo]:
    """Yasmine asked twice (Monday: mean, in person; Tuesday: contact); Adam's Monday request is
    resolved; Omar asked nothing."""
    adam, yasmine = pupils[0][0], pupils[1][0]
    sent = {
        "yasmine_monday": help_requests.ask_for_help(session, yasmine, "mean", True),
        "yasmine_tuesday": help_requests.ask_for_help(session, yasmine, "contact", False),
        "adam_resolved": help_requests.ask_for_help(session, adam, "upset", False),
    }
    session.commit()
    _sent_on(session, sent["yasmine_monday"], MONDAY)
    _sent_on(session, sent["yasmine_tuesday"], TUESDAY)
    _sent_on(session, sent["adam_resolved"], MONDAY)
    session.get(HelpRequest, sent["adam_resolved"].id).status = "resolved"
    session.commit()
    return sent


def _card(session, actor, school_class, catalogue) -> dict[str, list[tuple[str, bool, str, datetime]]]:
    board = dashboard.class_dashboard(session, actor, school_class.id, catalogue)
    return {
        entry.name: [
            (r.category, r.in_person, r.status, r.created_at.replace(tzinfo=UTC)) for r in entry.requests
        ]
        for entry in board.needs_help
    }


def test_the_card_carries_each_open_request_newest_first(
    session, teacher, school_class, requests, fixture_catalogue
):
    assert _card(session, teacher, school_class, fixture_catalogue) == {
        "Yasmine": [("contact", False, "new", TUESDAY), ("mean", True, "new", MONDAY)]
    }
    entry = dashboard.class_dashboard(session, teacher, school_class.id, fixture_catalogue).needs_help[0]
    assert [(r.kind, r.params) for r in entry.reasons] == [("help_request", {"requests": 2})]


def test_acknowledging_from_the_card_keeps_it_open_as_acknowledged(
    session, teacher, school_class, requests, fixture_catalogue
):
    monday = requests["yasmine_monday"].id

    help_requests.set_status(session, teacher, monday, "acknowledged")
    session.commit()

    assert _card(session, teacher, school_class, fixture_catalogue)["Yasmine"] == [
        ("contact", False, "new", TUESDAY),
        ("mean", True, "acknowledged", MONDAY),
    ]
    assert help_requests.new_count(session, teacher) == 1
    audit = session.exec(
        select(AuditEvent).where(AuditEvent.target == f"help:{monday}", AuditEvent.action == "help_status")
    ).all()
    assert [(e.actor, e.action, e.detail) for e in audit] == [
        (f"staff:{teacher.id}", "help_status", {"before": "new", "after": "acknowledged"})
    ]


def test_a_resolved_request_leaves_the_card(session, teacher, school_class, requests, fixture_catalogue):
    for request in ("yasmine_monday", "yasmine_tuesday"):
        help_requests.set_status(session, teacher, requests[request].id, "resolved")
    session.commit()

    assert _card(session, teacher, school_class, fixture_catalogue) == {}


def test_the_pupil_page_lists_every_request_of_that_pupil_newest_first(
    session, teacher, admin, pupils, requests
):
    yasmine, adam = pupils[1][0], pupils[0][0]
    help_requests.set_status(session, teacher, requests["yasmine_monday"].id, "acknowledged")
    session.commit()

    for actor in (teacher, admin):
        listed = help_requests.inbox(session, actor, pupil_id=yasmine.id)
        assert [(i.request.category, i.request.status, i.changed_by) for i in listed] == [
            ("contact", "new", None),
            ("mean", "acknowledged", "Teacher One"),
        ]
    resolved_too = help_requests.inbox(session, teacher, pupil_id=adam.id)
    assert [(i.request.category, i.request.status) for i in resolved_too] == [("upset", "resolved")]
    assert help_requests.inbox(session, teacher, pupil_id=pupils[2][0].id) == []


@pytest.mark.parametrize("intruder", ["other_teacher", "far_teacher", "far_admin", "pupil", "signed_out"])
def test_nobody_else_can_list_or_acknowledge_them(
    session, request, school_class, pupils, requests, fixture_catalogue, far_school, intruder
):
    actor = {
        "other_teacher": lambda: request.getfixturevalue("other_teacher"),
        "far_teacher": lambda: far_school["teacher"],
        "far_admin": lambda: far_school["admin"],
        "pupil": lambda: PupilActor(pupils[1][0].id, school_class.id, school_class.school_id, "Yasmine"),
        "signed_out": lambda: None,
    }[intruder]()
    yasmine = pupils[1][0]

    with pytest.raises(AccessDenied):
        dashboard.class_dashboard(session, actor, school_class.id, fixture_catalogue)
    with pytest.raises(AccessDenied):
        help_requests.inbox(session, actor, pupil_id=yasmine.id)
    with pytest.raises(AccessDenied):
        help_requests.inbox(session, actor, class_id=school_class.id)
    with pytest.raises(AccessDenied):
        help_requests.set_status(session, actor, requests["yasmine_monday"].id, "acknowledged")
    session.rollback()

    assert session.get(HelpRequest, requests["yasmine_monday"].id).status == "new"
    if intruder in ("other_teacher", "far_teacher", "far_admin"):
        assert help_requests.inbox(session, actor) == []  # their own inbox does not show them either


def test_the_card_costs_no_query_per_request(
    session, teacher, school_class, pupils, fixture_catalogue, count_queries
):
    counts, sent = [], 0
    for asked in (0, 1, 12):
        for index in range(sent, asked):  # distinct (pupil, category, in person): none merged
            me = pupils[index % 3][0]
            help_requests.ask_for_help(session, me, list(help_requests.CATEGORIES)[index % 5], index % 2 == 0)
        sent = asked
        session.commit()
        session.expunge_all()
        with count_queries() as counter:
            board = dashboard.class_dashboard(session, teacher, school_class.id, fixture_catalogue)
        counts.append(counter.count)
        assert sum(len(entry.requests) for entry in board.needs_help) == asked
    assert counts == [8, 9, 9]  # +1 once the card shows requests: their read is audited


def test_a_pupils_requests_cost_four_queries(session, teacher, pupils, requests, count_queries):
    session.expunge_all()
    with count_queries() as counter:
        listed = help_requests.inbox(session, teacher, pupil_id=pupils[1][0].id)
    assert len(listed) == 2
    # the pupil, their class (the access check), their requests, and the audit of the read
    # (one statement, written or skipped within rules.AUDIT_READ_WINDOW)
    assert counter.count == 4
