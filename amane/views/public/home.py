"""Pupil sign-in: class code, then tap your name, then tap your pictures. On a class computer (a
teacher set this computer to their class, see teacher/class_computer.py) the door opens at the
class's names, and "Another class?" leads to the class-code field."""

from __future__ import annotations

import streamlit as st

from amane.i18n import t, tn
from amane.services import classes
from amane.services.errors import ServiceError
from amane.services.pictures import PICTURES
from amane.services.rules import MAX_CLASS_CODE_INPUT
from amane.views import auth, client, state
from amane.views.common import back, db, lang, plain, set_default_language, show_error
from amane.views.widgets import PICTURE_EMOJI, picture_label

DOOR = "amane_door"
CHOSEN = "amane_door_pupil"  # (pupil id, name, how many pictures their card has)
TAPPED = "amane_tapped"
ERROR = "amane_pupil_error"
OTHER_CLASS = "amane_door_other_class"  # "Another class?" tapped on a class computer
COMPUTER_DOOR = "amane_door_computer"  # (class code, its door or None): the class computer's door


def _reset(to: str = "code") -> None:
    if to == "code":
        st.session_state.pop(DOOR, None)
        st.session_state.pop(COMPUTER_DOOR, None)
    for key in (CHOSEN, TAPPED, ERROR):
        st.session_state.pop(key, None)


def _class_computer_door() -> classes.ClassDoor | None:
    """The class this computer is set to, unless a pupil asked for another class; read once per
    pupil and again whenever the setting changes. An archived or deleted class, or a cookie we
    did not sign, gives the class-code door."""
    code = auth.class_computer()
    if not code or st.session_state.get(OTHER_CLASS):
        return None
    read_for, door = st.session_state.get(COMPUTER_DOOR, (None, None))
    if read_for != code:
        with db() as session:
            door = classes.open_class(session, code)
        st.session_state[COMPUTER_DOOR] = (code, door)
        if door is not None:
            before = lang()
            set_default_language(door.language)
            if lang() != before:
                st.rerun()  # the bar above the page is already drawn in the other language
    return door


def _another_class() -> None:
    _reset("code")
    st.session_state[OTHER_CLASS] = True


def _back_to_names() -> None:
    st.session_state.pop(OTHER_CLASS, None)


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
    if st.session_state.get(OTHER_CLASS) and auth.class_computer():
        st.button(
            back(t("Back to the names")),
            key="class_computer_names",
            type="tertiary",
            on_click=_back_to_names,
        )
    if go:
        try:
            with db() as session:
                door = classes.open_class(session, code, client.key())
        except classes.TryLater as error:
            st.info(t(error.message), icon="⏳")
            return
        if door is None:
            st.error(t("We could not find this class. Check the code with your teacher."))
        else:
            st.session_state[DOOR] = door
            set_default_language(door.language)
            st.rerun()


def _choose(door: classes.ClassDoor, pupil_id: int, name: str) -> None:
    with db() as session:
        taps = classes.pictures_to_tap(session, door.class_id, pupil_id)
    st.session_state[CHOSEN] = (pupil_id, name, taps)
    _start_again()


def _start_again() -> None:
    st.session_state[TAPPED] = []
    st.session_state.pop(ERROR, None)


def _name_step(door: classes.ClassDoor) -> None:
    st.subheader(t("Tap your name"))
    st.caption(plain(door.name))
    _door_message()
    if not door.pupils:
        st.info(t("This class has no pupils yet. Ask your teacher."))
    with st.container(key="door-names"):
        for pupil_id, name in door.pupils:
            st.button(
                plain(name),
                key=f"name_{pupil_id}",
                use_container_width=True,
                on_click=_choose,
                args=(door, pupil_id, name),
            )
    if door.join_code == auth.class_computer():
        st.button(t("Another class?"), key="another_class", type="tertiary", on_click=_another_class)
    elif st.button(t("This is not my class"), key="not_my_class"):
        _reset("code")
        st.rerun()


def _tap(door: classes.ClassDoor, pupil_id: int, taps: int, picture: str) -> None:
    st.session_state.pop(ERROR, None)
    tapped: list[str] = st.session_state.setdefault(TAPPED, [])
    tapped.append(picture)
    if len(tapped) == taps:
        _check(door, pupil_id, tapped)


def _picture_step(door: classes.ClassDoor, pupil_id: int, name: str, taps: int) -> None:
    """`taps`: as many as the pupil's card has pictures (3 on a card printed before 16 pictures)."""
    st.subheader(
        tn(
            "Hello {name}! Tap your {n} picture in order.",
            "Hello {name}! Tap your {n} pictures in order.",
            taps,
            name=plain(name),
        )
    )
    tapped: list[str] = st.session_state.setdefault(TAPPED, [])
    shown = " ".join(PICTURE_EMOJI[p] for p in tapped) + " ◻️" * (taps - len(tapped))
    with st.container(key="door-tapped"):
        st.markdown(shown)
    _door_message()
    with st.container(key="door-pictures"):
        for picture in PICTURES:
            st.button(
                picture_label(picture),
                key=f"pic_{picture}",
                use_container_width=True,
                on_click=_tap,
                args=(door, pupil_id, taps, picture),
            )
    left, right = st.columns(2)
    left.button(t("Start my pictures again"), key="pictures_again", on_click=_start_again)
    right.button(t("This is not me"), key="not_me", on_click=_reset, args=("name",))


def _check(door: classes.ClassDoor, pupil_id: int, tapped: list[str]) -> None:
    try:
        with db() as session:
            actor = classes.pupil_sign_in(session, door.join_code, pupil_id, tapped, client.key())
    except (classes.WrongPictures, classes.PupilLocked, classes.TryLater) as error:
        st.session_state[ERROR] = error
        st.session_state[TAPPED] = []
        return
    except ServiceError as error:  # the pupil or their class is gone: read the door again
        _reset("code")
        st.session_state[ERROR] = error
        return
    _reset("code")
    st.session_state[state.PUPIL] = actor
    set_default_language(door.language)


def _door_message() -> None:
    """What went wrong at the last try, gently: a child of six reads it. It stays until the next
    tap, while the child reads it."""
    error = st.session_state.get(ERROR)
    if isinstance(error, classes.WrongPictures):
        kind = t("That's okay, everyone makes mistakes!")
        st.info(f"{kind} {t(error.message, **error.params)}", icon="🌱")
    elif isinstance(error, classes.TryLater):
        st.info(t(error.message), icon="⏳")
    elif isinstance(error, classes.PupilLocked):
        st.warning(t(error.message, **error.params), icon="🧑‍🏫")
    elif error:
        show_error(error)


def render() -> None:
    door = st.session_state.get(DOOR) or _class_computer_door()
    chosen = st.session_state.get(CHOSEN)
    if door is None or chosen is None:  # the pictures need the room on a phone
        st.title(t("Welcome to Amane"))
    if st.session_state.pop(state.SIGNED_OUT_IDLE, False):
        st.info(t("You were signed out because nobody used the computer for a while."))
    if door is None:
        st.write(t("Learn to stay safe and kind online."))
        _code_step()
    elif chosen is None:
        _name_step(door)
    else:
        _picture_step(door, *chosen)
