"""A pupil's data: the export holds all of it, deletion leaves nothing, retention purges
archived classes."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, or_
from sqlmodel import Session, SQLModel, select

from amane.models.db import session_scope
from amane.models.impact_tables import ImpactAnswer, ImpactCheck
from amane.models.tables import (
    Assignment,
    AuditEvent,
    HelpRequest,
    Pupil,
    QuizAttempt,
    School,
    SchoolClass,
    utcnow,
)
from amane.services import classes, help_requests, privacy, progress, quizzes
from amane.services.errors import Invalid

LESSON = "sample-9-11"
# Tables that hold no pupil data (the test below fails when a new table appears, so that it is
# either added here or covered by privacy.delete_pupil).
NOT_ABOUT_PUPILS = {"school", "staff_user", "school_class", "assignment", "staff_session", "sign_in_throttle"}
NOT_ABOUT_PUPILS |= {"class_pulse", "pulse_count", "pulse_marker"}  # counts only: tests/unit/test_pulse.py
NOT_ABOUT_PUPILS |= {"staff_training"}  # a staff member's own course record


def _history(session: Session, teacher, pupil, catalogue) -> None:
    """Some of everything Amane stores about a pupil."""
    lesson = catalogue.lesson(LESSON)
    quiz = catalogue.quiz_for(LESSON)
    progress.record_choice(session, pupil, LESSON, 3, 0)
    progress.record_choice(session, pupil, LESSON, 3, 1)
    progress.complete_lesson(session, pupil, LESSON, len(lesson.steps))
    attempt = quizzes.open_attempt(session, pupil, quiz)
    for question in quiz.questions:
        quizzes.submit_answer(session, pupil, attempt.id, question, question.right_answer())
    quizzes.finish_attempt(session, pupil, attempt.id, quiz)
    quizzes.open_attempt(session, pupil, quiz)  # a retake, left unfinished
    request = help_requests.ask_for_help(session, pupil, "mean", True)
    session.flush()
    help_requests.set_status(session, teacher, request.id, "acknowledged")
    classes.unlock_pupil(session, teacher, pupil.id)
    # a before check's answer, written as impact.record_answer writes it (the fixture course is
    # one lesson: too small for a band's check, tests/unit/test_impact.py takes the real one)
    today = date.today()
    check = ImpactCheck(
        pupil_id=pupil.id, class_id=pupil.class_id, phase="before", band=lesson.band, started_on=today
    )
    session.add(check)
    session.flush()
    first = quiz.questions[0].id
    session.add(
        ImpactAnswer(check_id=check.id, lesson_id=LESSON, question_id=first, correct=False, answered_on=today)
    )
    session.commit()


@pytest.fixture
def histories(session, teacher, pupils, fixture_catalogue):
    for pupil, _ in pupils[:2]:
        _history(session, teacher, pupil, fixture_catalogue)
    return pupils


def _rows_about(
    session: Session, pupil_id: int, attempt_ids: list[int], help_ids: list[int]
) -> dict[str, int]:
    """How many rows of each table are about this pupil."""
    counts = {}
    for table in SQLModel.metadata.sorted_tables:
        if table.name in NOT_ABOUT_PUPILS:
            continue
        if table.name == "pupil":
            where = table.c.id == pupil_id
        elif "pupil_id" in table.c:
            where = table.c.pupil_id == pupil_id
        elif table.name == "quiz_answer":
            where = table.c.attempt_id.in_(attempt_ids)
        elif table.name == "impact_answer":  # a before/after check's answers (issue 17)
            where = table.c.check_id.in_(select(ImpactCheck.id).where(ImpactCheck.pupil_id == pupil_id))
        elif table.name == "audit_event":
            refs = [f"pupil:{pupil_id}"]
            where = or_(table.c.actor.in_(refs), table.c.target.in_(refs + [f"help:{h}" for h in help_ids]))
        else:
            raise AssertionError(f"table {table.name}: is it about pupils? Update this test and delete_pupil")
        counts[table.name] = session.exec(select(func.count()).select_from(table).where(where)).one()
    return counts


def _ids(session: Session, pupil_id: int) -> tuple[list[int], list[int]]:
    attempts = session.exec(select(QuizAttempt.id).where(QuizAttempt.pupil_id == pupil_id)).all()
    helps = session.exec(select(HelpRequest.id).where(HelpRequest.pupil_id == pupil_id)).all()
    return list(attempts), list(helps)


# ---------------------------------------------------------------- export


def test_export_holds_everything_stored_about_the_pupil_and_nothing_else(
    session, teacher, school_class, histories, fixture_catalogue
):
    adam = histories[0][0]
    stored = session.get(Pupil, adam.id)
    data = privacy.export_pupil(session, teacher, adam.id, fixture_catalogue)
    text = json.dumps(data, ensure_ascii=False)  # JSON-ready as it is
    assert json.loads(text) == data
    assert stored.picture_hash not in text and "picture" not in text
    assert set(data) == {
        "exported_at",
        "pupil",
        "lesson_progress",
        "scenario_choices",
        "quiz_attempts",
        "help_requests",
        "before_after_checks",
        "audit_events",
    }
    assert data["pupil"] == {
        "id": adam.id,
        "display_name": "Adam",
        "failed_logins": 0,
        "locked_until": None,
        "created_at": stored.created_at.isoformat(),
        "class": {"id": school_class.id, "name": "CM2 A"},
    }
    (lesson,) = data["lesson_progress"]
    assert lesson["lesson_id"] == LESSON and lesson["lesson_title"]["en"] == "Sample lesson"
    assert datetime.fromisoformat(lesson["completed_at"]).tzinfo is not None
    assert [(c["lesson_id"], c["step"], c["choice"]) for c in data["scenario_choices"]] == [
        (LESSON, 3, 0),
        (LESSON, 3, 1),
    ]
    finished, retake = data["quiz_attempts"]
    assert (finished["number"], finished["score"], finished["max_score"]) == (1, 5, 5)
    assert [a["question_id"] for a in finished["answers"]] == [
        q.id for q in fixture_catalogue.quiz_for(LESSON).questions
    ]
    assert all(a["correct"] is True for a in finished["answers"])
    assert finished["answers"][0]["answer"] == ["keep"]
    assert (retake["number"], retake["finished_at"], retake["answers"]) == (2, None, [])
    (request,) = data["help_requests"]
    assert (request["category"], request["in_person"], request["status"]) == ("mean", True, "acknowledged")
    assert [(e["actor"], e["action"], e["target"]) for e in data["audit_events"]] == [
        (adam.ref, "help_requested", f"help:{request['id']}"),
        (teacher.ref, "help_status", f"help:{request['id']}"),
        (teacher.ref, "pupil_unlocked", adam.ref),
    ]
    assert "Yasmine" not in text  # the other pupil's data stays out
    session.flush()
    exported = session.exec(select(AuditEvent).where(AuditEvent.action == "pupil_exported")).one()
    assert (exported.actor, exported.target) == (teacher.ref, adam.ref)


# ---------------------------------------------------------------- deletion


def test_delete_pupil_leaves_no_row_about_them_in_any_table(session, teacher, school_class, histories):
    adam, yasmine = histories[0][0], histories[1][0]
    adam_ids, yasmine_ids = _ids(session, adam.id), _ids(session, yasmine.id)
    before = _rows_about(session, adam.id, *adam_ids)
    assert all(before.values()), before  # the history touched every table
    yasmine_before = _rows_about(session, yasmine.id, *yasmine_ids)
    events_before = session.exec(select(func.count()).select_from(AuditEvent)).one()

    privacy.delete_pupil(session, teacher, adam.id)
    session.commit()
    session.expire_all()

    assert set(_rows_about(session, adam.id, *adam_ids).values()) == {0}
    assert _rows_about(session, yasmine.id, *yasmine_ids) == yasmine_before
    # audit events stay, without any link to the pupil; one more says a pupil was deleted
    assert session.exec(select(func.count()).select_from(AuditEvent)).one() == events_before + 1
    deleted = session.exec(select(AuditEvent).where(AuditEvent.action == "pupil_deleted")).one()
    assert (deleted.actor, deleted.target, deleted.detail) == (teacher.ref, f"class:{school_class.id}", {})
    events = session.exec(select(AuditEvent)).all()
    assert "Adam" not in json.dumps([(e.actor, e.target, e.detail) for e in events])
    assert ("pupil:deleted", "help_requested", "help:deleted") in [
        (e.actor, e.action, e.target) for e in events
    ]
    assert classes.open_class(session, school_class.join_code).pupils == [
        (histories[2][0].id, "Omar"),
        (yasmine.id, "Yasmine"),
    ]


def test_delete_pupil_is_one_transaction(engine, session, teacher, histories):
    adam = histories[0][0]
    ids = _ids(session, adam.id)
    before = _rows_about(session, adam.id, *ids)
    with pytest.raises(RuntimeError), session_scope(engine) as unit:
        privacy.delete_pupil(unit, teacher, adam.id)
        assert set(_rows_about(unit, adam.id, *ids).values()) == {0}
        raise RuntimeError("the page failed after deleting")
    session.expire_all()
    assert _rows_about(session, adam.id, *ids) == before


def _database_files(engine) -> bytes:
    database = Path(engine.url.database)
    return b"".join(path.read_bytes() for path in (database, Path(f"{database}-wal")) if path.exists())


@pytest.mark.sqlite_only  # PostgreSQL keeps dead rows until VACUUM (see the README)
@pytest.mark.parametrize("how", ["deleted by the teacher", "purged after the retention period"])
def test_a_deleted_pupil_leaves_no_trace_in_the_sqlite_files(
    engine, session, admin, teacher, school_class, histories, how
):
    [added] = classes.add_pupils(session, teacher, school_class.id, "Zorglubette").added
    session.commit()
    traces = [b"Zorglubette", session.get(Pupil, added.pupil.id).picture_hash.encode()]
    assert all(trace in _database_files(engine) for trace in traces)  # the test can see them

    with session_scope(engine) as unit:  # what the pages do: commit at the end of the unit of work
        if how == "deleted by the teacher":
            privacy.delete_pupil(unit, teacher, added.pupil.id)
        else:
            privacy.set_retention(unit, admin, 30)
            classes.archive_class(unit, teacher, school_class.id)
            unit.flush()
            assert privacy.purge_expired(unit, utcnow() + timedelta(days=31)) == 1

    on_disk = _database_files(engine)
    assert [trace for trace in traces if trace in on_disk] == []
    assert Path(f"{engine.url.database}-wal").stat().st_size == 0  # checkpointed and truncated
    with engine.connect() as connection:  # whatever this SQLite was compiled with
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1


# ---------------------------------------------------------------- retention


@pytest.mark.parametrize("days", [29, 3651, 0, -30, True, 365.0, "365"])
def test_retention_must_be_30_to_3650_days(session, admin, days):
    with pytest.raises(Invalid, match="between 30 and 3650 days"):
        privacy.set_retention(session, admin, days)
    assert privacy.retention(session, admin) is None


def test_admin_sets_and_clears_retention(session, admin):
    for days in (30, 3650, None):
        privacy.set_retention(session, admin, days)
        session.commit()
        session.expire_all()
        assert session.get(School, admin.school_id).retention_days == days
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "retention_set")).all()
    assert [e.detail for e in events] == [
        {"before": None, "after": 30},
        {"before": 30, "after": 3650},
        {"before": 3650, "after": None},
    ]


def test_purge_deletes_archived_classes_past_the_retention_period(
    session, admin, teacher, school_class, histories, fixture_catalogue
):
    now = utcnow()
    privacy.set_retention(session, admin, 30)
    recent = classes.create_class(session, teacher, "Archived last week", "9-11", "fr", fixture_catalogue)
    active = classes.create_class(session, teacher, "Still in use", "9-11", "fr", fixture_catalogue)
    classes.add_pupils(session, teacher, recent.id, "Nour")
    classes.add_pupils(session, teacher, active.id, "Sami")
    for archived, days_ago in ((school_class, 31), (recent, 7)):
        classes.archive_class(session, teacher, archived.id)
        row = session.get(SchoolClass, archived.id)
        row.archived_at = now - timedelta(days=days_ago)
        session.add(row)
    session.commit()
    pupil_ids = [p.id for p, _ in histories]
    history_ids = [_ids(session, pid) for pid in pupil_ids]

    assert privacy.purge_expired(session, now) == 1
    session.commit()
    session.expire_all()

    assert session.get(SchoolClass, school_class.id) is None
    assert {c.id for c in session.exec(select(SchoolClass)).all()} == {recent.id, active.id}
    for pupil_id, ids in zip(pupil_ids, history_ids, strict=True):
        assert set(_rows_about(session, pupil_id, *ids).values()) == {0}
    assert session.exec(select(Assignment).where(Assignment.class_id == school_class.id)).all() == []
    assert session.exec(select(HelpRequest).where(HelpRequest.class_id == school_class.id)).all() == []
    assert sorted(session.exec(select(Pupil.display_name)).all()) == ["Nour", "Sami"]
    purged = session.exec(select(AuditEvent).where(AuditEvent.action == "class_purged")).one()
    assert (purged.actor, purged.target, purged.school_id, purged.detail) == (
        "system",
        f"class:{school_class.id}",
        admin.school_id,
        {"pupils": 3},
    )
    assert privacy.purge_expired(session, now) == 0
    assert privacy.purge_expired(session, now + timedelta(days=24)) == 1  # the other one, later
    session.commit()
    assert [c.id for c in session.exec(select(SchoolClass)).all()] == [active.id]


def test_purge_keeps_everything_when_no_retention_is_set(session, teacher, school_class, histories):
    classes.archive_class(session, teacher, school_class.id)
    session.commit()
    assert privacy.purge_expired(session, utcnow() + timedelta(days=10_000)) == 0
    assert session.get(SchoolClass, school_class.id) is not None
    assert len(session.exec(select(Pupil)).all()) == 3
