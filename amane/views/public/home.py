"""Pupil sign-in: class code, then tap your name, then tap your pictures."""

from __future__ import annotations

import streamlit as st

from amane.i18n import t, tn
from amane.services import classes
from amane.services.errors import ServiceError
from amane.services.pictures import PICTURES
from amane.services.rules import MAX_CLASS_CODE_INPUT, PICTURE_PASSWORD_LENGTH
from amane.views import state
from amane.views.common import db, plain, set_default_language, show_error
from amane.views.widgets import PICTURE_EMOJI, picture_label

DOOR = "amane_door"
CHOSEN = "amane_door_pupil"
TAPPED = "amane_tapped"


def _reset(to: str = "code") -> None:
    if to == "code":
        st.session_state.pop(DOOR, None)
    st.session_state.pop(CHOSEN, None)
    st.session_state.pop(TAPPED, None)


def _code_step() -> None:
    st.subheader(t("Type your class code"))
    with st.form("class_code"):
        code = st.text_input(
            t("Class code"),
            max_chars=MAX_CLASS_CODE_INPUT,
            placeholder="ABCD 2345",
            help=t("Your teacher writes it on the board."),
        )
        go = st.form_submit_button(t("Go"), type="primary")
    if go:
        with db() as session:
            door = classes.open_class(session, code)
        if door is None:
            st.error(t("We could not find this class. Check the code with your teacher."))
        else:
            st.session_state[DOOR] = door
            set_default_language(door.language)
            st.rerun()


def _name_step(door: classes.ClassDoor) -> None:
    st.subheader(t("Tap your name"))
    st.caption(plain(door.name))
    if not door.pupils:
        st.info(t("This class has no pupils yet. Ask your teacher."))
    columns = st.columns(3)
    for index, (pupil_id, name) in enumerate(door.pupils):
        if columns[index % 3].button(plain(name), key=f"name_{pupil_id}", use_container_width=True):
            st.session_state[CHOSEN] = (pupil_id, name)
            st.session_state[TAPPED] = []
            st.rerun()
    if st.button(t("This is not my class"), key="not_my_class"):
        _reset("code")
        st.rerun()


def _picture_step(door: classes.ClassDoor, pupil_id: int, name: str) -> None:
    st.subheader(
        tn(
            "Hello {name}! Tap your {n} picture in order.",
            "Hello {name}! Tap your {n} pictures in order.",
            PICTURE_PASSWORD_LENGTH,
            name=plain(name),
        )
    )
    tapped: list[str] = st.session_state.setdefault(TAPPED, [])
    shown = " ".join(PICTURE_EMOJI[p] for p in tapped) + " ◻️" * (PICTURE_PASSWORD_LENGTH - len(tapped))
    st.markdown(f"### {shown}")
    columns = st.columns(3)
    for index, picture in enumerate(PICTURES):
        if columns[index % 3].button(picture_label(picture), key=f"pic_{picture}", use_container_width=True):
            tapped.append(picture)
            if len(tapped) == PICTURE_PASSWORD_LENGTH:
                _check(door, pupil_id, tapped)
            st.rerun()
    left, right = st.columns(2)
    if left.button(t("Start my pictures again"), key="pictures_again"):
        st.session_state[TAPPED] = []
        st.rerun()
    if right.button(t("This is not me"), key="not_me"):
        _reset("name")
        st.rerun()


def _check(door: classes.ClassDoor, pupil_id: int, tapped: list[str]) -> None:
    try:
        with db() as session:
            actor = classes.pupil_sign_in(session, door.class_id, pupil_id, tapped)
    except ServiceError as error:
        st.session_state["amane_pupil_error"] = error
        st.session_state[TAPPED] = []
        return
    _reset("code")
    st.session_state[state.PUPIL] = actor
    set_default_language(door.language)


def render() -> None:
    st.title(t("Welcome to Amane"))
    st.write(t("Learn to stay safe and kind online."))
    if st.session_state.pop(state.SIGNED_OUT_IDLE, False):
        st.info(t("You were signed out because nobody used the computer for a while."))
    error = st.session_state.pop("amane_pupil_error", None)
    if error:
        show_error(error)
    door = st.session_state.get(DOOR)
    chosen = st.session_state.get(CHOSEN)
    if door is None:
        _code_step()
    elif chosen is None:
        _name_step(door)
    else:
        _picture_step(door, *chosen)
