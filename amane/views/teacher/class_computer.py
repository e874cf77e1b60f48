"""This computer: a teacher sets a shared computer to one of their classes, so that its pupils
start at their names instead of typing the class code (and come back to them after each pupil
signs out), or sets it back to the class-code door. The choice is a signed cookie of this
browser (see auth.set_class_computer); nothing is stored in the database."""

from __future__ import annotations

import streamlit as st

from amane.i18n import t
from amane.services import classes
from amane.views import auth
from amane.views.common import db, plain, staff

CHOICE = "class_computer_choice"
_DONE = "amane_class_computer_done"  # the class just chosen: the page says what happens next


def _own_classes() -> list[classes.ClassInfo]:
    """The classes the signed-in teacher may set this computer to: their own, not archived (an
    admin: every class of the school)."""
    with db() as session:
        return classes.list_classes(session, staff())


def _choose() -> None:
    """Only a class of the teacher's own list can be chosen, checked again at the click."""
    chosen = next((c for c in _own_classes() if c.id == st.session_state.get(CHOICE)), None)
    if chosen is not None:
        auth.set_class_computer(chosen.join_code)
        st.session_state[_DONE] = chosen.name


def _clear() -> None:
    auth.set_class_computer(None)


def _current() -> None:
    """What this computer opens at now, and the way back to the class code."""
    code = auth.class_computer()
    door = None
    if code:
        with db() as session:
            door = classes.open_class(session, code)
    done = st.session_state.pop(_DONE, None)
    if done:
        st.success(
            t(
                "Done. Once you sign out, this computer opens at the names of {class_name}.",
                class_name=plain(done),
            )
        )
    elif door is not None:
        st.info(t("This computer opens at the names of {class_name}.", class_name=plain(door.name)))
    elif code:
        st.warning(
            t("This computer was set to a class that is archived or deleted: it opens at the class code.")
        )
    else:
        st.info(t("This computer opens at the class code."))
    if code:
        st.button(t("Back to the class code on this computer"), key="class_computer_clear", on_click=_clear)


def render() -> None:
    st.title(t("This computer"))
    st.write(
        t(
            "Is this computer shared by the pupils of one class? Set it to the class: pupils then start "
            "at their names, without typing the class code, and the names come back after each pupil "
            "signs out. Pupils of another class can still type their code."
        )
    )
    _current()
    mine = _own_classes()
    if not mine:
        st.info(t("You have no class yet. Create one on My classes."))
        return
    names = {c.id: c.name for c in mine}
    with st.form("class_computer"):
        st.selectbox(t("Class"), list(names), format_func=lambda class_id: names[class_id], key=CHOICE)
        st.form_submit_button(t("Set this computer to this class"), type="primary", on_click=_choose)
