"""My classes: create and edit classes, add and manage pupils, choose the lessons, and print
sign-in cards."""

from __future__ import annotations

import json

import streamlit as st

from amane.classroom import qr_png, this_computer_only
from amane.i18n import LANGUAGE_NAMES, LANGUAGES, N_, direction, ltr, t, tn
from amane.models.content import BANDS
from amane.services import assignments, classes, privacy
from amane.services.errors import ServiceError
from amane.services.rules import (
    MAX_CLASS_NAME_LENGTH,
    MAX_PASTE_CHARS,
    MAX_PUPIL_NAME_LENGTH,
    PICTURE_PASSWORD_LENGTH,
    PICTURE_SET_SIZE,
)
from amane.settings import get_settings
from amane.views import forms, state
from amane.views.common import (
    catalogue,
    db,
    lang,
    local,
    plain,
    print_button,
    public_address,
    show_error,
    staff,
)
from amane.views.teacher import training
from amane.views.teacher.picker import class_picker
from amane.views.widgets import PICTURE_EMOJI, PICTURE_NAMES

NEW_CARDS = "amane_new_cards"  # (class id, [(name, pictures)], notes on the names not added)
NEW_CODE = "amane_new_class_code"  # (class name, code): said once after "Give the class a new code"
CREATE, ADD_PUPILS = "create_class", "add_pupils"  # forms emptied after a save (amane.views.forms)

CLASS_LANGUAGE_HELP = N_(
    "The language of the pupils' screens (each pupil can still choose another), and of the "
    "letter to families."
)


def _band_label(band: str) -> str:
    return t("{band} years", band=ltr(band))


def _create_form(first: bool) -> None:
    """`first`: the teacher has no class yet, so the form starts open."""
    form = forms.key(CREATE)
    # The expander's key changes with the form's: it closes once a class is created.
    with st.expander(t("Create a class"), expanded=first, key=f"{form}_open"), st.form(form):
        name = st.text_input(
            t("Class name"), max_chars=MAX_CLASS_NAME_LENGTH, placeholder=t("e.g. 5th grade A")
        )
        band = st.selectbox(t("Age band"), BANDS, format_func=_band_label)
        language = st.selectbox(
            t("Class language"),
            LANGUAGES,
            index=LANGUAGES.index(lang()),  # the teacher's own, to start with
            format_func=LANGUAGE_NAMES.get,
            help=t(CLASS_LANGUAGE_HELP),
        )
        if st.form_submit_button(t("Create the class"), type="primary"):
            try:
                with db() as session:
                    created = classes.create_class(session, staff(), name, band, language, catalogue())
            except ServiceError as error:
                show_error(error)
            else:
                st.session_state[state.CLASS] = created.id
                forms.saved(CREATE, t("Class created. Its code is {code}.", code=created.join_code))
    forms.show_outcome(CREATE)


def _pictures(pictures: tuple[str, ...], language: str) -> str:
    """The picture password as the pupil sees it on the sign-in screen: in the class's language,
    in order, the arrows following the page's direction."""
    arrow = " ← " if direction(lang()) == "rtl" else " → "
    return arrow.join(f"{PICTURE_EMOJI[p]} {t(PICTURE_NAMES[p], lang=language)}" for p in pictures)


def _cards(cards: list[tuple[str, tuple[str, ...]]], school_class: classes.ClassInfo) -> None:
    st.subheader(t("Sign-in cards"))
    st.caption(
        t(
            "Print this page now: picture passwords are shown only once. "
            "You can give a pupil new pictures at any time."
        )
    )
    address = ltr(plain(public_address()))
    st.markdown(t("Address printed on the cards: {address}", address=address))
    st.caption(t("To print another address, the school sets AMANE_PUBLIC_URL on the server."))
    print_button(t("Print the cards"))
    # Only this container prints (print.css): 8 cards per A4 page, with cut lines.
    with st.container(key="printable-cards"):
        for name, pictures in cards:
            with st.container(border=True):
                st.caption(plain(school_class.name))
                st.markdown(f"**{plain(name)}**")
                st.markdown(t("Class code: **{code}**", code=school_class.join_code))
                st.markdown(_pictures(pictures, school_class.language))
                st.caption(f"🌐 {address}")


