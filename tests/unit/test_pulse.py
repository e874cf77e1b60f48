"""The anonymous class climate pulse: pupils answer once, nothing stored leads back to a pupil,
results only as counts from PULSE_MIN_ANSWERS answers with small groups held back, the change
between a class's pulses, the admin's school summary, deletion with the class, no pulse in the
pupil export."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import Date, DateTime, update
from sqlmodel import Session, SQLModel, select

from amane.models.db import session_scope
from amane.models.pulse_tables import ClassPulse, PulseCount, PulseMarker
from amane.models.tables import Pupil, SchoolClass, utcnow
from amane.services import classes, privacy, pulse
from amane.services.errors import AccessDenied, Invalid
from amane.services.permissions import PupilActor
from amane.services.rules import PULSE_MIN_ANSWERS

PULSE_TABLES = ("class_pulse", "pulse_count", "pulse_marker")


def _class(session: Session, teacher, catalogue, size: int, name: str = "CM1 B", band: str = "9-11"):
    """A class of `size` pupils, as actors (rows written directly: picture passwords are not the
    point here, and scrypt would make each pupil cost a twentieth of a second)."""
    school_class = classes.create_class(session, teacher, name, band, "en", catalogue)
    rows = [Pupil(class_id=school_class.id, display_name=f"Pupil {n}", picture_hash="-") for n in range(size)]
    session.add_all(rows)
    session.commit()
    return school_class, [
        PupilActor(row.id, school_class.id, school_class.school_id, row.display_name) for row in rows
    ]


def _answers(catalogue, band: str, choice_index: int) -> dict[str, str]:
    """Every question of the band answered with its `choice_index`-th choice."""
    pulse_questions = catalogue.pulse
    return {
        question.id: pulse_questions.choices(question)[choice_index].id
        for question in pulse_questions.for_band(band).questions
    }


def _answer_all(session, pupils, opened, catalogue, band="9-11", choice_index=0) -> None:
    for pupil in pupils:
        assert pulse.answer_pulse(
            session, pupil, opened.id, _answers(catalogue, band, choice_index), catalogue
        )
    session.commit()


def _rows(session: Session) -> dict[str, list[tuple]]:
    """Every stored column of every row of the pulse tables."""
    session.flush()
    metadata = SQLModel.metadata.tables
    return {name: [tuple(row) for row in session.execute(select(metadata[name]))] for name in PULSE_TABLES}


# ---------------------------------------------------------------- answering, once


def test_a_pupil_answers_once_and_the_counts_show_once_the_pulse_is_closed(session, teacher, real_catalogue):
    school_class, pupils = _class(session, teacher, real_catalogue, 6)
    opened = pulse.open_pulse(session, teacher, school_class.id, real_catalogue)
    session.commit()
    assert pulse.my_pulse(session, pupils[0]) == pulse.PupilPulse(opened.id, "9-11", False)
    _answer_all(session, pupils, opened, real_catalogue)
    assert not pulse.answer_pulse(
        session, pupils[0], opened.id, _answers(real_catalogue, "9-11", 2), real_catalogue
    )
    assert pulse.my_pulse(session, pupils[0]).answered

    open_view = pulse.class_pulses(session, teacher, school_class.id, real_catalogue)
    assert open_view.open.answered == 6 and open_view.results == ()  # nothing to watch move while open

    pulse.close_pulse(session, teacher, opened.id)
    session.commit()
    assert pulse.my_pulse(session, pupils[0]) is None
    view = pulse.class_pulses(session, teacher, school_class.id, real_catalogue)
    (result,) = view.results
    assert view.open is None and result.answered == 6 and result.enough
    first = result.questions[0]
    assert first.shown and [(c.choice_id, c.count) for c in first.choices] == [
        ("never", 6),
        ("once", 0),
        ("several", 0),
    ]
    with pytest.raises(Invalid):
        pulse.answer_pulse(session, pupils[0], opened.id, {}, real_catalogue)


def test_skipped_questions_are_not_counted_and_answers_must_be_offered_choices(
    session, teacher, real_catalogue
):
    school_class, pupils = _class(session, teacher, real_catalogue, 5)
    opened = pulse.open_pulse(session, teacher, school_class.id, real_catalogue)
    first = real_catalogue.pulse.for_band("9-11").questions[0].id
    for bad in ({first: "maybe"}, {"not-a-question": "never"}):
        with pytest.raises(Invalid):
            pulse.answer_pulse(session, pupils[0], opened.id, bad, real_catalogue)
    for pupil in pupils:
        pulse.answer_pulse(session, pupil, opened.id, {first: "never"}, real_catalogue)  # the rest skipped
    pulse.close_pulse(session, teacher, opened.id)
    (result,) = pulse.class_pulses(session, teacher, school_class.id, real_catalogue).results
    assert result.answered == 5
    assert [q.answered for q in result.questions] == [5] + [0] * (len(result.questions) - 1)


# ---------------------------------------------------------------- the thresholds


def test_a_class_of_four_sees_not_enough_answers(session, teacher, real_catalogue):
    school_class, pupils = _class(session, teacher, real_catalogue, PULSE_MIN_ANSWERS - 1)
    opened = pulse.open_pulse(session, teacher, school_class.id, real_catalogue)
    _answer_all(session, pupils, opened, real_catalogue)
    pulse.close_pulse(session, teacher, opened.id)
    (result,) = pulse.class_pulses(session, teacher, school_class.id, real_catalogue).results
    assert result.answered == 4 and not result.enough and result.questions == ()


def test_a_question_with_a_group_under_five_is_held_back(session, teacher, real_catalogue):
    school_class, pupils = _class(session, teacher, real_catalogue, 9)
    opened = pulse.open_pulse(session, teacher, school_class.id, real_catalogue)
    questions = real_catalogue.pulse.for_band("9-11").questions
    first, second = questions[0].id, questions[1].id
    for number, pupil in enumerate(pupils):
        # first question: 5 "never", 4 "once" (a group of 4: held back); second: all 9 "several"
        answers = {first: "never" if number < 5 else "once", second: "several"}
        pulse.answer_pulse(session, pupil, opened.id, answers, real_catalogue)
    pulse.close_pulse(session, teacher, opened.id)
    (result,) = pulse.class_pulses(session, teacher, school_class.id, real_catalogue).results
    held, shown = result.questions[0], result.questions[1]
    assert not held.shown and held.choices == ()
    assert shown.shown and [c.count for c in shown.choices] == [0, 0, 9]


# ---------------------------------------------------------------- nothing leads back to a pupil


def test_nothing_stored_by_a_pulse_leads_back_to_a_pupil(session, teacher, real_catalogue):
    school_class, pupils = _class(session, teacher, real_catalogue, 6)
    opened = pulse.open_pulse(session, teacher, school_class.id, real_catalogue)
    session.commit()
    before = _rows(session)
    _answer_all(session, pupils, opened, real_catalogue, choice_index=1)

    # No column can hold a pupil, a time of day or a text: ids of pulses, content ids, counts, days.
    for name in PULSE_TABLES:
        table = SQLModel.metadata.tables[name]
        assert not [key for key in table.foreign_keys if key.column.table.name == "pupil"]
        assert not [column.name for column in table.c if "pupil" in column.name]
        assert not [column.name for column in table.c if isinstance(column.type, DateTime)]
    assert {c.name for c in SQLModel.metadata.tables["class_pulse"].c if isinstance(c.type, Date)} == {
        "opened_on",
        "closed_on",
    }
    after = _rows(session)
    # Answers change counts only: as many count rows as before, one marker and +1 per answer.
    assert len(after["pulse_count"]) == len(before["pulse_count"])
    assert len(after["pulse_marker"]) == 6
    pupil_texts = {p.display_name for p in pupils} | {str(p.id) for p in pupils}
    question_ids = {q.id for q in real_catalogue.pulse.for_band("9-11").questions}
    choice_ids = {c.id for scale in real_catalogue.pulse.scales.values() for c in scale}
    for pulse_id, question_id, choice_id, count in after["pulse_count"]:
        assert pulse_id == opened.id and question_id in question_ids and choice_id in choice_ids
        assert count in (0, 6)
    # Markers are keyed hashes: not a pupil's id, nor a plain hash of it.
    secret = after["class_pulse"][0][-1]
    for _pulse_id, marker in after["pulse_marker"]:
        assert marker not in pupil_texts and len(marker) == 64
    assert secret is not None

    pulse.close_pulse(session, teacher, opened.id)
    closed = _rows(session)
    assert closed["pulse_marker"] == []  # who answered is forgotten with the pulse's secret
    ((_id, class_id, open_class_id, band, opened_on, closed_on, answered, kept_secret),) = closed[
        "class_pulse"
    ]
    assert (class_id, open_class_id, band, answered, kept_secret) == (school_class.id, None, "9-11", 6, None)
    assert opened_on == closed_on == utcnow().date()
    everything = json.dumps(closed, default=str)
    assert not any(name in everything for name in (p.display_name for p in pupils))


def test_who_gave_which_answers_changes_nothing_stored(session, teacher, real_catalogue):
    """Two classes: the same answers, given by different pupils in a different order, store the
    same counts (and nothing else about the answers)."""
    stored = []
    for name, order in (("CM1 B", 1), ("CM1 C", -1)):
        school_class, pupils = _class(session, teacher, real_catalogue, 6, name=name)
        opened = pulse.open_pulse(session, teacher, school_class.id, real_catalogue)
        for number, pupil in enumerate(pupils[::order]):
            pulse.answer_pulse(
                session, pupil, opened.id, _answers(real_catalogue, "9-11", number % 2), real_catalogue
            )
        pulse.close_pulse(session, teacher, opened.id)
        session.flush()
        counts = session.exec(
            select(PulseCount.question_id, PulseCount.choice_id, PulseCount.count)
            .where(PulseCount.pulse_id == opened.id)
            .order_by(PulseCount.question_id, PulseCount.choice_id)
        ).all()
        stored.append([tuple(row) for row in counts])
    assert stored[0] == stored[1]


def test_the_pupil_export_holds_no_pulse_answer(session, teacher, real_catalogue):
    school_class, pupils = _class(session, teacher, real_catalogue, 5)
    pupil = pupils[0]

    def export() -> dict:
        data = privacy.export_pupil(session, teacher, pupil.id, real_catalogue)
        data.pop("exported_at")
        data["audit_events"] = [e for e in data["audit_events"] if e["action"] != "pupil_exported"]
        return data

    before = export()
    opened = pulse.open_pulse(session, teacher, school_class.id, real_catalogue)
    pulse.answer_pulse(session, pupil, opened.id, _answers(real_catalogue, "9-11", 2), real_catalogue)
    session.commit()
    after = export()
    assert after == before  # answering left nothing about this pupil, not even an audit row
    assert "pulse" not in json.dumps(after) and "several" not in json.dumps(after)


# ---------------------------------------------------------------- change, summary, teachers


def test_results_show_the_change_since_the_class_s_previous_pulse(session, teacher, real_catalogue):
    school_class, pupils = _class(session, teacher, real_catalogue, 10)
    first_question = real_catalogue.pulse.for_band("9-11").questions[0].id
    for choices in (["several"] * 10, ["never"] * 5 + ["several"] * 5):
        opened = pulse.open_pulse(session, teacher, school_class.id, real_catalogue)
        for pupil, choice in zip(pupils, choices, strict=True):
            pulse.answer_pulse(session, pupil, opened.id, {first_question: choice}, real_catalogue)
        pulse.close_pulse(session, teacher, opened.id)
        session.commit()
    newest, oldest = pulse.class_pulses(session, teacher, school_class.id, real_catalogue).results
    assert oldest.previous_closed_on is None and newest.previous_closed_on == oldest.closed_on
    change = {c.choice_id: (c.count, c.previous) for c in newest.questions[0].choices}
    assert change == {"never": (5, 0), "once": (0, 0), "several": (5, 10)}
    assert all(c.previous is None for c in oldest.questions[0].choices)


def test_the_admin_s_school_summary_adds_up_only_what_each_class_was_shown(
    session, admin, teacher, other_teacher, real_catalogue
):
    first, second = real_catalogue.pulse.for_band("9-11").questions[:2]
    classes_and_answers = [
        (teacher, "CM1 B", 6, lambda n: {first.id: "never", second.id: "once"}),
        # a group of 1 on the first question: held back there, counted on the second
        (other_teacher, "CM1 C", 6, lambda n: {first.id: "once" if n == 0 else "never", second.id: "once"}),
        (teacher, "CM1 D", 4, lambda n: {first.id: "never"}),  # too few answers: nothing counted
    ]
    for owner, name, size, answers in classes_and_answers:
        school_class, pupils = _class(session, owner, real_catalogue, size, name=name)
        opened = pulse.open_pulse(session, owner, school_class.id, real_catalogue)
        for number, pupil in enumerate(pupils):
            pulse.answer_pulse(session, pupil, opened.id, answers(number), real_catalogue)
        pulse.close_pulse(session, owner, opened.id)
    session.commit()
    with pytest.raises(AccessDenied):
        pulse.school_summary(session, teacher, real_catalogue)
    (summary,) = pulse.school_summary(session, admin, real_catalogue)
    assert (summary.band, summary.classes, summary.answered) == ("9-11", 3, 16)
    counts = {q.question_id: {c.choice_id: c.count for c in q.choices} for q in summary.questions}
    assert counts[first.id] == {"never": 6, "once": 0, "several": 0}
    assert counts[second.id] == {"never": 0, "once": 12, "several": 0}
    assert summary.held_back[first.id] == 2 and summary.held_back[second.id] == 1


def test_a_question_held_back_in_every_class_is_held_back_in_the_school_summary(
    session, admin, teacher, real_catalogue
):
    """Added up from nothing, it would read as a row of zeros: as if nobody had answered."""
    first = real_catalogue.pulse.for_band("9-11").questions[0]
    school_class, pupils = _class(session, teacher, real_catalogue, 6)
    opened = pulse.open_pulse(session, teacher, school_class.id, real_catalogue)
    for number, pupil in enumerate(pupils):
        answer = {first.id: "once" if number == 0 else "never"}  # a group of 1: held back
        pulse.answer_pulse(session, pupil, opened.id, answer, real_catalogue)
    pulse.close_pulse(session, teacher, opened.id)
    session.commit()
    (summary,) = pulse.school_summary(session, admin, real_catalogue)
    held = next(q for q in summary.questions if q.question_id == first.id)
    assert (held.shown, held.choices, summary.held_back[first.id]) == (False, (), 1)
    assert all(q.shown for q in summary.questions if q.question_id != first.id)


def test_another_teacher_can_neither_open_close_nor_see_a_class_s_pulse(
    session, teacher, other_teacher, real_catalogue
):
    school_class, pupils = _class(session, teacher, real_catalogue, 5)
    with pytest.raises(AccessDenied):
        pulse.open_pulse(session, other_teacher, school_class.id, real_catalogue)
    opened = pulse.open_pulse(session, teacher, school_class.id, real_catalogue)
    with pytest.raises(AccessDenied):
        pulse.close_pulse(session, other_teacher, opened.id)
    with pytest.raises(AccessDenied):
        pulse.class_pulses(session, other_teacher, school_class.id, real_catalogue)
    with pytest.raises(Invalid):  # one open pulse per class
        pulse.open_pulse(session, teacher, school_class.id, real_catalogue)
    _, others = _class(session, other_teacher, real_catalogue, 1, name="CM1 C")
    with pytest.raises(AccessDenied):  # a pupil of another class
        pulse.answer_pulse(session, others[0], opened.id, {}, real_catalogue)


def test_deleting_a_class_deletes_its_pulses(session, admin, teacher, real_catalogue):
    school_class, pupils = _class(session, teacher, real_catalogue, 5)
    kept_class, _ = _class(session, teacher, real_catalogue, 0, name="CM1 C")
    for class_id in (school_class.id, kept_class.id):
        closed = pulse.open_pulse(session, teacher, class_id, real_catalogue)
        pulse.close_pulse(session, teacher, closed.id)
    opened = pulse.open_pulse(session, teacher, school_class.id, real_catalogue)
    pulse.answer_pulse(session, pupils[0], opened.id, {}, real_catalogue)
    privacy.set_retention(session, admin, 30)
    classes.archive_class(session, teacher, school_class.id)
    session.exec(
        update(SchoolClass)
        .values(archived_at=utcnow() - timedelta(days=31))
        .where(SchoolClass.id == school_class.id)
    )
    session.commit()
    assert privacy.purge_expired(session) == 1
    session.commit()
    assert session.get(SchoolClass, school_class.id) is None
    left = session.exec(select(ClassPulse.class_id)).all()
    assert list(left) == [kept_class.id]
    kept_pulse = session.exec(select(ClassPulse.id)).one()
    assert set(session.exec(select(PulseCount.pulse_id)).all()) == {kept_pulse}
    assert session.exec(select(PulseMarker)).all() == []
    assert session.exec(select(Pupil).where(Pupil.class_id == school_class.id)).all() == []


def test_class_views_take_a_fixed_number_of_queries(session, admin, teacher, real_catalogue, count_queries):
    school_class, pupils = _class(session, teacher, real_catalogue, 5)
    for _ in range(3):
        opened = pulse.open_pulse(session, teacher, school_class.id, real_catalogue)
        _answer_all(session, pupils, opened, real_catalogue)
        pulse.close_pulse(session, teacher, opened.id)
    session.commit()
    session.expunge_all()
    with count_queries() as class_queries:
        pulse.class_pulses(session, teacher, school_class.id, real_catalogue)
    with count_queries() as summary_queries:
        pulse.school_summary(session, admin, real_catalogue)
    session.expunge_all()
    with count_queries() as pupil_queries:
        pulse.my_pulse(session, pupils[0])
    assert (class_queries.count, summary_queries.count, pupil_queries.count) == (3, 2, 1)


def test_pupils_answering_at_the_same_moment_are_all_counted_and_a_double_send_once(
    engine, session, teacher, real_catalogue
):
    """12 pupils send at once, each from two tabs: every pupil is counted exactly once."""
    school_class, pupils = _class(session, teacher, real_catalogue, 12)
    opened = pulse.open_pulse(session, teacher, school_class.id, real_catalogue)
    session.commit()
    first = real_catalogue.pulse.for_band("9-11").questions[0].id
    barrier = threading.Barrier(len(pupils) * 2, timeout=120)

    def send(index: int) -> bool:
        barrier.wait()
        with session_scope(engine) as unit:
            return pulse.answer_pulse(unit, pupils[index // 2], opened.id, {first: "once"}, real_catalogue)

    with ThreadPoolExecutor(max_workers=len(pupils) * 2) as pool:
        counted = list(pool.map(send, range(len(pupils) * 2)))
    assert sum(counted) == len(pupils)
    session.expire_all()
    assert session.get(ClassPulse, opened.id).answered == len(pupils)
    assert session.get(PulseCount, (opened.id, first, "once")).count == len(pupils)
