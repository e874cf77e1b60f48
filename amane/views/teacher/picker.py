"""Choosing one of the acting teacher's classes (shared by the teacher pages), and what those
pages say while there is no class, or no pupil in it, yet."""

from __future__ import annotations

import streamlit as st

from amane.i18n import t
from amane.services import accounts, classes, last_class
from amane.views import state
from amane.views.common import db, page_link, staff
from amane.views.first_steps import next_steps


def _label(school_class: classes.ClassInfo) -> str:
    if school_class.archived_at is not None:
        return t("{name} (archived)", name=school_class.name)
    return school_class.name


def class_picker(include_archived: bool = False, here: str | None = None) -> classes.ClassInfo | None:
    """The class chosen, or None (after saying what to do) when there is none. `here`: the url of
    the page calling, so that its empty state does not send it to itself."""
    with db() as session:
        mine = classes.list_classes(session, staff(), include_archived=include_archived)
    if not mine:
        _no_class(here)
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
    _remember(chosen)
    return by_id[chosen]


def _remember(class_id: int) -> None:
    """The class on screen is where this teacher's next sign-in lands: saved when it changes (the
    sign-in sets LAST_CLASS to what is saved, so opening it again writes nothing)."""
    if st.session_state.get(state.LAST_CLASS) == class_id:
        return
    with db() as session:
        last_class.remember_class(session, staff(), class_id)
    st.session_state[state.LAST_CLASS] = class_id


def _picked() -> None:
    st.session_state[state.CLASS] = st.session_state["class_picker"]


def _new_school() -> bool:
    """An admin's school with no teacher account and no class yet (archived ones count)."""
    with db() as session:
        members = accounts.list_staff(session, staff())
        any_class = classes.list_classes(session, staff(), include_archived=True)
    return not any_class and all(member.role == "admin" for member in members)


def _no_class(here: str | None) -> None:
    if staff().is_admin and _new_school():
        st.subheader(t("Your school's first steps"))
        next_steps(here=here)
    elif here == "classes":
        st.info(
            t(
                "You have no class yet: give it a name and an age band in “{form}” above.",
                form=t("Create a class"),
            )
        )
    else:
        st.info(t("You have no class yet. Create one in My classes."))
        page_link("classes", t("My classes"), "🏫")


def no_pupils() -> None:
    """What a class page says while the class has no pupil."""
    st.info(t("No pupils in this class yet. Add them in My classes, on the Pupils tab."))
    page_link("classes", t("My classes"), "🏫")
