"""The Training page (issue 16): a teacher takes a module from the confidence rating to the
certificate; the admin sees the school's record; My classes shows the next module; the help
inbox's disclosure guidance is the training module's key points."""

import pytest

from amane.i18n import ltr, t
from amane.services import training
from amane.testing.apptest import button, goto, new_app, sign_in_staff, texts
from tests.conftest import PASSWORD

MODULE_ID = "when-a-pupil-tells-you"


@pytest.fixture
def teacher_app(app_env, teacher):
    at = sign_in_staff(new_app().run(), "teacher", PASSWORD)
    assert not at.exception
    return at


def _answer(at, question, right=True):
    """Answer with the widgets the page shows: the right answer, or a wrong one."""
    if question.kind == "single":
        chosen = next(o for o in question.options if o.correct == right)
        at.radio[0].set_value(chosen).run()
    elif question.kind == "true_false":
        at.radio[0].set_value(question.answer == right).run()
    else:
        raise AssertionError(f"answer {question.kind} with its own widgets")
    return at


def test_a_teacher_takes_a_module_to_the_certificate(teacher_app, session, teacher, fixture_catalogue):
    module = fixture_catalogue.training_module(MODULE_ID)
    at = goto(teacher_app, "training")
    assert at.get("progress")[0].proto.text == "0 of 1 module completed"
    assert f"Next module: **{module.title.en}**" in texts(at)
    at = button(at, "Start").click().run()
    assert f"How sure are you that you can {module.skill.en}?" in texts(at)
    at = button(at, "Start the module").click().run()
    assert "Please choose how sure you are, from 1 to 5." in texts(at)  # no rating, no start
    at.radio[0].set_value(2).run()
    at = button(at, "Start the module").click().run()
    assert training.module_record(session, teacher, module).confidence_before == 2
    for index, step in enumerate(module.steps):
        assert at.get("progress")[0].proto.text == f"Step {index + 1} of {len(module.steps)}"
        if step.kind == "scenario":
            worse = next(c for c in step.choices if not c.best)
            at = button(at, worse.text.en).click().run()
            assert f"**What happens:** {worse.consequence.en}\n\n{worse.explanation.en}" in texts(at)
        at = button(at, "To the check" if index == len(module.steps) - 1 else "Next").click().run()
    assert "Check what you know" in texts(at)
    for question in module.check:
        if question.kind == "ordering":  # the ordering widget is a custom one: answer it through the service
            training.answer_question(session, teacher, module, question, question.right_answer())
            session.commit()
            at = at.run()
            continue
        wrong = question.kind == "single"  # one wrong answer: its feedback names the right one too
        at = _answer(at, question, right=not wrong)
        at = button(at, "Check my answer").click().run()
        shown = texts(at)
        if wrong:
            chosen = next(o for o in question.options if not o.correct)
            right = next(o for o in question.options if o.correct)
            assert "Not quite." in shown
            assert f"❌ **{chosen.text.en}** (your answer): {chosen.feedback.en}" in shown
            assert f"✅ **{right.text.en}** (the right answer): {right.feedback.en}" in shown
        else:
            assert "Right." in shown
            assert question.explanation.en in shown
        at = button(at, "Next").click().run()
    shown = texts(at)
    assert f"Check done: {len(module.check) - 1} of {len(module.check)} right." in shown
    assert all(f"- {point.en}" in shown for point in module.key_points)
    at.radio[0].set_value(4).run()
    at = button(at, "Complete the module").click().run()
    session.expire_all()
    record = training.module_record(session, teacher, module)
    assert (record.status, record.confidence_before, record.confidence_after) == ("completed", 2, 4)
    assert "Your confidence: 2 → 4." in texts(at)
    at = button(at, "My certificate").click().run()
    html = "".join(str(element.proto.body) for element in at.get("html"))
    assert "Teacher One" in html and "École Test" in html and module.title.en in html


def test_my_classes_shows_the_teachers_progress_and_next_module(teacher_app, fixture_catalogue):
    module = fixture_catalogue.training_module(MODULE_ID)
    shown = texts(goto(teacher_app, "classes"))
    assert f"Staff training: 0 of 1 module completed. Next: {module.title.en}" in shown


def test_the_admin_sees_who_completed_what_with_confidence(
    app_env, session, admin, teacher, fixture_catalogue
):
    module = fixture_catalogue.training_module(MODULE_ID)
    training.start_module(session, teacher, module, 1)
    for question in module.check:
        training.answer_question(session, teacher, module, question, question.right_answer())
    training.complete_module(session, teacher, module, 5)
    session.commit()
    at = goto(sign_in_staff(new_app().run(), "admin", PASSWORD), "training")
    assert f"- 2. {module.title.en}: 1 of 2" in texts(at)
    frame = at.table[0].value.reset_index()
    assert frame.to_dict("records") == [
        {
            "Staff member": "Teacher One",
            "Module": module.title.en,
            "Status": "✅ Completed",
            "Completed": frame["Completed"][0],
            "Confidence before → after": ltr("1 → 5"),
            "Check score": f"{len(module.check)}/{len(module.check)}",
        }
    ]
    assert "Not started yet: Admin" in texts(at)


def test_a_teacher_has_no_school_tab(teacher_app):
    at = goto(teacher_app, "training")
    assert [tab.label for tab in at.tabs] == []


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_help_inbox_shows_the_training_modules_key_points(teacher_app, fixture_catalogue, language):
    from amane.views import state

    module = fixture_catalogue.training_module(MODULE_ID)
    teacher_app.session_state[state.LANGUAGE] = language
    shown = texts(goto(teacher_app, "requests"))
    for point in module.key_points:
        assert f"- {point.get(language)}" in shown
    title = t("From the training module: {title}", lang=language, title=module.title.get(language))
    assert title in shown
