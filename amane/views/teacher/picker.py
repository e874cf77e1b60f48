"""Choosing one of the acting teacher's classes (shared by the teacher pages)."""

from __future__ import annotations

import streamlit as st

from amane.i18n import t
from amane.services import classes
from amane.views import state
from amane.views.common import db, staff


def _label(school_class: classes.ClassInfo) -> str:
    if school_class.archived_at is not None:
        return t("{name} (archived)", name=school_class.name)
    return school_class.name


def class_picker(include_archived: bool = False) -> classes.ClassInfo | None:
    with db() as session:
        mine = classes.list_classes(session, staff(), include_archived=include_archived)
    if not mine:
        st.info(t("You have no class yet. Create one in My classes."))
        return None
    by_id = {c.id: c for c in mine}
    labels = {c.id: _label(c) for c in mine}  # a school's admin may have hundreds of classes
    ids = list(by_id)
    if st.session_state.get(state.CLASS) not in ids:
        st.session_state[state.CLASS] = ids[0]
    st.session_state["class_picker"] = st.session_state[state.CLASS]  # a page may choose the class too
    chosen = st.selectbox(
        t("Class"),
        ids,
        format_func=labels.__getitem__,
        key="class_picker",
        on_change=_picked,
    )
    return by_id[chosen]


def _picked() -> None:
    st.session_state[state.CLASS] = st.session_state["class_picker"]
