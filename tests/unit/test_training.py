"""The staff training course's services (issue 16): a staff member starts a module with a
confidence rating, answers its check with feedback, completes it with a second rating; their own
record and certificate; the admin's record of their own school, on a page and as a CSV."""

import pytest
from sqlmodel import select

from amane.models.training_tables import StaffTraining
from amane.services import accounts, training
from amane.services.errors import AccessDenied, Invalid
from amane.services.spreadsheet import BOM

MODULE_ID = "when-a-pupil-tells-you"


@pytest.fixture
def module(fixture_catalogue):
    return fixture_catalogue.training_module(MODULE_ID)


def _complete(session, actor, module, before=2, after=4, right=True):
    training.start_module(session, actor, module, before)
    for question in module.check:
        answer = question.right_answer() if right else question.wrong_answers()[0]
        training.answer_question(session, actor, module, question, answer)
    return training.complete_module(session, actor, module, after)


def test_a_teacher_completes_a_module_with_ratings_and_a_score(session, teacher, module, fixture_catalogue):
    assert training.my_record(session, teacher, fixture_catalogue).next_module == module
    started = training.start_module(session, teacher, module, 2)
    assert (started.status, started.confidence_before, started.completed_at) == ("started", 2, None)
    training.save_step(session, teacher, module, 3)
    assert training.module_record(session, teacher, module).furthest_step == 3
    first, *others = module.check
    assert training.answer_question(session, teacher, module, first, first.wrong_answers()[0]) is False
    # The first answer stays, as in the pupils' quizzes.
    assert training.answer_question(session, teacher, module, first, first.right_answer()) is False
    with pytest.raises(Invalid):
        training.complete_module(session, teacher, module, 4)  # questions left unanswered
    for question in others:
        assert training.answer_question(session, teacher, module, question, question.right_answer()) is True
    done = training.complete_module(session, teacher, module, 4)
    assert (done.status, done.confidence_before, done.confidence_after) == ("completed", 2, 4)
    assert (done.check_score, done.check_max) == (len(module.check) - 1, len(module.check))
    mine = training.my_record(session, teacher, fixture_catalogue)
    assert [item.status for item in mine.modules] == ["completed"]
    assert mine.next_module is None


def test_starting_again_keeps_the_first_rating_and_completing_again_the_first_date(session, teacher, module):
    done = _complete(session, teacher, module, before=1, after=5)
    assert training.start_module(session, teacher, module, 4).confidence_before == 1
    again = training.complete_module(session, teacher, module, 2)
    assert (again.confidence_after, again.completed_at) == (5, done.completed_at)
    assert len(session.exec(select(StaffTraining)).all()) == 1


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_confidence_is_from_1_to_5(session, teacher, module, rating):
    with pytest.raises(Invalid):
        training.start_module(session, teacher, module, rating)
    assert session.exec(select(StaffTraining)).all() == []


def test_answers_need_a_started_module_and_a_well_formed_answer(session, teacher, module):
    question = module.check[0]
    with pytest.raises(Invalid):
        training.answer_question(session, teacher, module, question, question.right_answer())
    training.start_module(session, teacher, module, 3)
    with pytest.raises(Invalid):
        training.answer_question(session, teacher, module, question, [])
    assert training.module_record(session, teacher, module).answers == {}


def test_certificate_names_the_person_school_and_completed_modules(
    session, teacher, module, fixture_catalogue
):
    assert training.certificate(session, teacher, fixture_catalogue).completed == []
    done = _complete(session, teacher, module)
    cert = training.certificate(session, teacher, fixture_catalogue)
    assert (cert.name, cert.school) == ("Teacher One", "École Test")
    assert cert.completed == [(module, done.completed_at)]


def test_a_teacher_sees_only_their_own_record(session, teacher, other_teacher, module, fixture_catalogue):
    _complete(session, teacher, module)
    theirs = training.my_record(session, other_teacher, fixture_catalogue)
    assert [item.status for item in theirs.modules] == ["new"]
    assert training.module_record(session, other_teacher, module) is None
    assert training.certificate(session, other_teacher, fixture_catalogue).completed == []
    for call in (training.school_record, lambda s, a, c: training.school_record_csv(s, a, c, "en")):
        with pytest.raises(AccessDenied):
            call(session, teacher, fixture_catalogue)


def test_the_admin_sees_their_own_school_only(session, admin, teacher, module, fixture_catalogue, far_school):
    _complete(session, teacher, module, before=2, after=5)
    rows = {row.name: row for row in training.school_record(session, admin, fixture_catalogue)}
    assert set(rows) == {"Admin", "Teacher One"}
    record = rows["Teacher One"].records[MODULE_ID]
    assert (record.confidence_before, record.confidence_after, record.status) == (2, 5, "completed")
    assert rows["Admin"].records == {}
    for actor in far_school.values():
        with pytest.raises(AccessDenied):
            training.school_record(session, actor, fixture_catalogue)
        with pytest.raises(AccessDenied):
            training.my_record(session, actor, fixture_catalogue)


def test_a_disabled_account_keeps_its_record_but_cannot_train(
    session, admin, teacher, module, fixture_catalogue
):
    _complete(session, teacher, module)
    accounts.set_staff_active(session, admin, teacher.id, False)
    rows = {row.name: row for row in training.school_record(session, admin, fixture_catalogue)}
    assert rows["Teacher One"].active is False
    assert rows["Teacher One"].records[MODULE_ID].status == "completed"
    with pytest.raises(AccessDenied):
        training.my_record(session, teacher, fixture_catalogue)


def test_school_csv_has_one_row_per_staff_member_and_started_module(
    session, admin, teacher, module, fixture_catalogue
):
    done = _complete(session, teacher, module, before=2, after=4)
    text = training.school_record_csv(session, admin, fixture_catalogue, "fr")
    assert text.startswith(BOM)
    lines = text.removeprefix(BOM).splitlines()
    assert len(lines) == 2
    day = done.completed_at.date().isoformat()
    assert (
        lines[1]
        == f"Teacher One,teacher,{module.title.fr},{day},{day},2,4,{len(module.check)}/{len(module.check)}"
    )


def test_records_are_read_in_a_fixed_number_of_queries(
    session, admin, teacher, other_teacher, module, fixture_catalogue, count_queries
):
    _complete(session, teacher, module)
    _complete(session, other_teacher, module)
    session.commit()
    with count_queries() as counter:
        training.my_record(session, teacher, fixture_catalogue)
    assert counter.count == 2  # the account, its records
    with count_queries() as counter:
        training.school_record(session, admin, fixture_catalogue)
    assert counter.count == 3  # the admin's account, the school's staff, their records
