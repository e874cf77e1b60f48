"""Class progress: a table of pupils x lessons with status and best quiz score."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from i18n import t
from services import reports
from views.common import catalogue, db, local, staff
from views.teacher.picker import class_picker

SYMBOLS = {"new": "—", "in_progress": "◐", "done": "✔"}


def cell_text(cell: reports.Cell) -> str:
    text = SYMBOLS[cell.status]
    if cell.percent is not None:
        text += f" {cell.percent}%"
    return text


def render() -> None:
    st.title(t("Class progress"))
    school_class = class_picker()
    if school_class is None:
        return
    with db() as session:
        table = reports.class_table(session, staff(), school_class.id)
    content = catalogue()
    lessons = [content.lesson(lesson_id) for lesson_id in table.lesson_ids if content.lesson(lesson_id)]
    if not table.pupils:
        st.info(t("No pupils yet. Add them in My classes."))
        return
    st.caption(t("— not started · ◐ in progress · ✔ done · % best quiz score"))
    frame = pd.DataFrame(
        [
            [name, *[cell_text(table.cell(pupil_id, lesson.id)) for lesson in lessons]]
            for pupil_id, name in table.pupils
        ],
        columns=[t("Pupil"), *[local(lesson.title) for lesson in lessons]],
    )
    st.table(frame.set_index(t("Pupil")))
