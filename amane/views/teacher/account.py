"""My account: change my password (which signs the account out everywhere else)."""

from __future__ import annotations

import streamlit as st

from amane.i18n import t
from amane.services import accounts
from amane.services.errors import ServiceError
from amane.services.rules import MAX_PASSWORD_BYTES
from amane.views import auth, forms
from amane.views.common import db, plain, staff
from amane.views.widgets import password_input

FORM = "own_password"


def render() -> None:
    st.title(t("My account"))
    me = staff()
    st.write(t("Signed in as {name}", name=plain(me.display_name)) + f" ({plain(me.username)})")
    with st.form(forms.key(FORM)):
        current = st.text_input(t("Current password"), type="password", max_chars=MAX_PASSWORD_BYTES)
        new = password_input(t("New password"))
        again = st.text_input(t("New password again"), type="password", max_chars=MAX_PASSWORD_BYTES)
        submitted = st.form_submit_button(t("Change my password"), type="primary")
    forms.show_outcome(FORM)
    if not submitted:
        return
    if new != again:
        forms.failed(FORM, t("The two passwords are different."), {})
    try:
        with db() as session:
            accounts.change_own_password(session, me, current, new)
    except ServiceError as error:
        forms.failed(FORM, t(error.message, **error.params), {})
    auth.start_staff_session(me)  # the change ended every session of the account, this tab's too
    forms.saved(FORM, t("Your password is changed."))