def _add_pupils(school_class: classes.ClassInfo) -> None:
    with st.form(forms.key(ADD_PUPILS)):
        pasted = st.text_area(
            t("Add pupils: one first name or nickname per line"),
            height=150,
            max_chars=MAX_PASTE_CHARS,
            help=t("Use a first name or a nickname only: no surnames, emails or birthdays."),
        )
        added = st.form_submit_button(t("Add pupils"))
    forms.show_outcome(ADD_PUPILS)
    if not added:
        return
    try:
        with db() as session:
            result = classes.add_pupils(session, staff(), school_class.id, pasted)
    except ServiceError as error:
        show_error(error)  # no rerun: the names stay in the box
        return
    notes = _notes(result)
    if not result.added:  # nothing saved: the names stay in the box to be corrected
        _show(notes)
        return
    cards = [(p.pupil.display_name, p.pictures) for p in result.added]
    st.session_state[NEW_CARDS] = (school_class.id, cards, notes)
    forms.saved(ADD_PUPILS, tn("{n} pupil added.", "{n} pupils added.", len(result.added)))


def _show(notes: list[tuple[str, str]]) -> None:
    for kind, text in notes:
        getattr(st, kind)(text)


def _notes(result: classes.AddPupilsResult) -> list[tuple[str, str]]:
    """What adding pupils says about the lines it did not add: (st function name, text)."""
    notes = []
    if result.duplicates:
        names = ", ".join(plain(n) for n in result.duplicates)
        notes.append(("warning", t("Already in the class, not added again: {names}", names=names)))
    if result.too_long:
        names = ", ".join(plain(n) for n in result.too_long)
        too_long = tn(
            "Names longer than {n} character were not added: {names}",
            "Names longer than {n} characters were not added: {names}",
            MAX_PUPIL_NAME_LENGTH,
            names=names,
        )
        notes.append(("warning", too_long))
    if result.blank_lines:
        blank = tn("{n} empty line was skipped.", "{n} empty lines were skipped.", result.blank_lines)
        notes.append(("caption", blank))
    if not (result.added or result.duplicates or result.too_long):
        notes.append(("warning", t("Type at least one name.")))
    return notes


def _pupil_actions(school_class: classes.ClassInfo, pupil: classes.PupilInfo) -> None:
    with st.expander(plain(pupil.display_name) + (" 🔒" if pupil.locked else "")):
        if pupil.locked:
            st.warning(t("Locked for a few minutes after too many wrong pictures. Unlock to let them in."))
        with st.form(f"rename_{pupil.id}"):
            new_name = st.text_input(t("Name"), value=pupil.display_name, max_chars=MAX_PUPIL_NAME_LENGTH)
            if st.form_submit_button(t("Rename")):
                try:
                    with db() as session:
                        classes.rename_pupil(session, staff(), pupil.id, new_name)
                except ServiceError as error:
                    show_error(error)
                else:
                    st.rerun()
        left, middle, right = st.columns(3)
        if pupil.locked and left.button(t("Unlock"), key=f"unlock_{pupil.id}"):
            with db() as session:
                classes.unlock_pupil(session, staff(), pupil.id)
            st.rerun()
        if middle.button(t("New pictures"), key=f"reset_{pupil.id}"):
            with db() as session:
                pictures = classes.reset_pictures(session, staff(), pupil.id)
            st.session_state[NEW_CARDS] = (school_class.id, [(pupil.display_name, pictures)], [])
            st.rerun()
        actor, pupil_id = staff(), pupil.id

        def export() -> str:
            with db() as session:
                return json.dumps(
                    privacy.export_pupil(session, actor, pupil_id, catalogue()), ensure_ascii=False, indent=2
                )

        right.download_button(
            t("Download their data"),
            data=export,
            file_name=f"amane-pupil-{pupil.id}.json",
            mime="application/json",
            key=f"export_{pupil.id}",
        )
        sure = st.checkbox(
            t(
                "Delete this pupil and everything about them. This cannot be undone; "
                "backups made before now still hold them."
            ),
            key=f"sure_{pupil.id}",
        )
        if st.button(t("Delete"), key=f"delete_{pupil.id}", disabled=not sure):
            with db() as session:
                privacy.delete_pupil(session, staff(), pupil.id)
            st.success(t("Deleted."))
            st.rerun()


