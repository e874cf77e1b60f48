"""Choosing one of the acting teacher's classes (shared by the teacher pages)."""

from __future__ import annotations

import streamlit as st

from i18n import t
from models.tables import SchoolClass
from services import classes
from views.common import db, staff

CURRENT = "amane_class"


def class_picker() -> SchoolClass | None:
    with db() as session:
        mine = classes.list_classes(session, staff())
    if not mine:
        st.info(t("You have no class yet. Create one in My classes."))
        return None
    ids = [c.id for c in mine]
    current = st.session_state.get(CURRENT)
    chosen = st.selectbox(
        t("Class"),
        ids,
        index=ids.index(current) if current in ids else 0,
        format_func=lambda i: next(c.name for c in mine if c.id == i),
        key="class_picker",
    )
    st.session_state[CURRENT] = chosen
    return next(c for c in mine if c.id == chosen)
