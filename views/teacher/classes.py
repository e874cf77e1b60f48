"""My classes: create a class, add pupils by pasting names, manage pupils' sign-in."""

from __future__ import annotations

import streamlit as st

from i18n import ltr, t
from models.content import BANDS
from services import classes
from services.errors import ServiceError
from views.common import catalogue, db, plain, show_error, staff
from views.public.home import picture_label
from views.teacher.picker import class_picker

LANGUAGE_LABELS = {"ar": "العربية", "fr": "Français", "en": "English"}
NEW_CARDS = "amane_new_cards"


def _create_form() -> None:
    with st.expander(t("Create a class"), expanded=False), st.form("create_class", clear_on_submit=False):
        name = st.text_input(t("Class name"), max_chars=60, placeholder=t("e.g. 5th grade A"))
        band = st.selectbox(t("Age band"), BANDS, format_func=lambda b: t("{band} years", band=ltr(b)))
        language = st.selectbox(t("Class language"), list(LANGUAGE_LABELS), format_func=LANGUAGE_LABELS.get)
        if st.form_submit_button(t("Create the class"), type="primary"):
            lesson_ids = [lesson.id for lesson in catalogue().lessons_for_band(band)]
            try:
                with db() as session:
                    created = classes.create_class(session, staff(), name, band, language, lesson_ids)
            except ServiceError as error:
                show_error(error)
                return
            st.session_state["amane_class"] = created.id
            st.success(t("Class created. Its code is {code}.", code=created.join_code))


def _cards(cards: list[tuple[str, tuple[str, ...]]], code: str) -> None:
    st.subheader(t("Sign-in cards"))
    st.caption(
        t(
            "Print this page now: picture passwords are shown only once. "
            "You can give a pupil new pictures at any time."
        )
    )
    columns = st.columns(3)
    for index, (name, pictures) in enumerate(cards):
        with columns[index % 3].container(border=True):
            st.markdown(f"**{plain(name)}**")
            st.markdown(t("Class code: **{code}**", code=code))
            st.markdown(" → ".join(picture_label(p) for p in pictures))


def render() -> None:
    st.title(t("My classes"))
    _create_form()
    school_class = class_picker()
    if school_class is None:
        return
    st.markdown(
        t(
            "Class code: **{code}** · Age band: {band} · Language: {language}",
            code=school_class.join_code,
            band=ltr(school_class.age_band),
            language=LANGUAGE_LABELS[school_class.language],
        )
    )
    with st.form("add_pupils"):
        pasted = st.text_area(
            t("Add pupils: one first name or nickname per line"),
            height=150,
            help=t("Use a first name or a nickname only: no surnames, emails or birthdays."),
        )
        added = st.form_submit_button(t("Add pupils"))
    if added:
        try:
            with db() as session:
                result = classes.add_pupils(session, staff(), school_class.id, pasted)
        except ServiceError as error:
            show_error(error)
        else:
            if result.added:
                st.success(t("{n} pupils added.", n=len(result.added)))
                st.session_state[NEW_CARDS] = (
                    school_class.id,
                    [(p.pupil.display_name, p.pictures) for p in result.added],
                )
            if result.duplicates:
                st.warning(
                    t(
                        "Already in the class, not added again: {names}",
                        names=", ".join(plain(n) for n in result.duplicates),
                    )
                )
            if result.too_long:
                st.warning(
                    t(
                        "Names longer than 40 characters were not added: {names}",
                        names=", ".join(plain(n) for n in result.too_long),
                    )
                )
            if result.blank_lines:
                st.caption(t("{n} empty lines were skipped.", n=result.blank_lines))
            if not (result.added or result.duplicates or result.too_long):
                st.warning(t("Type at least one name."))
    cards = st.session_state.get(NEW_CARDS)
    if cards and cards[0] == school_class.id:
        _cards(cards[1], school_class.join_code)
    with db() as session:
        pupils = classes.list_pupils(session, staff(), school_class.id)
    st.subheader(t("Pupils ({n})", n=len(pupils)))
    for pupil in pupils:
        name_col, state_col, action_col = st.columns([3, 2, 2])
        name_col.markdown(plain(pupil.display_name))
        state_col.markdown("🔒 " + t("Locked") if pupil.locked else "")
        if action_col.button(t("New pictures"), key=f"reset_{pupil.id}"):
            with db() as session:
                pictures = classes.reset_pictures(session, staff(), pupil.id)
            st.session_state[NEW_CARDS] = (school_class.id, [(pupil.display_name, pictures)])
            st.rerun()