def _pupils_tab(school_class: classes.ClassInfo) -> None:
    if school_class.archived_at is None:
        _add_pupils(school_class)
    batch = st.session_state.get(NEW_CARDS)
    if batch and batch[0] == school_class.id:
        _show(batch[2])  # once, like the form's own message; the cards stay
        st.session_state[NEW_CARDS] = (*batch[:2], [])
        _cards(batch[1], school_class)
    with db() as session:
        pupils = classes.list_pupils(session, staff(), school_class.id)
    st.subheader(t("Pupils ({total})", total=len(pupils)))
    old_cards = sum(1 for pupil in pupils if pupil.old_card)
    if old_cards:  # printed before 16 pictures: easier to guess
        st.warning(
            tn(
                "{n} pupil still has a card with 3 pictures. New cards have {taps} pictures from "
                "{pictures}, much harder to guess: give the whole class new pictures and print the cards.",
                "{n} pupils still have cards with 3 pictures. New cards have {taps} pictures from "
                "{pictures}, much harder to guess: give the whole class new pictures and print the cards.",
                old_cards,
                taps=PICTURE_PASSWORD_LENGTH,
                pictures=PICTURE_SET_SIZE,
            )
        )
        _reset_all(school_class, pupils)
    for pupil in pupils:
        _pupil_actions(school_class, pupil)
    if pupils and not old_cards:
        _reset_all(school_class, pupils)


def _reset_all(school_class: classes.ClassInfo, pupils: list[classes.PupilInfo]) -> None:
    if st.button(t("New pictures for the whole class"), key="reset_all"):
        with db() as session:
            cards = [(p.display_name, classes.reset_pictures(session, staff(), p.id)) for p in pupils]
        st.session_state[NEW_CARDS] = (school_class.id, cards, [])
        st.rerun()


NEW_CODE_NOTE = N_(
    "Pupils then type the new code (write it on the board). Class computers set to the old code "
    "show the class-code door again: set them again on This computer."
)


def _new_code_button(school_class: classes.ClassInfo, key: str) -> None:
    """Give the class a new code: the old one (perhaps seen by someone guessing) opens nothing."""
    if st.button(t("Give the class a new code"), key=key):
        with db() as session:
            code = classes.change_class_code(session, staff(), school_class.id)
        st.session_state[NEW_CODE] = (school_class.name, code)
        st.rerun()
    st.caption(t(NEW_CODE_NOTE))


def _guessing_alerts() -> None:
    """Classes whose picture door is slowed down by many wrong tries: someone may be guessing."""
    changed = st.session_state.pop(NEW_CODE, None)
    if changed:
        name, code = changed
        st.success(t("The new code of {class_name} is {code}.", class_name=plain(name), code=code))
    with db() as session:
        guessed = classes.classes_with_many_wrong_tries(session, staff())
    for school_class in guessed:
        with st.container(border=True, key=f"guessing-{school_class.id}"):
            st.warning(t("Many wrong picture tries in {class_name}.", class_name=plain(school_class.name)))
            _new_code_button(school_class, key=f"new_code_alert_{school_class.id}")


