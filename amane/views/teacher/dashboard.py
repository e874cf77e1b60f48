"""The class dashboard: who needs help first, then progress, scores per topic, activity, and
the quiz questions the class finds hardest."""

from __future__ import annotations

import functools
from datetime import date

import streamlit as st
from babel.dates import format_skeleton

from amane.i18n import BABEL_LOCALES, current_language, t, tn
from amane.models.content import LocalText
from amane.services import dashboard, lesson_status
from amane.views import charts, state
from amane.views.common import catalogue, db, label, local, plain, print_button, staff
from amane.views.labels import TOPIC_NAMES
from amane.views.teacher import help_card
from amane.views.teacher.picker import class_picker, no_pupils

COMPLETION_COLOUR, TOPIC_COLOUR = "#4c8bd6", "#7a5cc2"
STEPS_COLOUR, ANSWERS_COLOUR = "#4c8bd6", "#f2994a"


def reason_text(reason: dashboard.Reason) -> str:
    params = {key: local(v) if isinstance(v, LocalText) else v for key, v in reason.params.items()}
    return t(reason.message, **params)


def open_pupil(pupil_id: int) -> None:
    st.session_state[state.PUPIL_DETAIL] = pupil_id
    st.session_state[state.GOTO] = "pupil"


def _needs_help(board: dashboard.ClassDashboard) -> None:
    st.header(t("Needs help"))
    if not board.needs_help:
        st.success(t("Nobody needs help right now."))
        return
    columns = st.columns(2)
    for index, entry in enumerate(board.needs_help):
        # The name and reasons in one element where no request card comes between them: each
        # element is React and styling work in the browser, and a class has many such cards.
        reasons = "\n".join("- " + reason_text(r) for r in entry.reasons if r.kind != "help_request")
        with columns[index % 2].container(border=True):
            if entry.requests:
                st.markdown(f"**{plain(entry.name)}**")
                for request in entry.requests:  # each open request, instead of their count
                    help_card.request_card(request, "dashboard")
                if reasons:
                    st.markdown(reasons)
            else:
                st.markdown(f"**{plain(entry.name)}**\n\n{reasons}")
            if st.button(t("Open {name}'s page", name=plain(entry.name)), key=f"needs_help_{entry.pupil_id}"):
                open_pupil(entry.pupil_id)
                st.rerun()


def heatmap(board: dashboard.ClassDashboard) -> str:
    """Pupils (rows) and lessons (columns): each cell's symbol and best score on its status colour."""
    rows = []
    for pupil_id, name in board.pupils:
        cells = [board.cell(pupil_id, lesson.lesson_id) for lesson in board.lessons]
        # the status's colours: charts.css
        rows.append([name, *(charts.Cell(cell.text, cell.status.value) for cell in cells)])
    header = [t("Pupil"), *(local(lesson.title) for lesson in board.lessons)]
    return charts.table(header, rows, label=t("Pupils and lessons"), row_headers=True)


def completion_chart(board: dashboard.ClassDashboard) -> str:
    """A bar a lesson: lesson titles read level beside their bar, however many lessons."""
    rows = [
        charts.Bar(
            local(lesson.title),
            100 * lesson.completion,
            f"{lesson.done}/{lesson.pupils} · {round(100 * lesson.completion)}%",
        )
        for lesson in board.lessons
    ]
    return charts.bars(
        t("Lesson completed (% of pupils)"), rows, COMPLETION_COLOUR, t("Lesson"), t("% of pupils")
    )


@functools.lru_cache(maxsize=64)
def _day(day: date, language: str) -> str:
    """A day as the locale writes it short (28/11 in French): fourteen fit level under the bars.
    Cached: Babel matches the skeleton to the locale's patterns anew on each call (3 ms)."""
    return format_skeleton("dM", day, locale=BABEL_LOCALES[language])


def topic_chart(board: dashboard.ClassDashboard) -> str:
    rows = [
        charts.Bar(
            t(TOPIC_NAMES.get(topic.topic, topic.topic)),
            topic.average_percent,
            f"{round(topic.average_percent)}%",
        )
        for topic in board.topics
    ]
    return charts.bars(
        t("Average best quiz score per topic"), rows, TOPIC_COLOUR, t("Topic"), t("Average score (%)")
    )


def activity_chart(board: dashboard.ClassDashboard) -> str:
    title = tn("Activity over the last {n} day", "Activity over the last {n} days", dashboard.ACTIVITY_DAYS)
    series = [
        charts.Series(t("Lesson steps"), STEPS_COLOUR, [day.steps for day in board.activity]),
        charts.Series(t("Quiz answers"), ANSWERS_COLOUR, [day.answers for day in board.activity]),
    ]
    return charts.columns(
        title, [_day(day.day, current_language()) for day in board.activity], series, t("Count")
    )


def _charts(board: dashboard.ClassDashboard) -> None:
    st.header(t("Progress"))
    st.caption(t(lesson_status.LEGEND))
    with st.container(key="dashboard_heatmap"):
        charts.show(heatmap(board))
    with st.container(key="dashboard_completion"):
        charts.show(completion_chart(board))
    with st.container(key="dashboard_topics"):
        if board.topics:
            charts.show(topic_chart(board))
        else:
            st.info(t("No quiz finished yet."))
    with st.container(key="dashboard_activity"):
        charts.show(activity_chart(board))


def _difficult_questions(class_id: int, board: dashboard.ClassDashboard) -> None:
    st.header(t("Difficult questions"))
    content = catalogue()
    lesson_ids = [lesson.lesson_id for lesson in board.lessons if content.quiz_for(lesson.lesson_id)]
    if not lesson_ids:
        st.info(t("No quiz in this class's lessons."))
        return
    lesson_id = st.selectbox(
        t("Lesson"),
        lesson_ids,
        format_func=lambda lid: local(content.lesson(lid).title),
        key="dashboard_difficult_lesson",
    )
    with db() as session:
        questions = dashboard.difficult_questions(session, staff(), class_id, lesson_id, content)
    if not any(question.answers for question in questions):
        st.info(t("Nobody has answered this quiz yet."))
        return
    for rank, question in enumerate(questions, start=1):
        with st.container(border=True):
            st.markdown(f"**{rank}. {local(question.prompt)}**")
            if not question.answers:
                st.caption(t("No answers yet."))
                continue
            st.caption(
                tn(
                    "{wrong} wrong of {n} answer ({percent}%)",
                    "{wrong} wrong of {n} answers ({percent}%)",
                    question.answers,
                    wrong=question.wrong,
                    percent=round(100 * question.wrong_share),
                )
            )
            rows = [
                [
                    ("✔ " if option.correct else "✗ ") + label(option.label),
                    option.chosen,
                    local(option.misconception),
                ]
                for option in question.options
            ]
            charts.show(charts.table([t("Answer"), t("Chosen"), t("Misconception")], rows))


def render() -> None:
    st.title(t("Class dashboard"))
    school_class = class_picker()
    if school_class is None:
        return
    with db() as session:
        board = dashboard.class_dashboard(session, staff(), school_class.id, catalogue())
    if not board.pupils:
        no_pupils()
        return
    _needs_help(board)
    _charts(board)
    _difficult_questions(school_class.id, board)
    print_button(t("Print"))
