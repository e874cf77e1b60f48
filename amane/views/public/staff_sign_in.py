"""Teachers and school admins sign in here."""

from __future__ import annotations

import streamlit as st

from amane.i18n import t
from amane.views import auth, state


def render() -> None:
    flash = st.session_state.pop(state.FLASH, None)
    if flash:
        st.success(flash)
    auth.sign_in_form()
    st.caption(t("Forgot your password? Ask your school's Amane administrator to reset it."))
