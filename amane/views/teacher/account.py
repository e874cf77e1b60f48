"""My account: change my password."""

from __future__ import annotations

import streamlit as st

from amane.i18n import t
from amane.services import accounts
from amane.services.errors import ServiceError
from amane.services.rules import MAX_PASSWORD_BYTES
from amane.views.common import db, plain, show_error, staff
from amane.views.widgets import password_input


def render() -> None:
    st.title(t("My account"))
    me = staff()
    st.write(t("Signed in as {name}", name=plain(me.display_name)) + f" ({plain(me.username)})")
    with st.form("own_password"):
        current = st.text_input(t("Current password"), type="password", max_chars=MAX_PASSWORD_BYTES)
        new = password_input(t("New password"))
        again = st.text_input(t("New password again"), type="password", max_chars=MAX_PASSWORD_BYTES)
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