def _lessons_tab(school_class: classes.ClassInfo) -> None:
    content = catalogue()
    band_lessons = [lesson.id for lesson in content.lessons_for_band(school_class.age_band)]
    with db() as session:
        current = assignments.assignments(session, staff(), school_class.id)
    chosen_now = [a.lesson_id for a in current if a.lesson_id in band_lessons]
    due_now = {a.lesson_id: a.due_date for a in current}
    st.caption(t("Pupils see these lessons in this order. Choose them in the order you want."))
    with st.form("assignments"):
        chosen = st.multiselect(
            t("Lessons"),
            band_lessons,
            default=chosen_now,
            format_func=lambda i: local(content.lesson(i).title),
        )
        dues = {
            lesson_id: st.date_input(
                t("Due date: {title}", title=local(content.lesson(lesson_id).title)),
                value=due_now.get(lesson_id),
                key=f"due_{lesson_id}",
                format="DD/MM/YYYY",  # as dates are written in Morocco, not the US default
            )
            for lesson_id in chosen_now
        }
        if st.form_submit_button(t("Save the lessons"), type="primary"):
            try:
                with db() as session:
                    assignments.set_assignments(
                        session, staff(), school_class.id, chosen, {i: dues.get(i) for i in chosen}, content
                    )
            except ServiceError as error:
                show_error(error)
            else:
                st.success(t("Lessons saved."))


def _settings_tab(school_class: classes.ClassInfo) -> None:
    with st.form("edit_class"):
        name = st.text_input(t("Class name"), value=school_class.name, max_chars=MAX_CLASS_NAME_LENGTH)
        band = st.selectbox(
            t("Age band"), BANDS, index=BANDS.index(school_class.age_band), format_func=_band_label
        )
        language = st.selectbox(
            t("Class language"),
            LANGUAGES,
            index=LANGUAGES.index(school_class.language),
            format_func=LANGUAGE_NAMES.get,
            help=t(CLASS_LANGUAGE_HELP),
        )
        if st.form_submit_button(t("Save")):
            try:
                with db() as session:  # a new age band also brings that band's lessons
                    classes.update_class(session, staff(), school_class.id, name, band, language, catalogue())
            except ServiceError as error:
                show_error(error)
            else:
                st.rerun()
    if school_class.archived_at is None:
        _new_code_button(school_class, key="new_code")
        st.caption(
            t(
                "Archive a class at the end of the year: pupils can no longer sign in, and its data is "
                "deleted after the school's retention period."
            )
        )
        if st.button(t("Archive the class"), key="archive"):
            with db() as session:
                classes.archive_class(session, staff(), school_class.id)
            st.rerun()
    elif st.button(t("Bring the class back"), key="unarchive"):
        with db() as session:
            classes.unarchive_class(session, staff(), school_class.id)
        st.rerun()


def _address_for_tablets() -> None:
    """The address pupils type, the one on the cards, with its QR code for the tablets' cameras
    (to show on the projector)."""
    address = public_address()
    if not address:
        return
    with st.expander(t("Address for the tablets: {address}", address=ltr(plain(address))), icon="📱"):
        if get_settings().public_url is None and this_computer_only(address):  # e.g. `make run`
            st.info(t("Tablets cannot open this address: it works on this computer only. To serve the "
                      "class's tablets over the school network, start Amane with: make classroom"))
            return
        st.image(qr_png(address), width=240)
        st.caption(t("Pupils scan this code with the tablet's camera, or type the address."))


def render() -> None:
    st.title(t("My classes"))
    _guessing_alerts()
    create = st.container()  # above the class picker, drawn once we know whether there is a class
    school_class = class_picker(include_archived=True, here="classes")
    with create:
        _create_form(first=school_class is None)
    if school_class is not None:
        _class_page(school_class)
    training.progress_card()  # the staff member's own course, below the work of their classes


def _class_page(school_class: classes.ClassInfo) -> None:
    st.markdown(
        t(
            "Class code: **{code}** · Age band: {band} · Language: {language}",
            code=school_class.join_code,
            band=ltr(school_class.age_band),
            language=LANGUAGE_NAMES[school_class.language],
        )
    )
    if school_class.archived_at is not None:
        st.info(t("This class is archived."))
    _address_for_tablets()
    pupils_tab, lessons_tab, settings_tab = st.tabs([t("Pupils"), t("Lessons"), t("Class settings")])
    with pupils_tab:
        _pupils_tab(school_class)
    with lessons_tab:
        _lessons_tab(school_class)
    with settings_tab:
        _settings_tab(school_class)
