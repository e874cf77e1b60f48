"""The class dashboard and the pupil page, through AppTest. A small script stands in for app.py:
it sets the language and renders the page that st.session_state[state.GOTO] asks for, as the
app's navigation does. The dashboard's charts and tables are HTML (amane/views/charts.py): the
tests read them as a browser's accessibility tree would, cell by cell and text by text."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import astuple
from html.parser import HTMLParser

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


class _Reader(HTMLParser):
    """The text of an HTML figure in reading order, and its tables row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.strings: list[str] = []
        self.rows: list[list[str]] = []
        self.classes: list[list[str]] = []
        self.titles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("title"):
            self.titles.append(found["title"] or "")
        if tag == "tr":
            self.rows.append([])
            self.classes.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append("")
            self.classes[-1].append(found.get("class") or "")

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.strings.append(data.strip())
            if self.rows and self.rows[-1]:
                self.rows[-1][-1] += data.strip()


def figure(at: AppTest, label: str) -> _Reader:
    """The chart or table whose accessible label is `label`, read."""
    marker = f'aria-label="{label}"'
    matches = [markup for markup in _html(at) if marker in markup]
    assert len(matches) == 1, [markup[:80] for markup in _html(at)]
    reader = _Reader()
    reader.feed(matches[0])
    return reader


def _html(at: AppTest) -> list[str]:
    return [element.proto.body for element in at.get("html")]


def html_tables(at: AppTest) -> list[list[list[str]]]:
    """Every HTML table of the page (header row first), in page order."""
    tables = []
    for markup in _html(at):
        if "<table" in markup:
            reader = _Reader()
            reader.feed(markup)
            tables.append(reader.rows)
    return tables


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
    assert cards[:2] + cards[3:5] == [
        "**Yasmine**",
        "**Someone is being mean to me**",  # her open request (tests/ui/test_help_on_dashboard.py)
        "Status: New",
        "**Omar**\n\n- 3 wrong answers on the same question in “Sample lesson”",  # one element
    ]
    assert [b.label for b in at.button] == ["Acknowledge", "Open Yasmine's page", "Open Omar's page"]
    assert "Adam" not in "\n".join(cards[:5])


def test_progress_grid_and_charts_read_without_colour(app_env, teacher, seeded):
    at = open_page(teacher)

    grid = figure(at, "Pupils and lessons")
    assert grid.rows == [
        ["Pupil", "Sample lesson"],
        ["Adam", "✔ 80%"],
        ["Omar", "◐ 80%"],
        ["Yasmine", "◐"],
    ]
    assert [grid.classes[1][1], grid.classes[3][1]] == ["done", "in_progress"]  # charts.css colours
    assert "— not started · ◐ in progress · ✔ done · % best quiz score" in texts(at)
    completion = figure(at, "Lesson completed (% of pupils)")
    assert completion.strings == [
        "Lesson completed (% of pupils)",
        "Lesson",
        "% of pupils",
        "Sample lesson",
        "1/3 · 33%",
    ]
    assert "width:33.3%" in next(markup for markup in _html(at) if "1/3 · 33%" in markup)
    topics = figure(at, "Average best quiz score per topic")
    assert topics.strings[-2:] == ["Cyberbullying", "80%"]
    activity = figure(at, "Activity over the last 14 days")
    assert activity.strings[1:4] == ["Lesson steps", "Quiz answers", "(Count)"]
    steps = [title for title in activity.titles if "Lesson steps" in title]
    answers = [title for title in activity.titles if "Quiz answers" in title]
    assert len(steps) == len(answers) == 14
    assert steps[-1].endswith(" · Lesson steps: 2") and answers[-1].endswith(" · Quiz answers: 20")
    assert all(title.endswith(": 0") for title in steps[:-1])


def test_arabic_charts_and_tables_read_right_to_left(app_env, teacher, seeded):
    at = open_page(teacher, **{state.LANGUAGE: "ar"})

    assert not at.exception
    figures = [markup for markup in _html(at) if not markup.startswith("<style>")]
    assert len(figures) == 9  # the grid, 3 charts, a table for each of the 5 quiz questions
    assert all('dir="rtl"' in markup for markup in figures)


def test_the_dashboard_imports_neither_pandas_nor_plotly(app_env, teacher, seeded):
    """What only a chart or st.table needs (pandas: +80 MiB of server memory; Plotly's figures)
    is not imported by the dashboard or the pupil page: a fresh interpreter runs both pages."""
    code = f"""
import sys
from amane.services.permissions import StaffActor
from amane.views import state
from tests.ui.test_dashboard_pages import open_page
teacher = StaffActor(*{astuple(teacher)!r})
at = open_page(teacher)
assert not at.exception and at.header[-1].value == "Difficult questions", at.exception
at = open_page(teacher, "pupil", **{{state.PUPIL_DETAIL: {seeded[2][0].id}}})
assert not at.exception and at.title[0].value == "Omar", at.exception
print(sorted(set(sys.modules) & {{"pandas", "pyarrow", "plotly.graph_objs._figure"}}))
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip().splitlines()[-1] == "[]"


def test_difficult_questions_are_ranked_with_option_counts(app_env, teacher, seeded):
    at = open_page(teacher)

    ranked = [m.value for m in at.markdown if m.value.startswith("**") and m.value[2].isdigit()]
    assert ranked[:2] == [
        "**1. Someone sends you a mean message. What first?**",
        "**2. Put the steps in order.**",
    ]
    assert "3 wrong of 4 answers (75%)" in texts(at)
    tables = html_tables(at)[1:]  # after the progress grid
    assert tables[0] == [
        ["Answer", "Chosen", "Misconception"],
        ["✗ Reply", "3", "Replying will make them stop."],
        ["✔ Keep evidence and tell an adult", "1", ""],
    ]
    assert tables[1][1:] == [
        ["✔ Right order", "3", ""],
        ["✗ Wrong order", "1", "Block first and lose the evidence."],
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
    answers = html_tables(at)[0]
    assert answers[:3] == [
        ["Quiz question", "Answer given", "Result"],
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
    assert [row[1] for row in figure(at, "Pupils and lessons").rows[1:]] == ["◐ 100%", "—", "—"]


def test_another_teacher_sees_only_their_own_classes(app_env, other_teacher, seeded):
    at = open_page(other_teacher)

    assert [i.value for i in at.info] == ["You have no class yet. Create one in My classes."]
    assert "Yasmine" not in texts(at)


def plotly_script() -> None:
    import streamlit as st

    from amane.i18n import set_language
    from amane.views import charts

    set_language(st.session_state["language"])
    figure = {"data": [{"type": "bar", "x": ["a", "b"], "y": [1, 2]}], "layout": charts.layout("T", "X", "Y")}
    charts.plotly_chart(figure, key="impact", alt="T")


@pytest.mark.parametrize(("language", "autorange", "title_x"), [("fr", True, 0), ("ar", "reversed", 1)])
def test_a_chart_that_needs_plotly_follows_the_page_direction(language, autorange, title_x):
    """charts.plotly_chart, for a page that needs a real chart (a plain dict, Plotly imported by
    Streamlit only then): the x axis and the title on the reading side."""
    at = AppTest.from_function(plotly_script, default_timeout=60)
    at.session_state["language"] = language
    at.run()

    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["data"][0]["y"] == [1, 2]
    assert spec["layout"]["xaxis"]["autorange"] == autorange
    assert spec["layout"]["title"]["x"] == title_x
    assert spec["layout"]["yaxis"]["side"] == ("right" if language == "ar" else "left")
