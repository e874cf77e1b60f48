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
from amane.views import forms, state
from amane.views.common import db
from amane.views.first_steps import SCHOOL_CREATED
from amane.views.widgets import password_input

FORM = "setup"


def render() -> None:
    st.title(t("Welcome to Amane"))
    st.write(t("Amane has no school yet. Create your school and the administrator account."))
    st.caption(t("The administrator creates teacher accounts and sees every class of the school."))
    with st.form(forms.key(FORM)):
        school = st.text_input(
            t("School name"), value=forms.kept(FORM, "school"), max_chars=MAX_SCHOOL_NAME_LENGTH
        )
        name = st.text_input(t("Your name"), value=forms.kept(FORM, "name"), max_chars=MAX_STAFF_NAME_LENGTH)
        username = st.text_input(
            t("Username"),
            value=forms.kept(FORM, "username"),
            max_chars=MAX_USERNAME_LENGTH,
            help=t("Lowercase letters, digits, dots or dashes."),
        )
        password = password_input(t("Password"))
        confirm = st.text_input(t("Password again"), type="password", max_chars=MAX_PASSWORD_BYTES)
        submitted = st.form_submit_button(t("Create the school"), type="primary")
    forms.show_outcome(FORM)
    if not submitted:
        return
    typed = {"school": school, "name": name, "username": username}
    if password != confirm:
        forms.failed(FORM, t("The two passwords are different."), typed)
    try:
        with db() as session:
            accounts.create_school(session, school, username, name, password)
    except ServiceError as error:
        forms.failed(FORM, t(error.message, **error.params), typed)
    st.session_state[SCHOOL_CREATED] = school.strip()
    st.session_state[state.GOTO] = "ready"
    st.rerun()
