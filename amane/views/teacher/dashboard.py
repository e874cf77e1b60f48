"""The class dashboard: who needs help first, then progress, scores per topic, activity, and
the quiz questions the class finds hardest."""

from __future__ import annotations

import html
import textwrap
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from babel.dates import format_skeleton

from amane.i18n import BABEL_LOCALES, current_language, direction, t, tn
from amane.models.content import LocalText
from amane.services import dashboard, lesson_status
from amane.views import state
from amane.views.common import catalogue, db, label, local, plain, print_button, staff
from amane.views.labels import TOPIC_NAMES
from amane.views.teacher import help_card
from amane.views.teacher.picker import class_picker, no_pupils

STATUS_LEVEL = {"new": 0, "in_progress": 1, "done": 2}
# Light grey, amber, blue: apart for colour-blind readers; the symbols carry the meaning anyway.
# Cell text is dark on the light cells and white on the dark blue one: 4.5:1 or more.
STATUS_COLOURS = [[0.0, "#eeeeee"], [0.5, "#f6c453"], [1.0, "#1f5fa8"]]


def reason_text(reason: dashboard.Reason) -> str:
    params = {key: local(v) if isinstance(v, LocalText) else v for key, v in reason.params.items()}
    return t(reason.message, **params)


def _layout(figure: go.Figure, title: str, x_title: str, y_title: str, height: int = 320) -> go.Figure:
    rtl = direction() == "rtl"
    figure.update_layout(
        title={"text": title, "x": 1 if rtl else 0, "xanchor": "right" if rtl else "left"},
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        xaxis={"title": x_title, "autorange": "reversed" if rtl else True},
        yaxis={"title": y_title, "side": "right" if rtl else "left"},
        showlegend=False,
    )
    return figure


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
        with columns[index % 2].container(border=True):
            st.markdown(f"**{plain(entry.name)}**")
            for request in entry.requests:  # each open request, instead of their count
                help_card.request_card(request, "dashboard")
            for reason in entry.reasons:
                if reason.kind != "help_request":
                    st.markdown("- " + reason_text(reason))
            if st.button(t("Open {name}'s page", name=plain(entry.name)), key=f"needs_help_{entry.pupil_id}"):
                open_pupil(entry.pupil_id)
                st.rerun()


def heatmap(board: dashboard.ClassDashboard) -> go.Figure:
    lessons = [local(lesson.title) for lesson in board.lessons]
    names = [html.escape(name, quote=False) for _, name in board.pupils]  # Plotly renders <b>, <a>, <br>
    rows = [
        [board.cell(pupil_id, lesson.lesson_id) for lesson in board.lessons] for pupil_id, _ in board.pupils
    ]
    figure = go.Figure(
        go.Heatmap(
            z=[[STATUS_LEVEL[cell.status] for cell in row] for row in rows],
            x=lessons,
            y=names,
            text=[[cell.text for cell in row] for row in rows],
            texttemplate="%{text}",
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
            colorscale=STATUS_COLOURS,
            zmin=0,
            zmax=2,
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    titles_height, row_height = 150, 32  # room for the slanted lesson titles on top; one row a pupil
    height = titles_height + 20 + row_height * len(names)  # a small class keeps readable rows
    _layout(figure, t("Pupils and lessons"), t("Lesson"), t("Pupil"), height=height)
    figure.update_yaxes(autorange="reversed")  # first pupil on top
    figure.update_xaxes(side="top", autorange="reversed" if direction() == "rtl" else True)
    figure.update_layout(title=None, margin={"t": titles_height})
    return figure


def completion_chart(board: dashboard.ClassDashboard) -> go.Figure:
    """Horizontal bars: lesson titles read level beside their bar, however many lessons (slanted
    titles under upright bars overlapped in a half-width column)."""
    figure = go.Figure(
        go.Bar(
            x=[round(100 * lesson.completion) for lesson in board.lessons],
            y=[_wrapped(local(lesson.title)) for lesson in board.lessons],
            text=[f"{lesson.done}/{lesson.pupils}" for lesson in board.lessons],
            orientation="h",
            textposition="auto",
            marker_color="#4c8bd6",
        )
    )
    height = max(320, 110 + 44 * len(board.lessons))
    _layout(figure, t("Lesson completed (% of pupils)"), t("% of pupils"), t("Lesson"), height=height)
    figure.update_xaxes(autorangeoptions={"include": [0, 100]})  # 0-100 and still reversed in Arabic
    figure.update_yaxes(autorange="reversed")  # first lesson on top
    return figure


def _wrapped(title: str, width: int = 32) -> str:
    """A lesson title on short lines, so the bars keep most of the width (escaped: Plotly renders
    <b>, <a>, <br>)."""
    return "<br>".join(html.escape(line, quote=False) for line in textwrap.wrap(title, width))


def _day(day: date) -> str:
    """A day as the locale writes it short (28/11 in French): fourteen fit level under the bars.
    Without the Arabic right-to-left marks, which a chart's SVG text lays out as 612/ for 6/12."""
    return format_skeleton("dM", day, locale=BABEL_LOCALES[current_language()]).replace("\u200f", "")


def topic_chart(board: dashboard.ClassDashboard) -> go.Figure:
    figure = go.Figure(
        go.Bar(
            x=[t(TOPIC_NAMES.get(topic.topic, topic.topic)) for topic in board.topics],
            y=[round(topic.average_percent) for topic in board.topics],
            text=[f"{round(topic.average_percent)}%" for topic in board.topics],
            textposition="auto",
            marker_color="#7a5cc2",
        )
    )
    _layout(figure, t("Average best quiz score per topic"), t("Topic"), t("Average score (%)"))
    figure.update_yaxes(range=[0, 100])
    return figure


def activity_chart(board: dashboard.ClassDashboard) -> go.Figure:
    days = [_day(day.day) for day in board.activity]
    figure = go.Figure(
        [
            go.Bar(name=t("Lesson steps"), x=days, y=[day.steps for day in board.activity]),
            go.Bar(name=t("Quiz answers"), x=days, y=[day.answers for day in board.activity]),
        ]
    )
    title = tn("Activity over the last {n} day", "Activity over the last {n} days", dashboard.ACTIVITY_DAYS)
    _layout(figure, title, t("Day"), t("Count"))
    figure.update_layout(barmode="group", showlegend=True, legend={"orientation": "h"})
    return figure


def _charts(board: dashboard.ClassDashboard) -> None:
    st.header(t("Progress"))
    st.caption(t(lesson_status.LEGEND))
    st.plotly_chart(
        heatmap(board),
        key="dashboard_heatmap",
        config={"displayModeBar": False},
        alt=t("Pupils and lessons"),
    )
    # One chart a row: lesson and topic names need the width (side by side, they overlapped).
    st.plotly_chart(completion_chart(board), key="dashboard_completion", config={"displayModeBar": False})
    if board.topics:
        st.plotly_chart(topic_chart(board), key="dashboard_topics", config={"displayModeBar": False})
    else:
        st.info(t("No quiz finished yet."))
    st.plotly_chart(activity_chart(board), key="dashboard_activity", config={"displayModeBar": False})


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
            frame = pd.DataFrame(
                [
                    [
                        ("✔ " if option.correct else "✗ ") + label(option.label),
                        option.chosen,
                        local(option.misconception),
                    ]
                    for option in question.options
                ],
                columns=[t("Answer"), t("Chosen"), t("Misconception")],
            )
            st.table(frame, hide_index=True)


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
