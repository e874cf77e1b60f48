"""Class progress: a table of pupils x lessons with status and best quiz score."""

from __future__ import annotations

import streamlit as st

from amane.i18n import t
from amane.services import exports, lesson_status
from amane.views.common import catalogue, db, lang, local, plain, print_button, staff
from amane.views.teacher.picker import class_picker, no_pupils


def render() -> None:
    st.title(t("Class progress"))
    school_class = class_picker()
    if school_class is None:
        return
    with db() as session:
        table = lesson_status.class_grid(session, staff(), school_class.id, catalogue())
    content = catalogue()
    lessons = [content.lesson(lesson_id) for lesson_id in table.lesson_ids]
    if not table.pupils:
        no_pupils()
        return
    st.caption(t(lesson_status.LEGEND))
    import pandas as pd  # here, not at the top: only this page needs it (st.table), ~80 MiB

    frame = pd.DataFrame(
        [
            [plain(name), *[table.cell(pupil_id, lesson.id).text for lesson in lessons]]
            for pupil_id, name in table.pupils
        ],
        columns=[t("Pupil"), *[local(lesson.title) for lesson in lessons]],
    )
    st.table(frame.set_index(t("Pupil")))
    actor, class_id, language = staff(), school_class.id, lang()

    def progress_csv() -> str:
        with db() as session:
            return exports.dashboard_csv(session, actor, class_id, content, language)

    def quiz_csv() -> str:
        with db() as session:
            return exports.quiz_results_csv(session, actor, class_id, content, language)

    left, middle, right = st.columns(3)
    left.download_button(
        t("Download this table (CSV)"),
        data=progress_csv,
        mime="text/csv",
        file_name=f"amane-progress-{class_id}.csv",
        key="csv_progress",
    )
    middle.download_button(
        t("Download quiz results (CSV)"),
        data=quiz_csv,
        mime="text/csv",
        file_name=f"amane-quiz-results-{class_id}.csv",
        key="csv_quiz",
    )
    with right:
        print_button(t("Print"))
