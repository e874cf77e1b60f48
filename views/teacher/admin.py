"""School admin: teacher accounts."""

from __future__ import annotations

import streamlit as st

from i18n import N_, t
from services import accounts
from services.errors import ServiceError
from views.common import db, plain, show_error, staff

ROLE_NAMES = {"teacher": N_("Teacher"), "admin": N_("Administrator")}


def render() -> None:
    st.title(t("Teachers"))
    with st.form("new_teacher"):
        name = st.text_input(t("Name"), max_chars=80)
        username = st.text_input(t("Username"), max_chars=40)
        password = st.text_input(
            t("First password"),
            type="password",
            help=t("At least 10 characters. Three random words make a strong password."),
        )
        role = st.selectbox(t("Role"), accounts.ROLES, format_func=lambda r: t(ROLE_NAMES[r]))
        if st.form_submit_button(t("Create the account"), type="primary"):
            try:
                with db() as session:
                    accounts.create_staff(session, staff(), username, name, password, role)
            except ServiceError as error:
                show_error(error)
            else:
                st.success(t("Account created for {name}.", name=plain(name)))
    with db() as session:
        members = accounts.list_staff(session, staff())
    for member in members:
        st.markdown(
            f"- **{plain(member.display_name)}** ({plain(member.username)}) · {t(ROLE_NAMES[member.role])}"
        )
