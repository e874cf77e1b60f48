"""The demo school (`make demo`): what a newcomer finds on the Impact, Class pulse and Training
pages, read through the same service functions the pages call."""

from __future__ import annotations

from sqlmodel import select

from amane.models.tables import SchoolClass, StaffUser
from amane.services import demo, impact, pulse, training
from amane.services.permissions import StaffActor


def _staff(session, username: str) -> StaffActor:
    return StaffActor.of(session.exec(select(StaffUser).where(StaffUser.username == username)).one())


def test_the_demo_school_shows_a_gain_a_pulse_result_and_training_under_way(session, real_catalogue):
    school = demo.seed_demo(session, real_catalogue)
    session.commit()
    teacher, admin = _staff(session, demo.TEACHER[0]), _staff(session, demo.ADMIN[0])
    class_id = session.exec(select(SchoolClass.id).where(SchoolClass.join_code == school.class_code)).one()

    gains = impact.class_summary(session, teacher, class_id, real_catalogue)
    assert school.pupils // 3 <= gains.both <= school.pupils * 2 // 3  # about half finished every lesson
    assert gains.only_before > 0 and gains.only_after > 0  # some counted apart, as the page says
    assert gains.overall.gain > 0
    assert gains.topics and all(topic.gain > 0 for topic in gains.topics)

    pulses = pulse.class_pulses(session, teacher, class_id, real_catalogue)
    assert pulses.open is None
    latest, earlier = pulses.results
    assert latest.enough and earlier.enough
    assert earlier.closed_on < latest.closed_on  # weeks apart, so the change reads as one
    assert latest.previous_closed_on == earlier.closed_on  # the "Change" column is shown
    shown = [question for question in latest.questions if question.shown]
    assert len(shown) >= len(latest.questions) - 1 and all(question.answered for question in shown)
    assert any(
        choice.previous is not None and choice.count != choice.previous for q in shown for choice in q.choices
    )

    course = training.my_record(session, teacher, real_catalogue)
    done = course.completed
    assert len(done) == 2
    assert all(item.record.confidence_after > item.record.confidence_before for item in done)
    assert [item.status for item in course.modules].count(training.STARTED) == 1
    assert course.next_module == next(
        item.module for item in course.modules if item.status == training.STARTED
    )
    assert len(training.my_record(session, admin, real_catalogue).completed) == 1
    by_name = {row.username: row for row in training.school_record(session, admin, real_catalogue)}
    assert len(by_name[demo.TEACHER[0]].records) == 3 and len(by_name[demo.ADMIN[0]].records) == 1
