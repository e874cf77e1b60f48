"""The class dashboard and the pupil page, through AppTest. The pages are not registered in
app.py yet, so a small script stands in for it: it sets the language and renders the page
that st.session_state[state.GOTO] asks for, as the app's navigation will."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from amane.services import help_requests, progress
from amane.testing.apptest import button, texts
from amane.views import state
from tests.unit.test_dashboard import LESSON, take_quiz


def pages_script() -> None:
    import streamlit as st

    from amane.i18n import set_language
    from amane.views import state
    from amane.views.common import lang
    from amane.views.teacher import dashboard, pupil_detail

    set_language(lang())
    wanted = st.session_state.pop(state.GOTO, None)
    if wanted:
        st.session_state["test_page"] = wanted
    page = st.session_state.get("test_page", "dashboard")
    {"dashboard": dashboard.render, "pupil": pupil_detail.render}[page]()


def open_page(actor, page: str = "dashboard", **values) -> AppTest:
    at = AppTest.from_function(pages_script, default_timeout=60)
    at.session_state[state.STAFF] = actor
    at.session_state["test_page"] = page
    for key, value in values.items():
        at.session_state[key] = value
    return at.run()


def chart(at: AppTest, key: str) -> dict:
    matches = [c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}")]
    assert len(matches) == 1, [c.proto.id for c in at.get("plotly_chart")]
    return json.loads(matches[0].proto.spec)


@pytest.fixture
def seeded(session, school_class, pupils, fixture_catalogue):
    """Adam finished with 80%; Yasmine is on step 3 and asked for help; Omar got the first
    question wrong three times (80% each try)."""
    adam, yasmine, omar = (p[0] for p in pupils)
    lesson = fixture_catalogue.lesson(LESSON)
    progress.complete_lesson(session, adam, LESSON, len(lesson.steps))
    take_quiz(session, adam, fixture_catalogue, wrong_ids={"steps-order"})
    progress.save_step(session, yasmine, LESSON, 3, len(lesson.steps))
    help_requests.ask_for_help(session, yasmine, "mean", True)
    session.commit()
    for _ in range(3):
        take_quiz(session, omar, fixture_catalogue, wrong_ids={"first-step"})
    return pupils


def test_needs_help_comes_first_with_names_and_reasons(app_env, teacher, seeded):
    at = open_page(teacher)

    assert not at.exception
    assert [t.value for t in at.title] == ["Class dashboard"]
    assert [h.value for h in at.header] == ["Needs help", "Progress", "Difficult questions"]
    cards = [m.value for m in at.markdown]
    assert cards[:2] + cards[3:6] == [
        "**Yasmine**",
        "**Someone is being mean to me**",  # her open request (tests/ui/test_help_on_dashboard.py)
        "Status: New",
        "**Omar**",
        "- 3 wrong answers on the same question in “Sample lesson”",
    ]
    assert [b.label for b in at.button] == ["Acknowledge", "Open Yasmine's page", "Open Omar's page"]
    assert "Adam" not in "\n".join(cards[:6])


def test_heatmap_reads_without_colour(app_env, teacher, seeded):
    at = open_page(teacher)

    heatmap = chart(at, "dashboard_heatmap")["data"][0]
    assert heatmap["y"] == ["Adam", "Omar", "Yasmine"]
    assert heatmap["x"] == ["Sample lesson"]
    assert heatmap["text"] == [["✔ 80%"], ["◐ 80%"], ["◐"]]
    assert heatmap["texttemplate"] == "%{text}"
    assert "— not started · ◐ in progress · ✔ done · % best quiz score" in texts(at)
    completion = chart(at, "dashboard_completion")
    assert completion["data"][0]["x"] == [33] and completion["data"][0]["text"] == ["1/3"]  # bars lie flat
    assert completion["layout"]["title"]["text"] == "Lesson completed (% of pupils)"
    topics = chart(at, "dashboard_topics")["data"][0]
    assert (topics["x"], topics["y"]) == (["Cyberbullying"], [80])
    activity = chart(at, "dashboard_activity")["data"]
    assert [series["name"] for series in activity] == ["Lesson steps", "Quiz answers"]
    assert len(activity[0]["y"]) == 14 and activity[0]["y"][-1] == 2 and activity[1]["y"][-1] == 20
    assert chart(at, "dashboard_heatmap")["layout"]["xaxis"]["autorange"] is True


def test_arabic_reverses_the_horizontal_axes(app_env, teacher, seeded):
    at = open_page(teacher, **{state.LANGUAGE: "ar"})

    assert not at.exception
    for key in ("dashboard_heatmap", "dashboard_completion", "dashboard_topics", "dashboard_activity"):
        assert chart(at, key)["layout"]["xaxis"]["autorange"] == "reversed", key


def test_difficult_questions_are_ranked_with_option_counts(app_env, teacher, seeded):
    at = open_page(teacher)

    ranked = [m.value for m in at.markdown if m.value.startswith("**") and m.value[2].isdigit()]
    assert ranked[:2] == [
        "**1. Someone sends you a mean message. What first?**",
        "**2. Put the steps in order.**",
    ]
    assert "3 wrong of 4 answers (75%)" in texts(at)
    first = at.table[0].value
    assert list(first.columns) == ["Answer", "Chosen", "Misconception"]
    assert first.values.tolist() == [
        ["✗ Reply", 3, "Replying will make them stop."],
        ["✔ Keep evidence and tell an adult", 1, ""],
    ]
    assert at.table[1].value.values.tolist() == [
        ["✔ Right order", 3, ""],
        ["✗ Wrong order", 1, "Block first and lose the evidence."],
    ]


def test_opening_a_pupil_from_needs_help_shows_their_record(app_env, teacher, seeded):
    at = open_page(teacher)
    omar = seeded[2][0]

    at = button(at, "Open Omar's page").click().run()

    assert not at.exception
    assert at.session_state[state.PUPIL_DETAIL] == omar.id
    assert [t.value for t in at.title] == ["Omar"]
    assert [e.label for e in at.expander] == ["◐ Sample lesson · 80%"]
    assert [s.value for s in at.subheader] == [
        "Quiz try 1: 4/5 (80%)",
        "Quiz try 2: 4/5 (80%)",
        "Quiz try 3: 4/5 (80%)",
    ]
    answers = at.table[0].value
    assert list(answers.columns) == ["Quiz question", "Answer given", "Result"]
    assert answers.values.tolist()[:2] == [
        ["Someone sends you a mean message. What first?", "Reply", "✗ wrong"],
        ["Who can help?", "A parent, A teacher", "✔ right"],
    ]
    at = button(at, "Class dashboard").click().run()
    assert [t.value for t in at.title] == ["Class dashboard"]


def test_pupil_page_shows_choices_and_steps(app_env, teacher, session, seeded, fixture_catalogue):
    yasmine = seeded[1][0]
    progress.record_choice(session, yasmine, LESSON, 3, 0)
    session.flush()
    progress.record_choice(session, yasmine, LESSON, 3, 1)
    session.commit()

    at = open_page(teacher, "pupil", **{state.PUPIL_DETAIL: yasmine.id})

    shown = texts(at)
    assert "In progress · Step reached: 4 of 7" in shown
    assert "1. Reply with something meaner (✗ not the best choice)" in shown
    assert "2. Screenshot, block and tell an adult (✔ best choice)" in shown
    assert [s.value for s in at.subheader] == ["Choices tried in the stories"]


def test_pupil_page_refuses_another_teacher(app_env, other_teacher, seeded):
    at = open_page(other_teacher, "pupil", **{state.PUPIL_DETAIL: seeded[0][0].id})

    assert [e.value for e in at.error] == ["You do not have access to this."]
    assert "Adam" not in texts(at)


def test_pupil_page_without_a_pupil_chosen(app_env, teacher):
    at = open_page(teacher, "pupil")

    assert [i.value for i in at.info] == ["Choose a pupil on the class dashboard."]


def test_dashboard_of_a_class_without_pupils(app_env, teacher, school_class, session):
    at = open_page(teacher)
    empty = "No pupils in this class yet. Add them in My classes, on the Pupils tab."
    assert [i.value for i in at.info] == [empty]


def test_dashboard_says_when_nobody_needs_help(app_env, teacher, pupils, session, fixture_catalogue):
    take_quiz(session, pupils[0][0], fixture_catalogue)
    at = open_page(teacher)

    assert [s.value for s in at.success] == ["Nobody needs help right now."]
    assert chart(at, "dashboard_heatmap")["data"][0]["text"] == [["◐ 100%"], ["—"], ["—"]]


def test_another_teacher_sees_only_their_own_classes(app_env, other_teacher, seeded):
    at = open_page(other_teacher)

    assert [i.value for i in at.info] == ["You have no class yet. Create one in My classes."]
    assert "Yasmine" not in texts(at)
