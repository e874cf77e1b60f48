"""First visit with an empty database: create the school and its admin account."""

from __future__ import annotations

import streamlit as st

from amane.i18n import t
from amane.services import accounts
from amane.services.errors import ServiceError
from amane.services.rules import (
    MAX_PASSWORD_BYTES,
    MAX_SCHOOL_NAME_LENGTH,
    MAX_STAFF_NAME_LENGTH,
    MAX_USERNAME_LENGTH,
)
from amane.views import state
from amane.views.common import db, show_error
from amane.views.widgets import password_help


def render() -> None:
    st.title(t("Welcome to Amane"))
    st.write(t("Amane has no school yet. Create your school and the administrator account."))
    st.caption(t("The administrator creates teacher accounts and sees every class of the school."))
    with st.form("setup"):
        school = st.text_input(t("School name"), max_chars=MAX_SCHOOL_NAME_LENGTH)
        name = st.text_input(t("Your name"), max_chars=MAX_STAFF_NAME_LENGTH)
        username = st.text_input(
            t("Username"), max_chars=MAX_USERNAME_LENGTH, help=t("Lowercase letters, digits, dots or dashes.")
        )
        password = st.text_input(
            t("Password"),
            type="password",
            max_chars=MAX_PASSWORD_BYTES,
            help=password_help(),
        )
        confirm = st.text_input(t("Password again"), type="password", max_chars=MAX_PASSWORD_BYTES)
        submitted = st.form_submit_button(t("Create the school"), type="primary")
    if not submitted:
        return
    if password != confirm:
        st.error(t("The two passwords are different."))
        return
    try:
        with db() as session:
            accounts.create_school(session, school, username, name, password)
    except ServiceError as error:
        show_error(error)
        return
    st.session_state[state.FLASH] = t("Your school is ready. Sign in with your new account.")
    st.session_state[state.GOTO] = "staff"
    st.rerun()
