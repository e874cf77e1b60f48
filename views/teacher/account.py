"""My account: change my password."""

from __future__ import annotations

import streamlit as st

from i18n import t
from services import accounts
from services.errors import ServiceError
from views.common import db, show_error, staff
from views.teacher.admin import PASSWORD_HELP


def render() -> None:
    st.title(t("My account"))
    me = staff()
    st.write(t("Signed in as {name}", name=me.display_name) + f" ({me.username})")
    with st.form("own_password"):
        current = st.text_input(t("Current password"), type="password")
        new = st.text_input(t("New password"), type="password", help=t(PASSWORD_HELP))
        again = st.text_input(t("New password again"), type="password")
        if st.form_submit_button(t("Change my password"), type="primary"):
            if new != again:
                st.error(t("The two passwords are different."))
                return
            try:
                with db() as session:
                    accounts.change_own_password(session, me, current, new)
            except ServiceError as error:
                show_error(error)
            else:
                st.success(t("Your password is changed."))
