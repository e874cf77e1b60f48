"""One pupil's record for their teacher: help requests, lessons, choices tried in stories, every
quiz answer."""

from __future__ import annotations

import streamlit as st

from amane.i18n import t
from amane.services import help_requests, lesson_status, pupil_report
from amane.services.errors import ServiceError
from amane.views import charts, state
from amane.views.common import back, catalogue, db, label, local, plain, show_error, staff
from amane.views.teacher import help_card


def _given(answer: pupil_report.AnswerReport) -> str:
    joiner = " → " if answer.kind == "ordering" else ", "
    return joiner.join(label(item) for item in answer.given)


def _lesson(lesson: pupil_report.PupilLesson) -> None:
    heading = f"{lesson_status.SYMBOLS[lesson.status]} {label(lesson.title)}"
    if lesson.best_percent is not None:
        heading += f" · {lesson.best_percent}%"
    with st.expander(heading, expanded=lesson.status != "new"):
        line = t(lesson_status.NAMES[lesson.status])
        if lesson.status != "new":
            line += " · " + t(
                "Step reached: {step} of {total}", step=lesson.furthest_step + 1, total=lesson.total_steps
            )
        if not lesson.assigned:
            line += " · " + t("No longer assigned")
        st.markdown(line)
        if lesson.scenarios:
            st.subheader(t("Choices tried in the stories"))
            for scenario in lesson.scenarios:
                st.markdown(f"**{local(scenario.question)}**")
                for number, (text, best) in enumerate(scenario.tries, start=1):
                    mark = "✔ " + t("best choice") if best else "✗ " + t("not the best choice")
                    st.markdown(f"{number}. {local(text)} ({mark})")
        for attempt in lesson.attempts:
            if attempt.finished_at is not None:
                st.subheader(
                    t(
                        "Quiz try {number}: {score}/{max} ({percent}%)",
                        number=attempt.number,
                        score=attempt.score,
                        max=attempt.max_score,
                        percent=attempt.percent,
                    )
                )
                st.caption(help_card.date_time(attempt.finished_at))
            else:
                st.subheader(t("Quiz try {number}: not finished", number=attempt.number))
            if attempt.answers:
                # keyed for staff.css: the short Result column keeps its width beside long questions
                rows = [
                    [
                        label(answer.prompt),
                        _given(answer),
                        "✔ " + t("right") if answer.correct else "✗ " + t("wrong"),
                    ]
                    for answer in attempt.answers
                ]
                header = [t("Quiz question"), t("Answer given"), t("Result")]
                with st.container(key=f"quiz_answers_{attempt.number}_{lesson.lesson_id}"):
                    charts.show(charts.table(header, rows))


def _help_requests(requests: list[help_requests.InboxItem]) -> None:
    """The pupil's help requests, newest first, as the help inbox shows them."""
    if not requests:
        return
    st.header(t("Help requests"))
    for item in requests:
        help_card.request_card(item.request, "pupil", item.changed_by)


def render() -> None:
    if st.button(back(t("Class dashboard")), key="pupil_detail_back"):
        st.session_state[state.GOTO] = "dashboard"
        st.rerun()
    pupil_id = st.session_state.get(state.PUPIL_DETAIL)
    if pupil_id is None:
        st.title(t("Pupil"))
        st.info(t("Choose a pupil on the class dashboard."))
        return
    try:
        with db() as session:
            report = pupil_report.pupil_report(session, staff(), pupil_id, catalogue())
            requests = help_requests.inbox(session, staff(), pupil_id=pupil_id)
    except ServiceError as error:
        st.title(t("Pupil"))
        show_error(error)
        return
    st.title(plain(report.name))
    st.caption(t("Class: {name}", name=plain(report.class_name)))
    _help_requests(requests)
    st.caption(t(lesson_status.LEGEND))
    if not report.lessons:
        st.info(t("No lessons assigned to this class yet."))
    for lesson in report.lessons:
        _lesson(lesson)
